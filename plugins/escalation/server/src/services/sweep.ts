/**
 * The escalation sweep: marks SLA states, queues reminders and breach notices, escalates
 * breached cases one level where the project allows it, and auto-closes resolved cases the
 * citizen never answered.
 *
 * It reads only open cases whose next check time (`slaCheckAt`, set with every deadline) has
 * come, in bounded batches, so a sweep with nothing to do costs one index range scan. It is
 * idempotent and safe with several instances: a PostgreSQL advisory lock lets one sweeper run
 * at a time, and every change is a conditional update on the version the sweeper read (SLA
 * state) or a versioned workflow transition (escalation, auto-close), so a case moves at most
 * once per level even if two sweepers reach it; reminders are unique per case, level, clock
 * and kind in the database as well.
 */
import type { Core } from '@strapi/strapi';
import { OPEN_STATUSES } from '../../../../../src/domain/vocabulary';
import { Calendar } from '../domain/clock';
import { clockStates, nextCheckAt, RECHECK_BREACHED_MS, shouldAutoClose, shouldEscalate, stateOf, SweepCase } from '../domain/sweep';
import { UID } from '../constants';
import { counted } from '../../../../../src/domain/plural';
import { getService, type PluginServices } from '../../../../../src/platform/services';
import { durably } from '../../../../../src/platform/transactions';

/** One escalation as the case store writes it with its batch. */
type EscalationWrite = Parameters<PluginServices['cases']['store']['applyEscalations']>[0][number];

/** The key of the PostgreSQL advisory lock held for one sweep run. */
const SWEEP_LOCK_KEY = 7_740_312;
const DAY = 86_400_000;
const DEFAULT_AUTO_CLOSE_DAYS = 7;

export interface SweepResult {
  ran: boolean;
  checked: number;
  stateChanges: number;
  reminders: number;
  escalated: number;
  autoClosed: number;
  conflicts: number;
}

interface LevelSettings {
  calendar: Calendar;
  remindBeforeHours: number;
  levels: number;
  autoEscalation: boolean;
}

const asDate = (v: unknown) => (v ? new Date(v as string) : null);
const emptyResult = (ran: boolean): SweepResult => ({ ran, checked: 0, stateChanges: 0, reminders: 0, escalated: 0, autoClosed: 0, conflicts: 0 });

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const deadlines = () => getService('escalation', 'deadlines');
  const workflow = () => getService('cases', 'workflow');

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

  async function transition(documentId: string, action: 'auto_close', version: number, note: string) {
    try {
      await workflow().transitionAsSystem(documentId, { action, version, note }, 'SLA sweep');
      return true;
    } catch (error: any) {
      // Someone (a person, or another sweeper) moved the case first: nothing to do.
      if (error?.code === 'STALE_VERSION' || error?.code === 'ILLEGAL_TRANSITION') return false;
      throw error;
    }
  }

  /** Level settings per project, region and level, loaded once per run. */
  function settingsCache() {
    const cache = new Map<string, Promise<LevelSettings>>();
    return (projectId: string, regionId: string | null, order: number) => {
      const key = `${projectId}:${regionId}:${order}`;
      if (!cache.has(key)) {
        cache.set(
          key,
          (async () => {
            const level = await deadlines().level(projectId, order);
            const project = await q(UID.project).findOne({ where: { documentId: projectId }, orderBy: { id: 'asc' } });
            const levels = await q(UID.slaLevel).count({ where: { project: { documentId: projectId }, locale: 'en' } });
            return {
              calendar: await deadlines().calendarFor(projectId, regionId, level?.calendar ?? 'business'),
              remindBeforeHours: level?.remindBeforeHours ?? 0,
              levels,
              autoEscalation: project?.autoEscalation !== false,
            };
          })()
        );
      }
      return cache.get(key)!;
    };
  }

  /**
   * Records a new SLA state, the next check time and any reminders due, in one transaction,
   * only if the case is still the version the sweeper read.
   */
  async function mark(row: any, c: SweepCase, state: string, settings: LevelSettings, now: Date, counts: SweepResult) {
    const next = state === 'no_limit' ? null : (nextCheckAt(c, now, settings.remindBeforeHours, settings.calendar) ?? new Date(now.getTime() + RECHECK_BREACHED_MS));
    const changed = state !== row.slaState;
    const due = state === 'no_limit' ? [] : clockStates(c, now, settings.remindBeforeHours, settings.calendar).filter((s) => s.state !== 'on_track');
    const outcome = await strapi.db.transaction(async () => {
      const data: Record<string, unknown> = { slaCheckAt: next };
      if (changed) data.slaState = state;
      if (state === 'breached' && !row.breachedAt) data.breachedAt = now;
      const { count } = await q(UID.grievance).updateMany({ where: { id: row.id, version: row.version, slaState: row.slaState }, data });
      if (count !== 1) return null;
      const grievance = {
        id: row.id,
        documentId: row.documentId,
        trackingCode: row.trackingCode,
        projectId: row.project?.documentId ?? null,
        departmentId: row.department?.documentId ?? null,
      };
      if (changed) {
        await getService('cases', 'store').recordSlaState({ grievanceId: row.id, grievance, status: row.caseStatus, from: row.slaState ?? null, to: state, level: c.escalationLevel, at: now });
      }
      let reminders = 0;
      for (const { clock, due: dueAt, state: kind } of due) {
        const dedupeKey = `${row.id}:${c.escalationLevel}:${clock}:${kind}`;
        if (await q(UID.slaReminder).findOne({ where: { dedupeKey }, select: ['id'] })) continue;
        await q(UID.slaReminder).create({ data: { grievance: row.id, level: c.escalationLevel, clock, kind, dueAt, queuedAt: now, dedupeKey } });
        await getService('cases', 'store').announceSla({
          kind: kind as 'at_risk' | 'breached',
          clock,
          level: c.escalationLevel,
          dueAt: dueAt.toISOString(),
          grievance,
          at: now.toISOString(),
        });
        reminders += 1;
      }
      return { reminders };
    });
    if (!outcome) {
      counts.conflicts += 1;
      return;
    }
    if (changed) counts.stateChanges += 1;
    counts.reminders += outcome.reminders;
  }

  async function checkOpenCases(now: Date, batchSize: number, counts: SweepResult) {
    const settingsFor = settingsCache();
    const memo = new Map<string, Promise<unknown>>();
    const due: Array<{ id: number; version: number; level: number }> = [];
    // In order of check time (keyset on slaCheckAt, id), so the partial index of open cases by
    // check time reads only the cases due; in order of id, PostgreSQL may walk the primary key
    // through every case when its statistics expect many due (seconds at 1M cases).
    let after: { at: unknown; id: number } | null = null;
    for (;;) {
      const batch = await q(UID.grievance).findMany({
        where: {
          caseStatus: { $in: [...OPEN_STATUSES] },
          slaCheckAt: { $lte: now },
          ...(after ? { $or: [{ slaCheckAt: { $gt: after.at } }, { slaCheckAt: after.at, id: { $gt: after.id } }] } : {}),
        },
        orderBy: [{ slaCheckAt: 'asc' }, { id: 'asc' }],
        limit: batchSize,
        populate: { project: { select: ['documentId'] }, region: { select: ['documentId'] }, department: { select: ['documentId'] } },
      });
      if (batch.length === 0) return;
      const last = batch[batch.length - 1];
      after = { at: last.slaCheckAt, id: last.id };
      for (const row of batch) {
        if (!row.project) continue;
        counts.checked += 1;
        const c: SweepCase = {
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
          due.push({ id: row.id, version: row.version, level: c.escalationLevel });
          continue;
        }
        await mark(row, c, state, settings, now, counts);
      }
      await escalate(due.splice(0), memo, counts);
    }
  }

  /**
   * Escalates a batch of breached cases in one transaction: the cases read (and locked) in two
   * statements, each decided by the workflow's rules, its new level's deadlines and routing
   * decided here from reference data read once per run, and the whole batch written by the case
   * store (conditional on each case's status and version, so a case someone moved meanwhile is
   * left alone and counted as a conflict). If the batch fails, its cases are taken one by one,
   * so that one case that cannot be escalated (named in the log) does not hold back the others.
   */
  async function escalate(due: Array<{ id: number; version: number; level: number }>, memo: Map<string, Promise<unknown>>, counts: SweepResult) {
    if (due.length === 0) return;
    let moved: Set<number>;
    try {
      moved = await escalateTogether(due, memo);
    } catch (error: any) {
      if (due.length === 1) throw error;
      strapi.log.warn(`SLA sweep: a batch of ${due.length} escalations failed (${error?.message ?? error}); escalating them one by one.`);
      moved = new Set();
      for (const one of due) {
        try {
          for (const id of await escalateTogether([one], memo)) moved.add(id);
        } catch (caseError: any) {
          strapi.log.error(`SLA sweep: case ${one.id} could not be escalated: ${caseError?.message ?? caseError}`);
        }
      }
    }
    counts.escalated += moved.size;
    counts.conflicts += due.length - moved.size;
  }

  function escalateTogether(due: Array<{ id: number; version: number; level: number }>, memo: Map<string, Promise<unknown>>): Promise<Set<number>> {
    const store = getService('cases', 'store');
    return durably(async () => {
      const loaded = await store.loadMany(due.map((d) => d.id), { lock: true });
      // When it happens (the sweep's `now` decided what is due, maybe a while ago).
      const at = new Date();
      const writes: EscalationWrite[] = [];
      for (const { id, version, level } of due) {
        const current = loaded.get(id);
        const note = `Missed the level ${level} deadline: escalated automatically.`;
        const decided = current ? await workflow().decideAsSystem(current, { action: 'escalate', version, note }, at) : { refusal: 'NOT_FOUND' };
        if ('refusal' in decided) continue;
        const { row } = current!;
        const order = decided.outcome.state.escalationLevel;
        const routing = row.project
          ? await deadlines().routing({ projectDocumentId: row.project.documentId, regionDocumentId: row.region?.documentId ?? null, department: row.department, order }, memo)
          : null;
        const clocks = row.project
          ? await deadlines().clocksAt({
              projectDocumentId: row.project.documentId,
              // The level's clocks run in the calendar of the region the case moves to.
              regionDocumentId: routing?.region?.documentId ?? row.region?.documentId ?? null,
              priority: row.priority,
              caseStatus: decided.outcome.state.status,
              order,
              from: at,
            })
          : null;
        writes.push({ loaded: current!, state: decided.state, outcome: decided.outcome, note, clocks, routing });
      }
      return store.applyEscalations(writes, 'SLA sweep', at);
    });
  }

  /** Resolved cases waiting on the citizen past their project's auto-close days. */
  async function autoClose(now: Date, batchSize: number, counts: SweepResult) {
    const projects = await q(UID.project).findMany({ where: { locale: 'en' }, select: ['autoCloseDays'] });
    const shortest = Math.min(DEFAULT_AUTO_CLOSE_DAYS, ...projects.map((p: any) => p.autoCloseDays ?? DEFAULT_AUTO_CLOSE_DAYS));
    const resolvedBefore = new Date(now.getTime() - shortest * DAY);
    // Walked in order of resolution (keyset on resolvedAt, id), so the partial index of resolved
    // cases by resolution time (grievances_resolved_at_idx) reads only the cases that may be due;
    // in order of id, PostgreSQL walked the primary key through every case (0.4 s at 1M cases).
    let after: { at: unknown; id: number } | null = null;
    for (;;) {
      const batch = await q(UID.grievance).findMany({
        where: {
          caseStatus: 'resolved',
          resolvedAt: { $lte: resolvedBefore },
          ...(after ? { $or: [{ resolvedAt: { $gt: after.at } }, { resolvedAt: after.at, id: { $gt: after.id } }] } : {}),
        },
        orderBy: [{ resolvedAt: 'asc' }, { id: 'asc' }],
        limit: batchSize,
        select: ['id', 'documentId', 'version', 'resolvedAt'],
        populate: { project: { select: ['documentId', 'autoCloseDays'] } },
      });
      if (batch.length === 0) return;
      const last = batch[batch.length - 1];
      after = { at: last.resolvedAt, id: last.id };
      for (const row of batch) {
        const days = row.project?.autoCloseDays ?? DEFAULT_AUTO_CLOSE_DAYS;
        if (!shouldAutoClose(asDate(row.resolvedAt), days, now)) continue;
        if (await transition(row.documentId, 'auto_close', row.version, `No answer within ${counted(days, 'day', 'days')}: closed automatically.`)) counts.autoClosed += 1;
        else counts.conflicts += 1;
      }
    }
  }

  return {
    async sweep(options: { now?: Date; batchSize?: number } = {}): Promise<SweepResult> {
      const now = options.now ?? new Date();
      const batchSize = options.batchSize ?? 200;
      const result = await exclusively(async () => {
        const counts = emptyResult(true);
        await checkOpenCases(now, batchSize, counts);
        await autoClose(now, batchSize, counts);
        return counts;
      });
      return result ?? emptyResult(false);
    },
  };
};
