/**
 * The case store (docs/architecture.md, "The case and who writes it"): the code that reads a case
 * for a decision, writes a case's rows and publishes what changed, so that every change reaches
 * the audit trail and the outbox in the same transaction. Other plugins decide and ask it; they
 * do not write the case.
 *
 * It owns workflow transitions and the citizen's rating, routing (the assignee and region an
 * escalation or appeal moves a case to) and the record of SLA-state changes; intake and the
 * content manager's saves move here one write path at a time. Every write runs in the caller's
 * transaction and must be called inside one.
 */
import type { Core } from '@strapi/strapi';
import { sanitize } from '@strapi/utils';
import { publish, publishMany, type DomainEvent, type GrievanceRef, type SlaEvent } from '../../../../../src/domain/events';
import type { GrievanceStatus, SlaState } from '../../../../../src/domain/vocabulary';
import type { Actor } from '../../../../../src/platform/actor';
import { boolOf as bool, columnOf, currentKnex, isoOf as iso, jsonOf as json, linkFiles, linkOf, setToOne, setToOneMany, tableOf } from '../../../../../src/platform/tables';
import type { Accepted, Action, CaseState, Role } from '../domain/machine';
import { UID } from '../constants';
import { WorkflowRefusal } from './refusal';

/** A case as the workflow decides on it: its own columns and the relations it needs, read in one statement. */
export interface CaseRecord {
  id: number;
  documentId: string;
  trackingCode: string;
  caseStatus: GrievanceStatus;
  version: number;
  escalationLevel: number;
  slaState: SlaState | null;
  priority: string | null;
  sensitive: boolean;
  closedAt: string | null;
  acknowledgeDueAt: string | null;
  resolveDueAt: string | null;
  slaPausedAt: string | null;
  slaPausedSeconds: number | null;
  intakeAnalysis: { priorityReasons?: string[]; sentiment?: unknown; duplicates?: Array<{ documentId: string }> } | null;
  project: { id: number; documentId: string; code: string; workflowRules: Record<string, readonly Role[]> | null; appealWindowDays: number | null } | null;
  category: { documentId: string; sensitive: boolean } | null;
  department: { id: number; documentId: string; code: string; name: string } | null;
  region: { documentId: string } | null;
  assignee: { id: number; firstname: string | null; lastname: string | null; email: string } | null;
}

export interface PendingTransfer {
  id: number;
  reason: string | null;
  toDepartment: { documentId: string; name: string } | null;
  requestedBy: { id: number } | null;
}

export interface LoadedCase {
  row: CaseRecord;
  pending: PendingTransfer | null;
  /** Levels on the project's ladder (at least one). */
  levels: number;
}

/** An accepted transition, as the workflow applies it. */
export interface TransitionWrite {
  loaded: LoadedCase;
  state: CaseState;
  outcome: Accepted;
  action: Action;
  request: { reason?: string; toDepartment?: string; justification?: string };
  actor: { type: 'staff' | 'citizen' | 'system'; userId: number | null; label: string };
  now: Date;
}

export interface RoutingDecision {
  grievanceId: number;
  grievance: GrievanceRef;
  /** The action that moved the case up (`escalate`, `appeal`) and when. */
  action: string;
  at: string;
  status: GrievanceStatus;
  level: number;
  levelName: string;
  /** The region the case moves to (its row id and documentId), or null to leave it. */
  region: { id: number; documentId: string } | null;
  /** The region the level owns, moved or not (for the record). */
  levelRegionDocumentId: string | null;
  assigneeId: number | null;
  /** Who must act when nobody could take the case: the department head. */
  notifyUserIds: number[];
  reason: string;
}

/** A new case's arrival, as its `received` history row and event record it. */
export interface Received {
  grievance: GrievanceRef;
  actor: Actor;
  at: string;
  channel: string;
  priority: string;
  sensitive: boolean;
  /** Intake wrote level 1's clocks with the case (the public paths): the deadlines need not set them. */
  clocksSet?: boolean;
}

export interface SlaStateChange {
  grievanceId: number;
  grievance: GrievanceRef;
  status: GrievanceStatus;
  from: string | null;
  to: string;
  level: number;
  at: Date;
}

/**
 * One escalation the sweep decided: the transition the machine accepted, the new level's clocks
 * and where the level routes the case. Written with the rest of its batch (applyEscalations).
 */
export interface EscalationWrite {
  loaded: LoadedCase;
  state: CaseState;
  outcome: Accepted;
  note: string;
  clocks: { slaStartedAt: Date; acknowledgeDueAt: Date | null; resolveDueAt: Date | null; slaState: string; slaCheckAt: Date | null } | null;
  routing: Pick<RoutingDecision, 'levelName' | 'region' | 'levelRegionDocumentId' | 'assigneeId' | 'notifyUserIds'> | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /**
   * The case and the relations a decision needs, with its project's ladder length, as one SELECT
   * over the link tables (the query engine reads each relation in a statement of its own: eight
   * statements for this before). Names come from Strapi's metadata.
   */
  async function readCases(where: { documentId: string } | { ids: number[] }, options: { lock?: boolean } = {}): Promise<Array<{ row: CaseRecord; levels: number }>> {
    const knex = await currentKnex();
    const c = (field: string) => `c.${columnOf(UID.grievance, field)}`;
    const relations = {
      project: { uid: UID.project, fields: ['id', 'documentId', 'code', 'workflowRules', 'appealWindowDays'] },
      category: { uid: 'api::category.category', fields: ['documentId', 'sensitive'] },
      department: { uid: UID.department, fields: ['id', 'documentId', 'code', 'name'] },
      region: { uid: 'api::region.region', fields: ['documentId'] },
      assignee: { uid: 'admin::user', fields: ['id', 'firstname', 'lastname', 'email'] },
    } as const;
    const own = ['id', 'documentId', 'trackingCode', 'caseStatus', 'version', 'escalationLevel', 'slaState', 'priority', 'sensitive', 'closedAt', 'acknowledgeDueAt', 'resolveDueAt', 'slaPausedAt', 'slaPausedSeconds', 'intakeAnalysis'];
    const query = knex({ c: tableOf(UID.grievance) }).select(Object.fromEntries(own.map((f) => [f, c(f)])));
    if ('documentId' in where) query.where(c('documentId'), where.documentId).limit(1);
    else query.whereIn('c.id', where.ids).orderBy('c.id');
    // The cases' rows stay as read until the caller's transaction ends (in id order: no deadlock
    // between two lockers); SQLite's writer holds the whole database anyway.
    if (options.lock && strapi.db.dialect.client === 'postgres') query.forUpdate('c');
    for (const [name, { uid, fields }] of Object.entries(relations)) {
      const link = linkOf(UID.grievance, name);
      query.leftJoin({ [`l_${name}`]: link.table }, `l_${name}.${link.owner}`, 'c.id').leftJoin({ [name]: tableOf(uid) }, `${name}.id`, `l_${name}.${link.target}`);
      query.select(Object.fromEntries(fields.map((f) => [`${name}__${f}`, `${name}.${columnOf(uid, f)}`])));
    }
    // The ladder: the project's levels in the default locale, as the escalation plugin counts them.
    const levelLink = linkOf(UID.slaLevel, 'project');
    query.select({
      levels: knex({ s: tableOf(UID.slaLevel) })
        .count('*')
        .join({ sl: levelLink.table }, `sl.${levelLink.owner}`, 's.id')
        .join({ sp: tableOf(UID.project) }, 'sp.id', `sl.${levelLink.target}`)
        .whereRaw('?? = ??', [`sp.${columnOf(UID.project, 'documentId')}`, `project.${columnOf(UID.project, 'documentId')}`])
        .where(`s.${columnOf(UID.slaLevel, 'locale')}`, 'en'),
    });
    return (await query).map((raw: any) => caseOf(raw));
  }

  function caseOf(raw: any): { row: CaseRecord; levels: number } {
    const related = (name: string) => (raw[`${name}__id`] ?? raw[`${name}__documentId`]) == null ? null : Object.fromEntries(Object.keys(raw).filter((k) => k.startsWith(`${name}__`)).map((k) => [k.slice(name.length + 2), raw[k]]));
    const project = related('project');
    const category = related('category');
    const row: CaseRecord = {
      id: Number(raw.id),
      documentId: raw.documentId,
      trackingCode: raw.trackingCode,
      caseStatus: raw.caseStatus,
      version: Number(raw.version ?? 0),
      escalationLevel: Number(raw.escalationLevel ?? 1),
      slaState: raw.slaState ?? null,
      priority: raw.priority ?? null,
      sensitive: bool(raw.sensitive),
      closedAt: iso(raw.closedAt),
      acknowledgeDueAt: iso(raw.acknowledgeDueAt),
      resolveDueAt: iso(raw.resolveDueAt),
      slaPausedAt: iso(raw.slaPausedAt),
      slaPausedSeconds: raw.slaPausedSeconds == null ? null : Number(raw.slaPausedSeconds),
      intakeAnalysis: json(raw.intakeAnalysis),
      project: project ? { ...(project as any), id: Number(project.id), workflowRules: json(project.workflowRules), appealWindowDays: project.appealWindowDays == null ? null : Number(project.appealWindowDays) } : null,
      category: category ? { documentId: category.documentId, sensitive: bool(category.sensitive) } : null,
      department: (related('department') as any) ?? null,
      region: (related('region') as any) ?? null,
      assignee: (related('assignee') as any) ?? null,
    };
    if (row.department) row.department.id = Number(row.department.id);
    if (row.assignee) row.assignee.id = Number(row.assignee.id);
    return { row, levels: Number(raw.levels ?? 0) };
  }

  /** The transfers waiting for a decision on these cases (the first per case), in one statement. */
  async function readPendingTransfers(grievanceIds: number[]): Promise<Map<number, PendingTransfer>> {
    const knex = await currentKnex();
    const t = (field: string) => `t.${columnOf(UID.transferRequest, field)}`;
    const onCase = linkOf(UID.transferRequest, 'grievance');
    const to = linkOf(UID.transferRequest, 'toDepartment');
    const by = linkOf(UID.transferRequest, 'requestedBy');
    const rows = await knex({ t: tableOf(UID.transferRequest) })
      .join({ lg: onCase.table }, `lg.${onCase.owner}`, 't.id')
      .leftJoin({ lt: to.table }, `lt.${to.owner}`, 't.id')
      .leftJoin({ d: tableOf(UID.department) }, 'd.id', `lt.${to.target}`)
      .leftJoin({ lb: by.table }, `lb.${by.owner}`, 't.id')
      .whereIn(`lg.${onCase.target}`, grievanceIds)
      .where(t('decision'), 'pending')
      .orderBy('t.id', 'asc')
      .select({ grievanceId: `lg.${onCase.target}`, id: 't.id', reason: t('reason'), toDocumentId: `d.${columnOf(UID.department, 'documentId')}`, toName: `d.${columnOf(UID.department, 'name')}`, requestedBy: `lb.${by.target}` });
    const pending = new Map<number, PendingTransfer>();
    for (const raw of rows) {
      if (pending.has(Number(raw.grievanceId))) continue;
      pending.set(Number(raw.grievanceId), {
        id: Number(raw.id),
        reason: raw.reason ?? null,
        toDepartment: raw.toDocumentId ? { documentId: raw.toDocumentId, name: raw.toName } : null,
        requestedBy: raw.requestedBy == null ? null : { id: Number(raw.requestedBy) },
      });
    }
    return pending;
  }

  /**
   * A case-history row and its links (the case; the staff member who acted), in three
   * statements: the query engine's `create` also reads the row back and the case's last order
   * first (five). Answers the row's id.
   */
  async function insertHistory(row: { grievance: number; actorUser?: number | null } & Record<string, unknown>): Promise<number> {
    const { grievance, actorUser, ...columns } = row;
    const { ids } = await q(UID.grievanceEvent).createMany({ data: [columns] });
    const id = Number(ids[0]);
    await setToOne(UID.grievanceEvent, 'grievance', id, grievance, { fresh: true });
    if (actorUser != null) await setToOne(UID.grievanceEvent, 'actorUser', id, actorUser, { fresh: true });
    return id;
  }

  /** Case-history rows and their links for many cases, in four statements whatever their number. Answers the rows' ids in order. */
  async function insertHistoryMany(rows: Array<{ grievance: number; actorUser?: number | null } & Record<string, unknown>>): Promise<number[]> {
    if (rows.length === 0) return [];
    const { ids } = await q(UID.grievanceEvent).createMany({ data: rows.map(({ grievance: _g, actorUser: _a, ...columns }) => columns) });
    const eventIds = ids.map(Number);
    await setToOneMany(UID.grievanceEvent, 'grievance', rows.map((row, i) => [eventIds[i], row.grievance]), { fresh: true });
    await setToOneMany(UID.grievanceEvent, 'actorUser', rows.flatMap((row, i) => (row.actorUser != null ? [[eventIds[i], row.actorUser] as [number, number]] : [])), { fresh: true });
    return eventIds;
  }

  /** Transfer requests are rows of their own, so the full transfer history survives decisions. */
  async function recordTransfer({ action, loaded, request, actor, now }: TransitionWrite) {
    const { row, pending } = loaded;
    if (action === 'request_transfer') {
      const [from, to] = await Promise.all([
        row.department ? q(UID.department).findOne({ where: { documentId: row.department.documentId }, orderBy: { id: 'asc' }, select: ['id'] }) : null,
        q(UID.department).findOne({ where: { documentId: request.toDepartment }, orderBy: { id: 'asc' }, select: ['id'] }),
      ]);
      const created = await q(UID.transferRequest).create({
        data: {
          grievance: row.id,
          fromDepartment: from?.id ?? null,
          toDepartment: to.id,
          reason: request.reason,
          decision: 'pending',
          requestedBy: actor.userId,
          requestedAt: now,
        },
      });
      return { transferRequest: created.id, fromDepartment: row.department?.documentId ?? null, toDepartment: request.toDepartment };
    }
    if (action === 'approve_transfer' || action === 'deny_transfer') {
      await q(UID.transferRequest).update({
        where: { id: pending!.id },
        data: { decision: action === 'approve_transfer' ? 'approved' : 'denied', decidedBy: actor.userId, decidedAt: now, decisionNote: request.reason ?? null },
      });
      return { transferRequest: pending!.id, toDepartment: pending!.toDepartment?.documentId, decision: action === 'approve_transfer' ? 'approved' : 'denied' };
    }
    return {};
  }

  /**
   * PostgreSQL: the escalations' conditional UPDATE as one statement over a VALUES list, each
   * case only if it still has the status and version the decision read. Answers the ids moved.
   */
  async function updateEscalated(writes: EscalationWrite[], now: Date): Promise<number[]> {
    const knex = await currentKnex();
    const table = tableOf(UID.grievance);
    const col = (field: string) => knex.raw('??', [columnOf(UID.grievance, field)]).toQuery();
    const values = writes
      .map(() => '(CAST(? AS integer), CAST(? AS integer), CAST(? AS varchar), CAST(? AS varchar), CAST(? AS integer), CAST(? AS integer), CAST(? AS boolean), CAST(? AS timestamp), CAST(? AS timestamp), CAST(? AS timestamp), CAST(? AS varchar), CAST(? AS timestamp))')
      .join(', ');
    const bindings = writes.flatMap(({ loaded, state, outcome, clocks }) => [
      loaded.row.id,
      state.version,
      state.status,
      outcome.state.status,
      outcome.state.version,
      outcome.state.escalationLevel,
      clocks !== null,
      clocks?.slaStartedAt ?? null,
      clocks?.acknowledgeDueAt ?? null,
      clocks?.resolveDueAt ?? null,
      clocks?.slaState ?? null,
      clocks?.slaCheckAt ?? null,
    ]);
    // A level without its clocks (no such level configured) leaves the deadlines as they were.
    const clock = (field: string, value: string) => `${col(field)} = CASE WHEN v.clocked THEN v.${value} ELSE g.${col(field)} END`;
    const { rows } = await knex.raw(
      `WITH v(id, version, status, to_status, to_version, level, clocked, started, ack_due, resolve_due, sla_state, check_at) AS (VALUES ${values})
       UPDATE ${table} AS g SET ${col('caseStatus')} = v.to_status, ${col('version')} = v.to_version, ${col('escalationLevel')} = v.level, ${col('updatedAt')} = CAST(? AS timestamp),
         ${clock('slaStartedAt', 'started')}, ${clock('acknowledgeDueAt', 'ack_due')}, ${clock('resolveDueAt', 'resolve_due')}, ${clock('slaState', 'sla_state')}, ${clock('slaCheckAt', 'check_at')}
       FROM v WHERE g.id = v.id AND g.${col('version')} = v.version AND g.${col('caseStatus')} = v.status
       RETURNING g.id`,
      [...bindings, now]
    );
    return rows.map((r: { id: number | string }) => Number(r.id));
  }

  /** The history row and the event of an accepted transition (one case, or one of a batch). */
  function transitionRecords(write: Omit<TransitionWrite, 'loaded'> & { loaded: { row: CaseRecord } }, transferDetails: Record<string, unknown>, options: { levelStarted?: boolean } = {}) {
    const { loaded, state, outcome, action, request, actor, now } = write;
    const { row } = loaded;
    const eventEffect = outcome.effects.find((e) => e.type === 'event') as Extract<Accepted['effects'][number], { type: 'event' }>;
    const details = {
      ...(outcome.changes.assigneeId != null ? { assignee: outcome.changes.assigneeId } : {}),
      ...(outcome.changes.escalationLevel ? { escalationLevel: outcome.changes.escalationLevel } : {}),
      ...(request.justification ? { justification: request.justification } : {}),
      ...(outcome.changes.sensitive !== undefined ? { sensitive: { from: state.sensitive, to: outcome.changes.sensitive } } : {}),
      ...transferDetails,
    };
    return {
      history: {
        grievance: row.id,
        type: eventEffect.kind,
        action,
        fromStatus: state.status,
        toStatus: outcome.state.status,
        actorType: actor.type,
        actorUser: actor.userId,
        actorLabel: actor.label,
        note: eventEffect.note,
        visibility: eventEffect.visibility,
        occurredAt: now,
        data: Object.keys(details).length > 0 ? details : null,
      },
      event: (historyEventId: number): DomainEvent => ({
        type: 'grievance.transitioned',
        action,
        grievance: {
          id: row.id,
          documentId: row.documentId,
          trackingCode: row.trackingCode,
          projectId: row.project?.documentId ?? null,
          departmentId: outcome.state.departmentId,
        },
        from: state.status,
        to: outcome.state.status,
        version: outcome.state.version,
        actor: actor.type === 'staff' ? { type: 'staff', userId: actor.userId!, label: actor.label } : { type: actor.type, label: actor.label },
        at: now.toISOString(),
        notify: outcome.effects.flatMap((e) => (e.type === 'notify' ? [e.event] : [])),
        details: { ...details, note: eventEffect.note, visibility: eventEffect.visibility },
        historyEventId,
        ...(options.levelStarted ? { levelStarted: true } : {}),
      }),
    };
  }

  /** The history row and the event of a routing (a case handed to its new level). */
  function routeRecords(decision: RoutingDecision) {
    return {
      history: {
        grievance: decision.grievanceId,
        type: 'assignment',
        action: 'route',
        fromStatus: decision.status,
        toStatus: decision.status,
        actorType: 'system',
        actorLabel: 'SLA routing',
        visibility: 'internal',
        occurredAt: new Date(decision.at),
        note: decision.assigneeId
          ? `Level ${decision.level} (${decision.levelName}): handed to the level's focal person.`
          : `Level ${decision.level} (${decision.levelName}): no focal person for this region and department; waiting for the department head to assign it.`,
        data: { level: decision.level, region: decision.levelRegionDocumentId, assignee: decision.assigneeId, notify: decision.notifyUserIds },
      },
      event: (): DomainEvent => ({
        type: 'grievance.routed',
        action: decision.action,
        level: decision.level,
        regionId: decision.levelRegionDocumentId,
        assigneeId: decision.assigneeId,
        notifyUserIds: decision.notifyUserIds,
        grievance: decision.grievance,
        at: decision.at,
        reason: decision.reason,
      }),
    };
  }

  async function announceCreated(id: number): Promise<void> {
    try {
      const model = strapi.getModel(UID.grievance as any);
      const row = await q(UID.grievance).findOne({ where: { id } });
      const entry = await sanitize.sanitizers.defaultSanitizeOutput({ schema: model, getModel: (uid: any) => strapi.getModel(uid) } as any, row);
      await strapi.eventHub.emit('entry.create', { model: model.modelName, uid: model.uid, entry });
    } catch (error: any) {
      strapi.log.warn(`New case ${id}: entry.create not sent (${error?.message ?? error}).`);
    }
  }

  const store = {
    /**
     * A case intake has just written (the document service, in this transaction): its `received`
     * history row and the `grievance.received` event that starts its clocks and notifications.
     */
    async recordReceived(received: Received): Promise<void> {
      const { grievance, actor } = received;
      const historyEventId = await insertHistory({
        grievance: grievance.id,
        type: 'received',
        action: 'submit',
        toStatus: 'submitted',
        actorType: actor.type,
        actorUser: actor.userId ?? null,
        actorLabel: actor.label,
        visibility: 'public',
        occurredAt: received.at,
        data: { channel: received.channel },
      });
      await publish({
        type: 'grievance.received',
        action: 'submit',
        grievance,
        from: null,
        to: 'submitted',
        version: 0,
        actor,
        at: received.at,
        notify: ['received'],
        details: { channel: received.channel, priority: received.priority, sensitive: received.sensitive, ...(received.clocksSet ? { clocksSet: true } : {}) },
        historyEventId,
      });
    },

    /**
     * A new case from intake's public paths: its row (one INSERT; the query engine seals the
     * citizen's contact on the way), its links, its attachments and its `received` history row
     * and event. Intake has checked and prepared everything; this only writes.
     */
    async fileCase(intake: {
      columns: Record<string, unknown>;
      links: Record<'project' | 'category' | 'department' | 'region', number | null>;
      attachments: number[];
      received: Omit<Received, 'grievance'> & { grievance: Omit<GrievanceRef, 'id'> };
    }): Promise<{ id: number }> {
      const { ids } = await q(UID.grievance).createMany({ data: [intake.columns] });
      const id = Number(ids[0]);
      for (const [relation, target] of Object.entries(intake.links)) if (target != null) await setToOne(UID.grievance, relation, id, target, { fresh: true });
      if (intake.attachments.length > 0) await linkFiles(UID.grievance, 'attachments', id, intake.attachments);
      await store.recordReceived({ ...intake.received, grievance: { id, ...intake.received.grievance } });
      // Strapi's `entry.create` (for webhooks), after COMMIT as the document service sends it; with
      // the case's own public fields, without re-reading every relation (eleven statements).
      await strapi.db.transaction(async ({ onCommit }: any) => onCommit(() => announceCreated(id)));
      return { id };
    },

    /** A deadline reminder the sweep has just claimed (its own row): the event that notifies. */
    async announceSla(event: Omit<SlaEvent, 'type'>): Promise<void> {
      await publish({ type: 'grievance.sla', ...event });
    },

    /** The case by documentId with what a workflow decision needs, or null. */
    async load(documentId: string): Promise<LoadedCase | null> {
      const [found] = await readCases({ documentId });
      if (!found) return null;
      const pending = await readPendingTransfers([found.row.id]);
      return { row: found.row, pending: pending.get(found.row.id) ?? null, levels: Math.max(found.levels, 1) };
    },

    /**
     * Cases by row id with what a workflow decision needs, in two statements whatever their
     * number; `lock` holds their rows (PostgreSQL) until the caller's transaction ends, so what a
     * batch decides on is what it writes over.
     */
    async loadMany(ids: number[], options: { lock?: boolean } = {}): Promise<Map<number, LoadedCase>> {
      const loaded = new Map<number, LoadedCase>();
      if (ids.length === 0) return loaded;
      const found = await readCases({ ids }, options);
      const pending = await readPendingTransfers(found.map(({ row }) => row.id));
      for (const { row, levels } of found) loaded.set(row.id, { row, pending: pending.get(row.id) ?? null, levels: Math.max(levels, 1) });
      return loaded;
    },

    /**
     * Escalations the sweep decided, written for the whole batch at once in the caller's
     * transaction: one conditional UPDATE (id, status, version) that moves each case up with its
     * new level's deadlines, the routing's links, every history row and its links in a few
     * statements, then the cases' events (transitioned, routed) to the same subscribers as a
     * single transition's, in one call per subscriber where it can take them so. A case someone moved meanwhile is left out. Answers the ids moved.
     */
    async applyEscalations(writes: EscalationWrite[], actorLabel: string, now: Date): Promise<Set<number>> {
      const moved = new Set<number>();
      if (writes.length === 0) return moved;
      if (strapi.db.dialect.client === 'postgres') {
        for (const id of await updateEscalated(writes, now)) moved.add(id);
      } else {
        // SQLite: statements cost no round trip; the query engine converts the dates.
        for (const { loaded, state, outcome, clocks } of writes) {
          const { count } = await q(UID.grievance).updateMany({
            where: { id: loaded.row.id, caseStatus: state.status, version: state.version },
            data: { caseStatus: outcome.state.status, version: outcome.state.version, escalationLevel: outcome.state.escalationLevel, updatedAt: now, ...(clocks ?? {}) },
          });
          if (count === 1) moved.add(loaded.row.id);
        }
      }
      const done = writes.filter((w) => moved.has(w.loaded.row.id));
      const routed = done.filter((w) => w.routing);
      await setToOneMany(UID.grievance, 'assignee', routed.map((w) => [w.loaded.row.id, w.routing!.assigneeId]));
      await setToOneMany(UID.grievance, 'region', routed.filter((w) => w.routing!.region).map((w) => [w.loaded.row.id, w.routing!.region!.id]));
      const actor = { type: 'system' as const, userId: null, label: actorLabel };
      const records = done.map((w) => {
        const { row } = w.loaded;
        // The deadlines and the routing are written here: the escalation plugin's subscriber must not do them again.
        const transition = transitionRecords({ ...w, action: 'escalate', request: {}, actor, now }, {}, { levelStarted: true });
        const grievance: GrievanceRef = { id: row.id, documentId: row.documentId, trackingCode: row.trackingCode, projectId: row.project?.documentId ?? null, departmentId: w.outcome.state.departmentId };
        const route = w.routing
          ? routeRecords({
              ...w.routing,
              grievanceId: row.id,
              grievance,
              action: 'escalate',
              at: now.toISOString(),
              status: w.outcome.state.status,
              level: w.outcome.state.escalationLevel,
              reason: String(w.note ?? ''),
            })
          : null;
        return { transition, route };
      });
      const ids = await insertHistoryMany(records.flatMap(({ transition, route }) => [transition.history, ...(route ? [route.history] : [])]));
      const events: DomainEvent[] = [];
      let next = 0;
      for (const { transition, route } of records) {
        events.push(transition.event(ids[next]));
        next += route ? 2 : 1;
      }
      // Subscribers with a batch form (audit, outbox) write the whole batch's rows at once.
      await publishMany([...events, ...records.flatMap(({ route }) => (route ? [route.event()] : []))]);
      return moved;
    },

    /**
     * Applies an accepted transition: the conditional update on (id, status, version) that
     * loses to a double click or a racing instance, the relations it moves, its transfer row,
     * its history row and its event, in the caller's transaction.
     */
    async applyTransition(write: TransitionWrite) {
      const { loaded, state, outcome, action, now } = write;
      const { row } = loaded;
      if (action !== 'note') {
        const data: Record<string, unknown> = { caseStatus: outcome.state.status, version: outcome.state.version, escalationLevel: outcome.state.escalationLevel };
        if (outcome.changes.stamp) data[outcome.changes.stamp] = now;
        if (outcome.changes.resolution) data.resolution = outcome.changes.resolution;
        if (outcome.changes.sensitive !== undefined) data.sensitive = outcome.changes.sensitive;
        for (const effect of outcome.effects) {
          if (effect.type !== 'sla') continue;
          if (effect.change === 'pause') data.slaPausedAt = now;
          if (effect.change === 'resume' && row.slaPausedAt) {
            data.slaPausedSeconds = (row.slaPausedSeconds ?? 0) + Math.round((now.getTime() - new Date(row.slaPausedAt).getTime()) / 1000);
            data.slaPausedAt = null;
          }
          // Fresh deadlines at the new level come from the escalation plugin, on the same event.
        }
        const { count } = await q(UID.grievance).updateMany({
          where: { id: row.id, caseStatus: state.status, version: state.version },
          data: { ...data, updatedAt: now },
        });
        if (count !== 1) throw new WorkflowRefusal('STALE_VERSION', 'The case changed since you opened it; reload and try again.');
        if (outcome.changes.assigneeId !== undefined) await setToOne(UID.grievance, 'assignee', row.id, outcome.changes.assigneeId);
        if (outcome.changes.departmentId) {
          const department = await q(UID.department).findOne({ where: { documentId: outcome.changes.departmentId }, orderBy: { id: 'asc' }, select: ['id'] });
          await setToOne(UID.grievance, 'department', row.id, department.id);
        }
      }

      const records = transitionRecords(write, await recordTransfer(write));
      const historyEventId = await insertHistory(records.history);
      await publish(records.event(historyEventId));
      return { historyEventId };
    },

    /**
     * The citizen's rating of a resolved or closed case, once: stored on the case (only while it
     * has none), recorded in its history and announced (`feedback_received`).
     */
    async recordFeedback(row: CaseRecord, feedback: { rating: number; comment?: string | null }, now: Date): Promise<void> {
      const { count } = await q(UID.grievance).updateMany({
        where: { id: row.id, rating: { $null: true } },
        data: { rating: feedback.rating, feedback: feedback.comment ?? null },
      });
      if (count !== 1) throw new WorkflowRefusal('ALREADY_RATED', 'This case has already been rated.');
      const historyEventId = await insertHistory({
        grievance: row.id,
        type: 'note',
        action: 'feedback',
        fromStatus: row.caseStatus,
        toStatus: row.caseStatus,
        actorType: 'citizen',
        actorLabel: 'citizen',
        note: feedback.comment ?? null,
        visibility: 'internal',
        occurredAt: now,
        data: { rating: feedback.rating },
      });
      await publish({
        type: 'grievance.transitioned',
        action: 'feedback',
        grievance: { id: row.id, documentId: row.documentId, trackingCode: row.trackingCode, projectId: row.project?.documentId ?? null, departmentId: row.department?.documentId ?? null },
        from: row.caseStatus,
        to: row.caseStatus,
        version: row.version,
        actor: { type: 'citizen', label: 'citizen' },
        at: now.toISOString(),
        notify: ['feedback_received'],
        details: { rating: feedback.rating },
        historyEventId,
      });
    },

    /** Hands a case that moved up to its new level's region and focal person (or to nobody), with its history row and event. */
    async route(decision: RoutingDecision): Promise<void> {
      // Routing follows a transition (escalate, appeal) that has just stamped the case's updatedAt.
      await setToOne(UID.grievance, 'assignee', decision.grievanceId, decision.assigneeId);
      if (decision.region) await setToOne(UID.grievance, 'region', decision.grievanceId, decision.region.id);
      const records = routeRecords(decision);
      await insertHistory(records.history);
      await publish(records.event());
    },

    /** Records an SLA state the sweep has just set (its own column), with the history row and event. */
    async recordSlaState(change: SlaStateChange): Promise<void> {
      const historyEventId = await insertHistory({
        grievance: change.grievanceId,
        type: 'sla_change',
        action: 'sla_state',
        fromStatus: change.status,
        toStatus: change.status,
        actorType: 'system',
        actorLabel: 'SLA sweep',
        visibility: 'internal',
        occurredAt: change.at,
        data: { from: change.from, to: change.to, level: change.level },
      });
      await publish({
        type: 'grievance.sla_state',
        from: change.from,
        to: change.to,
        level: change.level,
        grievance: change.grievance,
        at: change.at.toISOString(),
        historyEventId,
      });
    },
  };
  return store;
};
