/**
 * The escalation sweep: marks SLA states, escalates breached cases one level where the project
 * allows it, and auto-closes resolved cases the citizen never answered. Bounded batches;
 * idempotent; safe with several instances: a PostgreSQL advisory lock lets one sweeper run at a
 * time, and every change is a conditional update (SLA state) or a versioned workflow transition,
 * so a case moves at most once per level even if two sweepers reach it.
 */
import type { Core } from '@strapi/strapi';
import { Calendar } from '../domain/clock';
import { shouldAutoClose, shouldEscalate, stateOf } from '../domain/sweep';
import { OPEN_STATUSES } from '../../../../../src/domain/vocabulary';
import { UID } from '../constants';

const SWEEP_LOCK_KEY = 7_740_312;

export interface SweepResult {
  ran: boolean;
  checked: number;
  stateChanges: number;
  escalated: number;
  autoClosed: number;
  conflicts: number;
}

const asDate = (v: unknown) => (v ? new Date(v as string) : null);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const deadlines = () => strapi.plugin('escalation').service('deadlines');
  const workflow = () => strapi.plugin('workflow').service('workflow');

  /** Runs `work` holding the sweep lock on PostgreSQL; returns null when another sweeper holds it. */
  async function exclusively<T>(work: () => Promise<T>): Promise<T | null> {
    if (strapi.db.dialect.client !== 'postgres') return work();
    const client = (strapi.db.connection as any).client;
    const connection = await client.acquireConnection();
    try {
      const { rows } = await connection.query('SELECT pg_try_advisory_lock($1) AS ok', [SWEEP_LOCK_KEY]);
      if (!rows[0].ok) return null;
      try {
        return await work();
      } finally {
        await connection.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK_KEY]);
      }
    } finally {
      await client.releaseConnection(connection);
    }
  }

  async function transition(documentId: string, action: 'escalate' | 'auto_close', version: number, note: string) {
    try {
      await workflow().transitionAsSystem(documentId, { action, version, note }, 'SLA sweep');
      return true;
    } catch (error: any) {
      // Someone (a person, or another sweeper) moved the case first: nothing to do.
      if (error?.code === 'STALE_VERSION' || error?.code === 'ILLEGAL_TRANSITION') return false;
      throw error;
    }
  }

  return {
    async sweep(options: { now?: Date; batchSize?: number } = {}): Promise<SweepResult> {
      const now = options.now ?? new Date();
      const batchSize = options.batchSize ?? 200;
      const result = await exclusively(async () => {
        const counts: SweepResult = { ran: true, checked: 0, stateChanges: 0, escalated: 0, autoClosed: 0, conflicts: 0 };
        const calendars = new Map<string, { calendar: Calendar; remindBeforeHours: number; levels: number; autoEscalation: boolean }>();
        const settingsFor = async (projectId: string, regionId: string | null, order: number) => {
          const key = `${projectId}:${regionId}:${order}`;
          if (!calendars.has(key)) {
            const level = await deadlines().level(projectId, order);
            const project = await q(UID.project).findOne({ where: { documentId: projectId }, orderBy: { id: 'asc' } });
            const levels = await q(UID.slaLevel).count({ where: { project: { documentId: projectId }, locale: 'en' } });
            calendars.set(key, {
              calendar: await deadlines().calendarFor(projectId, regionId, level?.calendar ?? 'business'),
              remindBeforeHours: level?.remindBeforeHours ?? 0,
              levels,
              autoEscalation: project?.autoEscalation !== false,
            });
          }
          return calendars.get(key)!;
        };

        let after = 0;
        for (;;) {
          const batch = await q(UID.grievance).findMany({
            where: { id: { $gt: after }, caseStatus: { $in: [...OPEN_STATUSES] } },
            orderBy: { id: 'asc' },
            limit: batchSize,
            populate: { project: { select: ['documentId'] }, region: { select: ['documentId'] } },
          });
          if (batch.length === 0) break;
          after = batch[batch.length - 1].id;
          for (const row of batch) {
            if (!row.project) continue;
            counts.checked += 1;
            const c = {
              caseStatus: row.caseStatus,
              slaState: row.slaState,
              slaStartedAt: asDate(row.slaStartedAt ?? row.submittedAt),
              acknowledgedAt: asDate(row.acknowledgedAt),
              acknowledgeDueAt: asDate(row.acknowledgeDueAt),
              resolveDueAt: asDate(row.resolveDueAt),
              escalationLevel: row.escalationLevel ?? 1,
            };
            const settings = await settingsFor(row.project.documentId, row.region?.documentId ?? null, c.escalationLevel);
            const state = stateOf(c, now, settings.remindBeforeHours, settings.calendar);
            if (shouldEscalate(c, state, settings.autoEscalation, settings.levels)) {
              if (await transition(row.documentId, 'escalate', row.version, `Missed the level ${c.escalationLevel} deadline: escalated automatically.`)) counts.escalated += 1;
              else counts.conflicts += 1;
              continue;
            }
            if (state !== row.slaState) {
              const changed = await strapi.db.transaction(async () => {
                const { count } = await q(UID.grievance).updateMany({ where: { id: row.id, slaState: row.slaState }, data: { slaState: state } });
                if (count !== 1) return false;
                await q(UID.grievanceEvent).create({
                  data: {
                    grievance: row.id,
                    type: 'sla_change',
                    action: 'sla_state',
                    fromStatus: row.caseStatus,
                    toStatus: row.caseStatus,
                    actorType: 'system',
                    actorLabel: 'SLA sweep',
                    visibility: 'internal',
                    occurredAt: now,
                    data: { from: row.slaState, to: state, level: c.escalationLevel },
                  },
                });
                return true;
              });
              if (changed) counts.stateChanges += 1;
            }
          }
        }

        // Resolved cases waiting on the citizen.
        after = 0;
        for (;;) {
          const batch = await q(UID.grievance).findMany({
            where: { id: { $gt: after }, caseStatus: 'resolved' },
            orderBy: { id: 'asc' },
            limit: batchSize,
            populate: { project: { select: ['documentId', 'autoCloseDays'] } },
          });
          if (batch.length === 0) break;
          after = batch[batch.length - 1].id;
          for (const row of batch) {
            if (!shouldAutoClose(asDate(row.resolvedAt), row.project?.autoCloseDays ?? 7, now)) continue;
            if (await transition(row.documentId, 'auto_close', row.version, `No answer within ${row.project?.autoCloseDays ?? 7} days: closed automatically.`)) counts.autoClosed += 1;
            else counts.conflicts += 1;
          }
        }
        return counts;
      });
      return result ?? { ran: false, checked: 0, stateChanges: 0, escalated: 0, autoClosed: 0, conflicts: 0 };
    },
  };
};
