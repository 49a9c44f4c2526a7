/**
 * Deadlines on every case, driven by the domain events of intake and the workflow inside their
 * transactions: level 1's acknowledge and resolve deadlines at intake; fresh deadlines at the
 * new level, with the case routed to that level's region and focal person, when a case is
 * escalated, appealed or transferred; on-time stamps when it is acknowledged and resolved.
 */
import type { Core } from '@strapi/strapi';
import { subscribe, GrievanceEvent } from '../../../../../src/domain/events';
import { getService } from '../../../../../src/platform/services';
import { cached } from '../../../../../src/platform/reference-cache';
import { readToOnes } from '../../../../../src/platform/tables';
import { OPEN_STATUSES } from '../../../../../src/domain/vocabulary';
import { acknowledgedOnTime, resolvedOnTime } from '../../../../../src/domain/sla-outcome';
import { Calendar, dueAt } from '../domain/clock';
import { durationsFor, SlaLevelRecord } from '../domain/levels';
import { nextCheckAt } from '../domain/sweep';
import { Candidate, pickFocalPerson, RegionNode, regionAtDepth } from '../domain/routing';
import { DEFAULT_WORKING_DAYS, UID } from '../constants';

/** Actions after which the case starts afresh at its (new) level. */
const RESTARTS = new Set(['escalate', 'appeal', 'approve_transfer']);
/** Actions that move a case up the ladder, and so to the new level's region and focal person. */
const MOVES_UP = new Set(['escalate', 'appeal']);
const REGION_DEPTH_LIMIT = 12;

export type SlaLevel = SlaLevelRecord & { documentId: string; name: string; regionLevel?: number | null };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** The case's region and its ancestors, nearest first. */
  async function loadRegionChain(regionDocumentId: string): Promise<RegionNode[]> {
    const chain: RegionNode[] = [];
    let current: string | null = regionDocumentId;
    while (current && chain.length < REGION_DEPTH_LIMIT) {
      const row = await q(UID.region).findOne({ where: { documentId: current }, orderBy: { id: 'asc' }, populate: { parent: { select: ['documentId'] } } });
      if (!row) break;
      chain.push({ documentId: current, level: row.level });
      current = row.parent?.documentId ?? null;
    }
    return chain;
  }

  /** The project's working calendar for a level, with holidays of the case's region and above. */
  async function loadCalendar(projectDocumentId: string, regionDocumentId: string | null, mode: Calendar['mode']): Promise<Calendar> {
    const project = await q(UID.project).findOne({ where: { documentId: projectDocumentId }, orderBy: { id: 'asc' } });
    const regions = (await regionChain(regionDocumentId)).map((r) => r.documentId);
    const holidays = await q(UID.holiday).findMany({
      where: {
        project: { documentId: projectDocumentId },
        $or: [{ region: { id: { $null: true } } }, ...(regions.length ? [{ region: { documentId: { $in: regions } } }] : [])],
      },
      select: ['date'],
    });
    return {
      timeZone: project?.timezone || 'UTC',
      mode,
      workingDays: Array.isArray(project?.workingDays) && project.workingDays.length ? project.workingDays : DEFAULT_WORKING_DAYS,
      workingHours: project?.workingHours ?? null,
      holidays: new Set(holidays.map((h: { date: string }) => String(h.date).slice(0, 10))),
    };
  }

  // Reference data, read on every intake and transition: from the cache (src/platform/reference-cache.ts).
  const regionChain = (regionDocumentId: string | null): Promise<RegionNode[]> =>
    regionDocumentId ? cached(`region-chain:${regionDocumentId}`, () => loadRegionChain(regionDocumentId)) : Promise.resolve([]);

  const service = {
    regionChain,

    calendarFor: (projectDocumentId: string, regionDocumentId: string | null, mode: Calendar['mode']): Promise<Calendar> =>
      cached(`calendar:${projectDocumentId}:${regionDocumentId ?? ''}:${mode}`, () => loadCalendar(projectDocumentId, regionDocumentId, mode)),

    level: (projectDocumentId: string, order: number): Promise<SlaLevel | null> =>
      cached(`sla-level:${projectDocumentId}:${order}`, () => q(UID.slaLevel).findOne({ where: { project: { documentId: projectDocumentId }, order }, orderBy: { id: 'asc' } })),

    /**
     * The clock columns of a case starting a level at `from`: its deadlines by the level's
     * durations for the case's priority, in the working calendar of its project and region, and
     * when the sweep should look at it next. Null when the project has no such level.
     */
    async clocksAt(start: { projectDocumentId: string; regionDocumentId: string | null; priority: string | null; caseStatus: string; order: number; from: Date }) {
      const level = await service.level(start.projectDocumentId, start.order);
      if (!level) return null;
      const calendar = await service.calendarFor(start.projectDocumentId, start.regionDocumentId, level.calendar ?? 'business');
      const { acknowledgeWithinHours, resolveWithinHours } = durationsFor(level, start.priority);
      const clocks = {
        caseStatus: start.caseStatus,
        slaState: 'on_track',
        slaStartedAt: start.from,
        acknowledgedAt: null,
        acknowledgeDueAt: acknowledgeWithinHours ? dueAt(start.from, acknowledgeWithinHours, calendar) : null,
        resolveDueAt: resolveWithinHours ? dueAt(start.from, resolveWithinHours, calendar) : null,
        escalationLevel: start.order,
      };
      return {
        slaStartedAt: start.from,
        acknowledgeDueAt: clocks.acknowledgeDueAt,
        resolveDueAt: clocks.resolveDueAt,
        slaState: clocks.acknowledgeDueAt || clocks.resolveDueAt ? 'on_track' : 'no_limit',
        slaCheckAt: nextCheckAt(clocks, start.from, level.remindBeforeHours ?? 0, calendar),
      };
    },

    /**
     * Sets the deadlines of a case at a level, counted from `from`. A fresh level starts on track;
     * `reapply` (an edited level) keeps the state and lets the next sweep judge it.
     */
    async startLevel(grievanceId: number, order: number, from: Date, options: { reapply?: boolean } = {}) {
      // One SELECT over the link tables (three through the query engine).
      const read = await readToOnes(UID.grievance, grievanceId, { project: { uid: UID.project, fields: ['documentId'] }, region: { uid: UID.region, fields: ['documentId'] } }, ['priority', 'caseStatus']);
      if (!read?.project) return;
      const clocks = await service.clocksAt({
        projectDocumentId: read.project.documentId,
        regionDocumentId: read.region?.documentId ?? null,
        priority: read.$?.priority,
        caseStatus: read.$?.caseStatus,
        order,
        from,
      });
      if (!clocks) return;
      const { slaState, slaCheckAt, ...deadlines } = clocks;
      // updateMany: one UPDATE; `update` would read the whole case back (and open its sealed contact) for nothing.
      await q(UID.grievance).updateMany({
        where: { id: grievanceId },
        data: { ...deadlines, ...(options.reapply ? { slaCheckAt: new Date() } : { slaState, slaCheckAt }) },
      });
    },

    /**
     * Where a case that moves up to `order` goes: region to the ancestor at the level's region
     * depth, assignee to the level's focal person, or nobody, with the department head told to
     * assign. Null when the project has no such level. `memo` keeps the staff profiles, region
     * rows and department heads read for one sweep run (every case of a batch asks the same).
     */
    async routing(at: { projectDocumentId: string; regionDocumentId: string | null; department: { id: number; documentId: string } | null; order: number }, memo?: Map<string, Promise<unknown>>) {
      const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
        if (!memo) return load();
        if (!memo.has(key)) memo.set(key, load());
        return memo.get(key) as Promise<T>;
      };
      const level = await service.level(at.projectDocumentId, at.order);
      if (!level) return null;
      const chain = await regionChain(at.regionDocumentId);
      const region = regionAtDepth(chain, level.regionLevel);
      const regionIds = chain.slice(Math.max(chain.findIndex((r) => r.documentId === region?.documentId), 0)).map((r) => r.documentId);
      const candidates: Candidate[] = await once(`profiles:${at.projectDocumentId}:${level.documentId}`, async () => {
        const profiles = await q(UID.staffProfile).findMany({
          where: { active: true, projects: { documentId: at.projectDocumentId }, slaLevels: { documentId: level.documentId } },
          orderBy: { id: 'asc' },
          populate: {
            user: { select: ['id', 'isActive'] },
            departments: { select: ['documentId'] },
            regions: { select: ['documentId'] },
          },
        });
        return profiles
          .filter((p: any) => p.user?.isActive)
          .map((p: any) => ({
            profileId: p.id,
            userId: p.user.id,
            departments: (p.departments ?? []).map((d: any) => d.documentId),
            regions: (p.regions ?? []).map((r: any) => r.documentId),
          }));
      });
      const focal = pickFocalPerson(candidates, at.department?.documentId ?? null, regionIds);
      const regionRow: { id: number } | null = region && region.documentId !== at.regionDocumentId
        ? await once(`region:${region.documentId}`, () => q(UID.region).findOne({ where: { documentId: region.documentId }, orderBy: { id: 'asc' }, select: ['id'] }))
        : null;
      // The head of the department row the case links to (heads may differ between its locales).
      const department = at.department;
      const headId: number | null = focal || !department
        ? null
        : await once(`head:${department.id}`, async () => {
            const read = await readToOnes(UID.department, department.id, { head: { uid: 'admin::user', fields: ['id'] } });
            return read?.head?.id == null ? null : Number(read.head.id);
          });
      return {
        levelName: level.name as string,
        region: regionRow ? { id: Number(regionRow.id), documentId: region!.documentId } : null,
        levelRegionDocumentId: region?.documentId ?? null,
        assigneeId: focal?.userId ?? null,
        notifyUserIds: focal ? [] : headId ? [headId] : [],
      };
    },

    /** Routes a case that moved up to `order` (an appeal, a staff escalation): decided here, written by the case store. */
    async route(event: GrievanceEvent, order: number) {
      const read = await readToOnes(UID.grievance, event.grievance.id, {
        project: { uid: UID.project, fields: ['documentId'] },
        region: { uid: UID.region, fields: ['documentId'] },
        department: { uid: UID.department, fields: ['id', 'documentId'] },
      });
      if (!read?.project) return;
      const department = read.department ? { id: Number(read.department.id), documentId: read.department.documentId } : null;
      const routing = await service.routing({ projectDocumentId: read.project.documentId, regionDocumentId: read.region?.documentId ?? null, department, order });
      if (!routing) return;
      // Escalation decides; the case store moves the case and records it (history, audit, alerts).
      await getService('cases', 'store').route({
        ...routing,
        grievanceId: event.grievance.id,
        grievance: event.grievance,
        action: event.action,
        at: event.at,
        status: event.to,
        level: order,
        // The level that must act hears why (an appeal's reason): its alert carries it.
        reason: String(event.details.reason ?? event.details.note ?? ''),
      });
    },

    /** Clock bookkeeping after a workflow transition, in its transaction. */
    async onTransition(event: GrievanceEvent) {
      // The sweep wrote the new level's deadlines and routing with its batch.
      if (event.levelStarted) return;
      const at = new Date(event.at);
      if (RESTARTS.has(event.action)) {
        const row = await q(UID.grievance).findOne({ where: { id: event.grievance.id }, select: ['escalationLevel'] });
        const order = row?.escalationLevel ?? 1;
        if (MOVES_UP.has(event.action)) await service.route(event, order);
        await service.startLevel(event.grievance.id, order, at);
        return;
      }
      const row = await q(UID.grievance).findOne({ where: { id: event.grievance.id }, select: ['acknowledgeDueAt', 'resolveDueAt', 'breachedAt'] });
      const date = (v: string | null | undefined) => (v ? new Date(v) : null);
      const data: Record<string, unknown> = {};
      if (event.action === 'acknowledge') data.acknowledgedOnTime = acknowledgedOnTime(at, date(row?.acknowledgeDueAt));
      if (event.action === 'resolve') data.resolvedOnTime = resolvedOnTime(at, date(row?.resolveDueAt), date(row?.breachedAt));
      // Whatever else changed (a clock stopped, a case came back), the next sweep looks again.
      if ((OPEN_STATUSES as readonly string[]).includes(event.to)) data.slaCheckAt = at;
      if (Object.keys(data).length > 0) await q(UID.grievance).updateMany({ where: { id: event.grievance.id }, data });
    },

    /**
     * An SLA level was edited: open cases at that level get deadlines from the new durations,
     * counted from when their level started, and the next sweep re-reads their state. The
     * what-if preview shows the administrator this effect before saving.
     */
    async reapplyLevel(projectDocumentId: string, order: number) {
      const rows = await q(UID.grievance).findMany({
        where: { project: { documentId: projectDocumentId }, escalationLevel: order, caseStatus: { $in: [...OPEN_STATUSES] } },
        select: ['id', 'slaStartedAt', 'submittedAt'],
      });
      for (const row of rows) await service.startLevel(row.id, order, new Date(row.slaStartedAt ?? row.submittedAt), { reapply: true });
      return rows.length;
    },

    subscribe(): () => void {
      // A public case is written with its level 1 clocks already (intake asked clocksAt before the INSERT).
      const offReceived = subscribe('grievance.received', async (event) => {
        if (event.details.clocksSet !== true) await service.startLevel(event.grievance.id, 1, new Date(event.at));
      });
      const offTransitioned = subscribe('grievance.transitioned', (event) => service.onTransition(event));
      return () => {
        offReceived();
        offTransitioned();
      };
    },
  };
  return service;
};
