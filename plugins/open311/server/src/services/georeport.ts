/**
 * Open311 over the platform: services are a project's public (non-sensitive) categories, a
 * jurisdiction is a project, POSTed requests go through the same public intake as the portal,
 * and requests are read from cases. Sensitive cases are never listed.
 */
import type { Core } from '@strapi/strapi';
import { isPublicNote, PUBLIC_NOTE_AUTHORS } from '../../../../../src/domain/public-note';
import { CaseRow, CategoryRow, MAX_REQUESTS, Open311Error, RequestQuery, toDefinition, toRequest, toService } from '../domain/georeport';

const UID = {
  project: 'api::project.project',
  category: 'api::category.category',
  grievance: 'api::grievance.grievance',
  grievanceEvent: 'api::grievance-event.grievance-event',
} as const;

export class Open311Refusal extends Error {
  constructor(readonly status: number, readonly description: string) {
    super(description);
  }
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** The project a jurisdiction_id names; optional while the deployment has one project. */
  async function jurisdiction(id: unknown) {
    const projects = await q(UID.project).findMany({ where: { locale: 'en' }, select: ['documentId', 'code', 'name', 'timezone', 'defaultLocale'] });
    if (id == null || id === '') {
      if (projects.length === 1) return projects[0];
      throw new Open311Refusal(400, `jurisdiction_id is required: one of ${projects.map((p: any) => p.code.toLowerCase()).join(', ')}.`);
    }
    const project = projects.find((p: any) => p.code.toLowerCase() === String(id).toLowerCase());
    if (!project) throw new Open311Refusal(404, `Unknown jurisdiction_id "${id}".`);
    return project;
  }

  async function categories(projectDocumentId: string, codes?: string[]): Promise<CategoryRow[]> {
    const rows = await q(UID.category).findMany({
      where: { locale: 'en', sensitive: false, project: { documentId: projectDocumentId }, ...(codes ? { code: { $in: codes } } : {}) },
      // Only what a service publishes: never the classifier's keywords or the routing rules.
      select: ['code', 'name'],
      populate: { intakeFields: true, defaultDepartment: { select: ['name'] } },
      orderBy: { code: 'asc' },
    });
    return rows.map((c: any) => ({ code: c.code, name: c.name, description: c.description ?? null, group: c.defaultDepartment?.name ?? null, intakeFields: c.intakeFields ?? [] }));
  }

  async function caseRows(where: Record<string, unknown>, limit: number): Promise<CaseRow[]> {
    const rows = await q(UID.grievance).findMany({
      where: { ...where, sensitive: false },
      orderBy: { submittedAt: 'desc' },
      limit,
      populate: { category: { select: ['code', 'name'] }, department: { select: ['name'] } },
    });
    const notes = new Map<number, string>();
    if (rows.length) {
      const events = await q(UID.grievanceEvent).findMany({
        where: { grievance: { id: { $in: rows.map((r: any) => r.id) } }, visibility: 'public', actorType: { $in: [...PUBLIC_NOTE_AUTHORS] }, note: { $notNull: true } },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        select: ['note', 'visibility', 'actorType'],
        populate: { grievance: { select: ['id'] } },
      });
      for (const e of events) if (e.grievance && isPublicNote(e)) notes.set(e.grievance.id, e.note);
    }
    return rows.map((r: any) => ({
      trackingCode: r.trackingCode,
      caseStatus: r.caseStatus,
      categoryCode: r.category?.code ?? '',
      categoryName: r.category?.name ?? '',
      department: r.department?.name ?? null,
      submittedAt: iso(r.submittedAt),
      updatedAt: iso(r.updatedAt),
      resolveDueAt: r.resolveDueAt ? iso(r.resolveDueAt) : null,
      latitude: r.latitude != null ? Number(r.latitude) : null,
      longitude: r.longitude != null ? Number(r.longitude) : null,
      statusNote: notes.get(r.id) ?? null,
    }));
  }

  return {
    async services(jurisdictionId: unknown) {
      const project = await jurisdiction(jurisdictionId);
      return (await categories(project.documentId)).map(toService);
    },

    async definition(jurisdictionId: unknown, code: string) {
      const project = await jurisdiction(jurisdictionId);
      const [category] = await categories(project.documentId, [code]);
      if (!category) throw new Open311Refusal(404, `Unknown service_code "${code}".`);
      return toDefinition(category);
    },

    async requests(jurisdictionId: unknown, query: RequestQuery) {
      const project = await jurisdiction(jurisdictionId);
      const where: Record<string, unknown> = { project: { documentId: project.documentId } };
      if (query.ids) where.trackingCode = { $in: query.ids.map((id) => id.toUpperCase()) };
      else where.submittedAt = { $gte: query.from, $lte: query.to };
      if (query.serviceCodes) where.category = { code: { $in: query.serviceCodes } };
      if (query.status === 'closed') where.caseStatus = { $in: ['closed', 'rejected'] };
      if (query.status === 'open') where.caseStatus = { $notIn: ['closed', 'rejected'] };
      return (await caseRows(where, MAX_REQUESTS)).map(toRequest);
    },

    async request(jurisdictionId: unknown, id: string) {
      const project = await jurisdiction(jurisdictionId);
      const [row] = await caseRows({ project: { documentId: project.documentId }, trackingCode: id.toUpperCase() }, 1);
      if (!row) throw new Open311Refusal(404, `Unknown service_request_id "${id}".`);
      return [toRequest(row)];
    },

    /** Files a request through the public intake; extra attributes are kept with the case. */
    async create(params: Record<string, any>) {
      const project = await jurisdiction(params.jurisdiction_id);
      const errors: Open311Error[] = [];
      if (!params.service_code) errors.push({ code: 400, description: 'service_code is required.' });
      const lat = params.lat != null && params.lat !== '' ? Number(params.lat) : null;
      const lng = params.long != null && params.long !== '' ? Number(params.long) : null;
      if ((lat == null || lng == null) && !params.address_string && !params.address_id) errors.push({ code: 400, description: 'A location is required: lat and long, or address_string.' });
      if (!params.description || String(params.description).trim() === '') errors.push({ code: 400, description: 'description is required: say what the problem is.' });
      if (errors.length) throw Object.assign(new Open311Refusal(400, errors[0].description), { errors });
      const [category] = await categories(project.documentId, [String(params.service_code)]);
      if (!category) throw new Open311Refusal(404, `Unknown service_code "${params.service_code}".`);
      const name = [params.first_name, params.last_name].filter((v) => typeof v === 'string' && v.trim()).join(' ');
      const data: Record<string, unknown> = {
        project: project.code,
        category: category.code,
        description: String(params.description),
        channel: 'open311',
        ...(lat != null || lng != null || params.address_string ? { location: { ...(lat != null || lng != null ? { lat, lng } : {}), ...(params.address_string ? { address: String(params.address_string) } : {}) } } : {}),
      };
      const citizen = Object.fromEntries(Object.entries({ name: name || null, phone: params.phone || null, email: params.email || null }).filter(([, v]) => v));
      if (Object.keys(citizen).length) data.citizen = citizen;
      return { data };
    },
  };
};
