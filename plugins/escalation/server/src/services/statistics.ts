/**
 * SLA statistics (`GET /escalation/statistics`, docs/sla.md#sla-statistics), with the reports'
 * definitions of on time and late (src/domain/sla-outcome.ts, docs/reports.md#definitions).
 *
 * - Acknowledgement compliance: of the cases received in the period whose acknowledgement is
 *   due or done, the share acknowledged by the deadline (unacknowledged cases past the
 *   deadline count as late).
 * - Resolution compliance: of the cases received in the period that were resolved or are past
 *   their deadline, the share resolved without ever breaching (`resolvedOnTime`); open cases that
 *   have breached count as late.
 * - At risk / breached now: open cases in that state at the time of asking, whatever their age.
 * - Escalations per level and month: escalations and appeals in the period by the level they
 *   moved to, months in the project's time zone.
 */
import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { OPEN_STATUSES } from '../../../../../src/domain/vocabulary';
import { AWAITING_PICK_UP } from '../../../../../src/domain/sla-outcome';
import { UID } from '../constants';

export interface StatisticsQuery {
  projects: string[];
  /** Limits the figures to these departments (a department head's scope); absent = all. */
  departments?: string[];
  from: Date;
  to: Date;
  now?: Date;
}

const rate = (onTime: number, late: number) => (onTime + late === 0 ? null : Math.round((onTime / (onTime + late)) * 1000) / 1000);

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async statistics({ projects, departments, from, to, now = new Date() }: StatisticsQuery) {
    const q = (uid: string) => strapi.db.query(uid as any);
    const inProjects = { project: { documentId: { $in: projects } }, ...(departments ? { department: { documentId: { $in: departments } } } : {}) };
    const received = { ...inProjects, submittedAt: { $gte: from, $lt: to } };
    const open = { caseStatus: { $in: [...OPEN_STATUSES] } };
    const count = (where: Record<string, unknown>) => q(UID.grievance).count({ where });

    const [ackOnTime, ackLate, ackOverdue, resOnTime, resLate, resOverdue, atRisk, breached] = await Promise.all([
      count({ ...received, acknowledgedOnTime: true }),
      count({ ...received, acknowledgedOnTime: false }),
      count({ ...received, caseStatus: 'submitted', acknowledgeDueAt: { $lt: now } }),
      count({ ...received, resolvedOnTime: true }),
      count({ ...received, resolvedOnTime: false }),
      // Open and overdue now or before (src/domain/sla-outcome.ts), as the reports count it.
      count({
        ...received,
        ...open,
        $or: [{ breachedAt: { $notNull: true } }, { resolveDueAt: { $lt: now } }, { caseStatus: { $in: [...AWAITING_PICK_UP] }, acknowledgeDueAt: { $lt: now } }],
      }),
      count({ ...inProjects, ...open, slaState: 'at_risk' }),
      count({ ...inProjects, ...open, slaState: 'breached' }),
    ]);

    const zones = new Map<string, string>(
      (await q(UID.project).findMany({ where: { documentId: { $in: projects } }, select: ['documentId', 'timezone'] })).map((p: any) => [p.documentId, p.timezone || 'UTC'])
    );
    const events = await q(UID.grievanceEvent).findMany({
      where: { action: { $in: ['escalate', 'appeal'] }, occurredAt: { $gte: from, $lt: to }, grievance: inProjects },
      select: ['occurredAt', 'data'],
      populate: { grievance: { select: ['id'], populate: { project: { select: ['documentId'] } } } },
    });
    const perMonth = new Map<string, number>();
    for (const event of events) {
      const level = Number((event.data as { escalationLevel?: number } | null)?.escalationLevel);
      if (!Number.isInteger(level)) continue;
      const zone = zones.get(event.grievance?.project?.documentId) ?? 'UTC';
      const month = DateTime.fromJSDate(new Date(event.occurredAt), { zone }).toFormat('yyyy-MM');
      const key = `${month}|${level}`;
      perMonth.set(key, (perMonth.get(key) ?? 0) + 1);
    }
    const escalations = [...perMonth.entries()]
      .map(([key, n]) => {
        const [month, level] = key.split('|');
        return { month, level: Number(level), count: n };
      })
      .sort((a, b) => a.month.localeCompare(b.month) || a.level - b.level);

    return {
      period: { from: from.toISOString(), to: to.toISOString() },
      acknowledgement: { onTime: ackOnTime, late: ackLate + ackOverdue, compliance: rate(ackOnTime, ackLate + ackOverdue) },
      resolution: { onTime: resOnTime, late: resLate + resOverdue, compliance: rate(resOnTime, resLate + resOverdue) },
      now: { atRisk, breached },
      escalations,
    };
  },
});
