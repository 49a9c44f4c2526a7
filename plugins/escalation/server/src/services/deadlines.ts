/**
 * Deadlines on every case, driven by the domain events of intake and the workflow inside their
 * transactions: level 1's acknowledge and resolve deadlines at intake; fresh deadlines at the
 * new level when a case is escalated, appealed or transferred.
 */
import type { Core } from '@strapi/strapi';
import { subscribe, GrievanceEvent } from '../../../../../src/domain/events';
import { Calendar, dueAt } from '../domain/clock';
import { durationsFor, SlaLevelRecord } from '../domain/levels';
import { DEFAULT_WORKING_DAYS, UID } from '../constants';

/** Actions after which the case starts afresh at its (new) level. */
const RESTARTS = new Set(['escalate', 'appeal', 'approve_transfer']);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  async function regionChain(regionDocumentId: string | null): Promise<string[]> {
    const chain: string[] = [];
    let current = regionDocumentId;
    while (current && chain.length < 12) {
      chain.push(current);
      const row = await q(UID.region).findOne({ where: { documentId: current }, populate: { parent: { select: ['documentId'] } } });
      current = row?.parent?.documentId ?? null;
    }
    return chain;
  }

  const service = {
    /** The project's working calendar for a level, with holidays of the case's region and above. */
    async calendarFor(projectDocumentId: string, regionDocumentId: string | null, mode: Calendar['mode']): Promise<Calendar> {
      const project = await q(UID.project).findOne({ where: { documentId: projectDocumentId }, orderBy: { id: 'asc' } });
      const regions = await regionChain(regionDocumentId);
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
    },

    async level(projectDocumentId: string, order: number): Promise<SlaLevelRecord | null> {
      return q(UID.slaLevel).findOne({ where: { project: { documentId: projectDocumentId }, order }, orderBy: { id: 'asc' } });
    },

    /** Sets the deadlines of a case at a level, counted from `from`. */
    async startLevel(grievanceId: number, order: number, from: Date) {
      const grievance = await q(UID.grievance).findOne({
        where: { id: grievanceId },
        select: ['id', 'priority'],
        populate: { project: { select: ['documentId'] }, region: { select: ['documentId'] } },
      });
      if (!grievance?.project) return;
      const level = await service.level(grievance.project.documentId, order);
      if (!level) return;
      const calendar = await service.calendarFor(grievance.project.documentId, grievance.region?.documentId ?? null, level.calendar ?? 'business');
      const { acknowledgeWithinHours, resolveWithinHours } = durationsFor(level, grievance.priority);
      await q(UID.grievance).update({
        where: { id: grievanceId },
        data: {
          slaStartedAt: from,
          acknowledgeDueAt: acknowledgeWithinHours ? dueAt(from, acknowledgeWithinHours, calendar) : null,
          resolveDueAt: resolveWithinHours ? dueAt(from, resolveWithinHours, calendar) : null,
          slaState: 'on_track',
        },
      });
    },

    subscribe(): () => void {
      const offReceived = subscribe('grievance.received', (event: GrievanceEvent) => service.startLevel(event.grievance.id, 1, new Date(event.at)));
      const offTransitioned = subscribe('grievance.transitioned', async (event: GrievanceEvent) => {
        if (!RESTARTS.has(event.action)) return;
        const row = await q(UID.grievance).findOne({ where: { id: event.grievance.id }, select: ['escalationLevel'] });
        await service.startLevel(event.grievance.id, row?.escalationLevel ?? 1, new Date(event.at));
      });
      return () => {
        offReceived();
        offTransitioned();
      };
    },
  };
  return service;
};
