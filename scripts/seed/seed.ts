/**
 * Idempotent demo seed: reference data, staff, and a year of grievances with plausible
 * histories. Natural keys (codes, emails) make every step an upsert; grievances are topped up
 * to the requested count per project, so running the seed twice creates nothing new.
 */
import type { Core } from '@strapi/strapi';
import { generateTrackingCode } from '../../src/domain/tracking-code';
import { UID } from '../../src/platform/uids';
import { ensureStaffRoles } from '../../src/platform/staff-roles';
import { DEMO_ASSIGNEE, Localised, PROJECTS, ProjectSeed, RegionSeed, STAFF, TEMPLATES } from './reference-data';
import { buildHistory, mulberry32 } from './histories';
import { DEFAULT_WORKING_DAYS } from '../../plugins/escalation/server/src/constants';

export const DEFAULT_DEMO_PASSWORD = 'Demo-Password-1';
const OTHER_LOCALES = ['fr', 'hi'] as const;

export interface SeedOptions {
  grievancesPerProject: number;
  password: string;
  now?: Date;
  log?: (line: string) => void;
}

export interface SeedSummary {
  projects: number;
  grievancesCreated: number;
  grievancesTotal: number;
  staff: string[];
}

type Ids = Record<string, string>;

export function assertSeedAllowed(env: NodeJS.ProcessEnv): string {
  const password = env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
  if (env.NODE_ENV === 'production' && password === DEFAULT_DEMO_PASSWORD) {
    throw new Error(
      'Refusing to create demo accounts with the default password in production. Set DEMO_PASSWORD to a strong secret, or do not seed a production database.'
    );
  }
  return password;
}

export async function seedDemo(strapi: Core.Strapi, options: SeedOptions): Promise<SeedSummary> {
  const log = options.log ?? (() => undefined);
  const docs = (uid: string) => strapi.documents(uid as any);

  /** Creates or updates the default-locale entry found by `code`, then its fr and hi versions. */
  async function upsertLocalised(uid: string, code: string, data: Record<string, unknown>, localised: Record<string, Localised>) {
    const base = { ...data, ...Object.fromEntries(Object.entries(localised).map(([k, v]) => [k, v.en])) };
    const existing = await docs(uid).findFirst({ filters: { code }, locale: 'en' } as any);
    const documentId = existing
      ? (await docs(uid).update({ documentId: existing.documentId, locale: 'en', data: base } as any)).documentId
      : (await docs(uid).create({ locale: 'en', data: { code, ...base } } as any)).documentId;
    for (const locale of OTHER_LOCALES) {
      const translated = Object.fromEntries(Object.entries(localised).map(([k, v]) => [k, v[locale]]));
      await docs(uid).update({ documentId, locale, data: { ...data, ...translated } } as any);
    }
    return documentId as string;
  }

  const summary: SeedSummary = { projects: 0, grievancesCreated: 0, grievancesTotal: 0, staff: [] };
  const projectIds: Ids = {};
  const departmentIds: Ids = {};
  const regionIds: Ids = {};
  const levelIds: Ids = {};

  for (const project of PROJECTS) {
    const projectId = await upsertLocalised(
      UID.project,
      project.code,
      {
        type: project.type,
        timezone: project.timezone,
        defaultLocale: 'en',
        autoEscalation: true,
        autoCloseDays: project.autoCloseDays,
        appealWindowDays: project.appealWindowDays,
        publicReporting: true,
        smallCountThreshold: project.smallCountThreshold,
        reportRecipients: project.reportRecipients,
      },
      { name: project.name }
    );
    projectIds[project.code] = projectId;
    summary.projects += 1;

    const walk = async (region: RegionSeed, depth: number, parent: string | null) => {
      regionIds[region.code] = await upsertLocalised(
        UID.region,
        region.code,
        { level: depth, project: projectId, parent },
        { name: region.name, levelName: region.levelName }
      );
      for (const child of region.children ?? []) await walk(child, depth + 1, regionIds[region.code]);
    };
    for (const root of project.regions) await walk(root, 1, null);

    for (const department of project.departments) {
      departmentIds[department.code] = await upsertLocalised(
        UID.department,
        department.code,
        { projects: [projectId] },
        { name: department.name }
      );
    }
    for (const category of project.categories) {
      await upsertLocalised(
        UID.category,
        category.code,
        {
          project: projectId,
          defaultDepartment: departmentIds[category.department],
          defaultPriority: category.priority,
          sensitive: Boolean(category.sensitive),
          keywords: category.keywords,
          intakeFields: (category.intakeFields ?? []).map((f, order) => ({ ...f, order })),
        },
        { name: category.name }
      );
    }
    for (const level of project.slaLevels) {
      const code = `${project.code}-L${level.order}`;
      const existing = await docs(UID.slaLevel).findFirst({ filters: { project: { documentId: projectId }, order: level.order }, locale: 'en' } as any);
      const data = { ...level, name: level.name.en, project: projectId };
      const documentId = existing
        ? (await docs(UID.slaLevel).update({ documentId: existing.documentId, locale: 'en', data } as any)).documentId
        : (await docs(UID.slaLevel).create({ locale: 'en', data } as any)).documentId;
      for (const locale of OTHER_LOCALES) {
        await docs(UID.slaLevel).update({ documentId, locale, data: { name: level.name[locale] } } as any);
      }
      levelIds[code] = documentId;
      log(`sla level ${code}`);
    }
    for (const holiday of project.holidays) {
      const existing = await docs(UID.holiday).findFirst({ filters: { date: holiday.date, project: { documentId: projectId } } } as any);
      if (!existing) await docs(UID.holiday).create({ data: { ...holiday, project: projectId } } as any);
    }
  }

  for (const template of TEMPLATES) {
    const filters = { event: template.event, channel: template.channel, audience: template.audience, project: { $null: true } };
    const existing = await docs(UID.notificationTemplate).findFirst({ filters, locale: 'en' } as any);
    const data = { event: template.event, channel: template.channel, audience: template.audience, enabled: true };
    const documentId = existing
      ? existing.documentId
      : (await docs(UID.notificationTemplate).create({ locale: 'en', data: { ...data, subject: template.subject.en, body: template.body.en } } as any)).documentId;
    for (const locale of OTHER_LOCALES) {
      await docs(UID.notificationTemplate).update({
        documentId,
        locale,
        data: { subject: template.subject[locale], body: template.body[locale] },
      } as any);
    }
  }

  const userIds = await seedStaff(strapi, options.password, projectIds, departmentIds, regionIds, levelIds);
  summary.staff = STAFF.map((s) => s.email);

  const now = options.now ?? new Date();
  const seedingFrom = new Date();
  for (const project of PROJECTS) {
    const created = await topUpGrievances(strapi, project, options.grievancesPerProject, now, { projectIds, departmentIds, regionIds, userIds });
    summary.grievancesCreated += created;
    log(`${project.code}: ${created} grievances created`);
  }
  // The invented history is not e-mailed or texted to the invented citizens and staff (their
  // addresses are made up); staff keep its in-app alerts, so the demo's bell has something to show.
  await strapi.db.query('plugin::notifications.notification' as any).deleteMany({
    where: { createdAt: { $gte: seedingFrom }, channel: { $ne: 'in_app' }, status: 'pending' },
  });
  summary.grievancesTotal = await strapi.db.query(UID.grievance as any).count({});
  return summary;
}

async function seedStaff(strapi: Core.Strapi, password: string, projectIds: Ids, departmentIds: Ids, regionIds: Ids, levelIds: Ids) {
  const roleIds = await ensureStaffRoles();
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  const userService = strapi.service('admin::user');
  const userIds: Record<string, number> = {};
  for (const staff of STAFF) {
    const roleId = staff.role === 'super-admin' ? superAdmin.id : roleIds[staff.role];
    let user = await strapi.db.query('admin::user').findOne({ where: { email: staff.email } });
    if (!user) {
      user = await userService.create({
        email: staff.email,
        firstname: staff.firstname,
        lastname: staff.lastname,
        password,
        isActive: true,
        roles: [roleId],
      });
    }
    userIds[staff.email] = user.id;
    const profileData = {
      email: staff.email,
      displayName: `${staff.firstname} ${staff.lastname}`,
      user: user.id,
      projects: staff.projects.map((c) => projectIds[c]),
      departments: staff.departments.map((c) => departmentIds[c]),
      regions: (staff.regions ?? []).map((c) => regionIds[c]),
      slaLevels: { set: (staff.levels ?? []).map((c) => ({ documentId: levelIds[c], locale: 'en' })) },
      active: true,
    };
    const existing = await strapi.documents(UID.staffProfile as any).findFirst({ filters: { email: staff.email } } as any);
    if (existing) await strapi.documents(UID.staffProfile as any).update({ documentId: existing.documentId, data: profileData } as any);
    else await strapi.documents(UID.staffProfile as any).create({ data: profileData } as any);
    for (const code of staff.headOf ?? []) {
      for (const locale of ['en', ...OTHER_LOCALES]) {
        await strapi.documents(UID.department as any).update({ documentId: departmentIds[code], locale, data: { head: user.id } } as any);
      }
    }
  }
  return userIds;
}

interface SeedIds {
  projectIds: Ids;
  departmentIds: Ids;
  regionIds: Ids;
  userIds: Record<string, number>;
}

const leafRegions = (regions: RegionSeed[]): string[] =>
  regions.flatMap((r) => (r.children?.length ? leafRegions(r.children) : [r.code]));

/**
 * Creates grievances through the real intake path (the document service), then backdates
 * them and replays a plausible history with the privileged query layer, as only the seed may.
 */
async function topUpGrievances(strapi: Core.Strapi, project: ProjectSeed, target: number, now: Date, ids: SeedIds): Promise<number> {
  const projectId = ids.projectIds[project.code];
  const existing = await strapi.db.query(UID.grievance as any).count({ where: { project: { documentId: projectId } } });
  const missing = Math.max(0, target - existing);
  if (missing === 0) return 0;
  const random = mulberry32(hash(`${project.code}:${existing}`));
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const leaves = leafRegions(project.regions);
  const levels = project.slaLevels;
  const categoryRows = await strapi.db.query(UID.category as any).findMany({
    where: { project: { documentId: projectId }, locale: 'en' },
    populate: { defaultDepartment: { select: ['documentId', 'code'] } },
  });
  const categoryByCode = Object.fromEntries(categoryRows.map((c: any) => [c.code, c]));
  // The project's working calendar, as the escalation plugin reads it (project-wide holidays).
  const calendar = {
    timeZone: project.timezone,
    workingDays: DEFAULT_WORKING_DAYS,
    workingHours: null,
    holidays: new Set(project.holidays.map((h) => h.date)),
  };

  await strapi.db.transaction(async () => {
    for (let i = 0; i < missing; i += 1) {
      const category = pick(project.categories);
      const row = categoryByCode[category.code];
      const anonymous = category.sensitive ? true : random() < 0.15;
      const description = pick(category.descriptions).replace('{n}', String(2 + Math.floor(random() * 12)));
      const language = /[\u0900-\u097F]/.test(description) ? 'hi' : /[éèàç]|Le |La /.test(description) ? 'fr' : 'en';
      const grievance = await strapi.documents(UID.grievance as any).create({
        data: {
          project: projectId,
          category: row.documentId,
          region: ids.regionIds[pick(leaves)],
          description,
          language,
          channel: pick(['web', 'web', 'mobile', 'walk_in', 'phone', 'letter', 'sms', 'whatsapp', 'email']),
          anonymous,
          citizenName: anonymous ? null : pick(['Sita Devi', 'Ramesh Yadav', 'Anil Kumar', 'Kavita Singh', 'Mohammed Rafi', 'Jeanne Dupont', 'Lakshmi Menon']),
          citizenPhone: anonymous ? null : `+9198${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
        },
      } as any);
      const assigneeEmail = DEMO_ASSIGNEE[row.defaultDepartment?.code ?? ''];
      const history = buildHistory({
        random,
        now,
        levels,
        autoCloseDays: project.autoCloseDays,
        hasAssignee: Boolean(assigneeEmail),
        priority: grievance.priority,
        calendar,
      });
      const assigneeId = history.assigned && assigneeEmail ? ids.userIds[assigneeEmail] : null;
      await strapi.db.query(UID.grievance as any).update({
        where: { id: grievance.id },
        data: {
          ...history.fields,
          // The code carries the submission date, so a backdated case gets a code of its day.
          trackingCode: generateTrackingCode(project.code, new Date(history.fields.submittedAt), project.timezone),
          assignee: assigneeId,
          createdAt: history.fields.submittedAt,
          updatedAt: history.updatedAt,
        },
      });
      const received = await strapi.db.query(UID.grievanceEvent as any).findMany({
        where: { grievance: { id: grievance.id }, type: 'received' },
        select: ['id'],
      });
      for (const event of received) {
        await strapi.db.query(UID.grievanceEvent as any).update({
          where: { id: event.id },
          data: { occurredAt: history.fields.submittedAt, createdAt: history.fields.submittedAt },
        });
      }
      for (const event of history.events) {
        await strapi.db.query(UID.grievanceEvent as any).create({
          data: {
            ...event,
            grievance: grievance.id,
            actorType: event.actorType,
            actorUser: event.actorType === 'staff' ? assigneeId : null,
            actorLabel: event.actorType === 'staff' ? (assigneeEmail ?? 'staff') : event.actorType,
            createdAt: event.occurredAt,
          },
        });
      }
    }
  });
  return missing;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
