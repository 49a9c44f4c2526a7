/**
 * Effects of the workflow: loads a case, asks the pure machine what may happen, and applies the
 * answer in one transaction (conditional update on id+status+version, case-history row,
 * transfer-request row, domain event to in-transaction subscribers).
 */
import type { Core } from '@strapi/strapi';
import { durably } from '../../../../../src/platform/transactions';
import { Accepted, Action, ACTIONS, Actor, availableActions, CaseState, isRefusal, next, StaffRole, TRANSITIONS, TransitionInput } from '../domain/machine';
import { mergeRules } from '../domain/rules';
import { ASSIGNABLE_ADMIN_ROLES, DOCUMENT_ID, ROLE_BY_ADMIN_ROLE, STEP_UP_ACTIONS, UID } from '../constants';
import { WorkflowRefusal } from './refusal';
import { readableCases } from '../../../../../src/platform/case-access';
import { loadStaffScope } from '../../../../../src/platform/staff-scope';
import type { CaseRecord, LoadedCase } from './store';
import { linkTo } from '../../../../../src/platform/stored-files';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES } from '../../../../../src/domain/vocabulary';
import { getService } from '../../../../../src/platform/services';

/** The case's file fields: the citizen's attachments and the resolution documents. */
const FILE_FIELDS = ['attachments', 'resolutionAgreement', 'implementationConfirmation'] as const;

export interface StaffUser {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  email: string;
  roles?: Array<{ code: string }>;
}

export interface TransitionRequest {
  action: string;
  version?: number;
  note?: string;
  reason?: string;
  resolution?: string;
  justification?: string;
  visibility?: 'internal' | 'public';
  assignee?: number;
  toDepartment?: string;
}

const labelOf = (user: StaffUser) => [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email;

/** The staff member as the machine sees them: roles from their admin roles, departments from their staff profile. */
export function actorFor(user: StaffUser, departmentIds: readonly string[]): Actor {
  const roles = [...new Set((user.roles ?? []).map((r) => ROLE_BY_ADMIN_ROLE[r.code]).filter(Boolean))] as StaffRole[];
  return { kind: 'staff', userId: user.id, roles, departmentIds };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  async function loadCase(documentId: string): Promise<LoadedCase> {
    if (!DOCUMENT_ID.test(documentId)) throw new WorkflowRefusal('INVALID_ID', 'That is not a case id.');
    const loaded = await getService('cases', 'store').load(documentId);
    if (!loaded) throw new WorkflowRefusal('NOT_FOUND', 'No such case.');
    return loaded;
  }

  function stateOf({ row, pending, levels }: LoadedCase): CaseState {
    return {
      status: row.caseStatus,
      version: row.version ?? 0,
      escalationLevel: row.escalationLevel ?? 1,
      levels,
      assigneeId: row.assignee?.id ?? null,
      departmentId: row.department?.documentId ?? null,
      slaState: row.slaState ?? 'on_track',
      closedAt: row.closedAt,
      appealWindowDays: row.project?.appealWindowDays ?? 14,
      pendingTransfer: pending ? { toDepartmentId: pending.toDepartment?.documentId ?? '', requestedBy: pending.requestedBy?.id ?? null } : null,
      sensitive: Boolean(row.sensitive),
      categorySensitive: Boolean(row.category?.sensitive),
    };
  }

  /**
   * The same read scope the content manager applies, RBAC conditions included (the head of the
   * department a pending transfer goes to reads the case through `transfer-to-my-departments`),
   * as one database filter on this case.
   */
  async function ensureReadable(ability: any, row: CaseRecord): Promise<void> {
    const readable = await readableCases(ability, { ids: [row.id] });
    if (!readable.ids.has(row.id)) throw new WorkflowRefusal('NOT_ALLOWED', 'You may not act on this case.');
  }

  /** Whether the content manager would let this staff member save the case's form (its conditions evaluated on the case). */
  async function formEditable(ability: any, row: CaseRecord): Promise<boolean> {
    const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ability, model: UID.grievance });
    const permissionQuery = await checker.sanitizedQuery.update({});
    const populate = await (strapi.plugin('content-manager').service('populate-builder') as any)(UID.grievance).populateFromQuery(permissionQuery).build();
    const entity = await strapi.documents(UID.grievance as any).findOne({ documentId: row.documentId, populate } as any);
    return Boolean(entity) && !checker.cannot.update(entity);
  }

  /** Likely duplicates name only cases this staff member may read (docs/security.md). */
  async function readableDuplicates(ability: any, duplicates: Array<{ documentId: string }> | undefined) {
    const list = Array.isArray(duplicates) ? duplicates : [];
    const readable = await readableCases(ability, { documentIds: list.map((d) => String(d?.documentId)) });
    return list.filter((d) => readable.documentIds.has(String(d?.documentId)));
  }

  /** The departments on the staff member's active profile (read once per request with their RBAC scope). */
  async function profileDepartments(userId: number): Promise<string[]> {
    return (await loadStaffScope(userId)).departmentDocumentIds;
  }

  /** Officers who may be given this case: active profile in its department and project. */
  async function eligibleAssignees(row: CaseRecord): Promise<Array<{ id: number; name: string; email: string }>> {
    if (!row.department || !row.project) return [];
    const profiles = await q(UID.staffProfile).findMany({
      where: {
        active: true,
        departments: { documentId: row.department.documentId },
        projects: { documentId: row.project.documentId },
      },
      populate: { user: { populate: { roles: { select: ['code'] } } } },
    });
    return profiles
      .filter((p: any) => p.user?.isActive && p.user.roles?.some((r: { code: string }) => ASSIGNABLE_ADMIN_ROLES.includes(r.code)))
      .map((p: any) => ({ id: p.user.id, name: labelOf(p.user), email: p.user.email }));
  }

  async function resolveInput(request: TransitionRequest, row: CaseRecord): Promise<TransitionInput> {
    const input: TransitionInput = {
      note: request.note,
      reason: request.reason,
      resolution: request.resolution,
      justification: request.justification,
      visibility: request.visibility,
    };
    if (request.assignee != null) {
      const eligible = await eligibleAssignees(row);
      input.assignee = { id: request.assignee, inScope: eligible.some((e) => e.id === request.assignee) };
    }
    if (request.toDepartment != null) {
      const department = DOCUMENT_ID.test(request.toDepartment)
        ? await q(UID.department).findOne({
            where: { documentId: request.toDepartment, projects: { documentId: row.project?.documentId } },
            select: ['documentId'],
          })
        : null;
      input.toDepartment = { id: request.toDepartment, exists: Boolean(department) };
    }
    return input;
  }


  return {
    actorFor,

    async actions(user: StaffUser, ability: any, documentId: string) {
      const loaded = await loadCase(documentId);
      await ensureReadable(ability, loaded.row);
      const editable = await formEditable(ability, loaded.row);
      const state = stateOf(loaded);
      const table = mergeRules(loaded.row.project?.workflowRules);
      const actions = availableActions(state, actorFor(user, await profileDepartments(user.id)), table);
      return {
        documentId,
        // The receiving head of a transfer reads the case without being able to save its form.
        readOnly: !editable,
        status: state.status,
        version: state.version,
        escalationLevel: state.escalationLevel,
        levels: state.levels,
        slaState: state.slaState,
        acknowledgeDueAt: loaded.row.acknowledgeDueAt,
        resolveDueAt: loaded.row.resolveDueAt,
        priority: loaded.row.priority,
        assignee: loaded.row.assignee ? { id: loaded.row.assignee.id, name: labelOf(loaded.row.assignee) } : null,
        department: loaded.row.department ? { documentId: loaded.row.department.documentId, name: loaded.row.department.name } : null,
        // Why intake chose the priority, and recent cases this one may repeat.
        analysis: loaded.row.intakeAnalysis
          ? { priorityReasons: loaded.row.intakeAnalysis.priorityReasons ?? [], sentiment: loaded.row.intakeAnalysis.sentiment ?? null, duplicates: await readableDuplicates(ability, loaded.row.intakeAnalysis.duplicates) }
          : null,
        pendingTransfer: loaded.pending
          ? {
              toDepartment: { documentId: loaded.pending.toDepartment?.documentId, name: loaded.pending.toDepartment?.name },
              reason: loaded.pending.reason,
              requestedByMe: loaded.pending.requestedBy?.id === user.id,
            }
          : null,
        actions: actions.map((action) => ({
          action,
          requires: [...TRANSITIONS[action].requires, ...(TRANSITIONS[action].justifyWhenBreached && state.slaState === 'breached' ? ['justification'] : [])],
        })),
      };
    },

    /**
     * The departments this case may be transferred to: the other departments of its project (the
     * machine refuses its own department too), named in the staff member's language where given.
     */
    async transferTargets(user: StaffUser, ability: any, documentId: string, locale?: string) {
      const loaded = await loadCase(documentId);
      await ensureReadable(ability, loaded.row);
      if (!loaded.row.project) return [];
      const rows = await q(UID.department).findMany({
        where: {
          locale: SUPPORTED_LOCALES.includes(locale as any) ? locale : DEFAULT_LOCALE,
          projects: { documentId: loaded.row.project.documentId },
          ...(loaded.row.department ? { documentId: { $ne: loaded.row.department.documentId } } : {}),
        },
        select: ['documentId', 'name', 'code'],
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return rows.map((d: any) => ({ documentId: d.documentId, code: d.code, name: d.name }));
    },

    async assignees(user: StaffUser, ability: any, documentId: string) {
      const loaded = await loadCase(documentId);
      await ensureReadable(ability, loaded.row);
      return eligibleAssignees(loaded.row);
    },

    async history(user: StaffUser, ability: any, documentId: string) {
      const loaded = await loadCase(documentId);
      await ensureReadable(ability, loaded.row);
      const events = await q(UID.grievanceEvent).findMany({
        where: { grievance: { id: loaded.row.id } },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      });
      return events.map((e: any) => ({
        id: e.id,
        type: e.type,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        actor: { type: e.actorType, label: e.actorLabel },
        note: e.note,
        visibility: e.visibility,
        occurredAt: new Date(e.occurredAt).toISOString(),
        details: e.data ?? null,
      }));
    },

    /**
     * Signed download links (docs/security.md#files) to the case's files, for staff who may read
     * the case and the field that holds them; the storage addresses themselves answer 404.
     */
    async files(user: StaffUser, ability: any, documentId: string) {
      const loaded = await loadCase(documentId);
      await ensureReadable(ability, loaded.row);
      const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ability, model: UID.grievance });
      const fields = FILE_FIELDS.filter((field) => !checker.cannot.read(undefined, field));
      if (fields.length === 0) return [];
      const select = ['id', 'name', 'mime', 'size'];
      const row = await q(UID.grievance).findOne({ where: { id: loaded.row.id }, select: ['id'], populate: Object.fromEntries(fields.map((f) => [f, { select }])) });
      const now = Date.now();
      return fields.flatMap((field) => [row?.[field] ?? []].flat().map((file: any) => ({ field, ...linkTo(file, now) })));
    },

    /** One transition by a staff member, one transaction. */
    async transition(user: StaffUser, ability: any, documentId: string, request: TransitionRequest) {
      return run({ user, ability }, documentId, request);
    },

    /**
     * A transition by the platform itself (escalation on breach, auto-close): no staff scope,
     * the `system` role, the same rules and the same single transaction.
     */
    async transitionAsSystem(documentId: string, request: TransitionRequest & { version: number }, label = 'system') {
      return run({ system: label }, documentId, request);
    },

    /**
     * The machine's answer to a platform action on a case already loaded (the sweep loads and
     * decides a batch, and the case store writes the accepted ones together): the same rules as
     * transitionAsSystem, without writing anything.
     */
    async decideAsSystem(loaded: LoadedCase, request: TransitionRequest & { action: Action; version: number }, now: Date): Promise<{ state: CaseState; outcome: Accepted } | { refusal: string }> {
      const state = stateOf(loaded);
      if (request.version !== state.version) return { refusal: 'STALE_VERSION' };
      const result = next(state, request.action, { kind: 'system', roles: [] }, await resolveInput(request, loaded.row), mergeRules(loaded.row.project?.workflowRules), now);
      if (isRefusal(result)) return { refusal: result.code };
      return { state, outcome: result as Accepted };
    },

    /**
     * A citizen's action on their own case (accept, appeal), after the caller has checked the
     * case secret: the `citizen` role, the same rules, one transaction.
     */
    async transitionAsCitizen(documentId: string, request: TransitionRequest & { version: number }) {
      return run({ citizen: true }, documentId, request);
    },

    /**
     * The citizen's rating of a resolved or closed case, once: stored on the case, recorded in
     * its history and announced (`feedback_received`) in one transaction.
     */
    async recordFeedback(documentId: string, feedback: { rating: number; comment?: string | null }) {
      return durably(async () => {
        const { row } = await loadCase(documentId);
        if (!['resolved', 'closed'].includes(row.caseStatus)) throw new WorkflowRefusal('ILLEGAL_TRANSITION', 'Feedback is possible once the case is resolved.');
        await getService('cases', 'store').recordFeedback(row, feedback, new Date());
        return { rating: feedback.rating };
      });
    },
  };

  async function run(who: { user?: StaffUser; ability?: any; system?: string; citizen?: boolean }, documentId: string, request: TransitionRequest) {
      if (!ACTIONS.includes(request.action as Action)) {
        throw new WorkflowRefusal('UNKNOWN_ACTION', `Unknown action "${request.action}".`, [{ path: ['action'], message: `Use one of ${ACTIONS.join(', ')}.` }]);
      }
      const action = request.action as Action;
      if (action !== 'note' && !Number.isInteger(request.version)) {
        throw new WorkflowRefusal('VALIDATION', 'Send the version of the case you are looking at.', [{ path: ['version'], message: 'Required.' }]);
      }
      return durably(async () => {
        const loaded = await loadCase(documentId);
        const { row } = loaded;
        const user = who.user;
        if (user) await ensureReadable(who.ability, row);
        const state = stateOf(loaded);
        if (action !== 'note' && request.version !== state.version) {
          throw new WorkflowRefusal('STALE_VERSION', 'The case changed since you opened it; reload and try again.');
        }
        const actor: Actor = user ? actorFor(user, await profileDepartments(user.id)) : { kind: who.citizen ? 'citizen' : 'system', roles: [] };
        const actorLabel = user ? labelOf(user) : who.citizen ? 'citizen' : (who.system ?? 'system');
        const actorType: 'staff' | 'citizen' | 'system' = user ? 'staff' : who.citizen ? 'citizen' : 'system';
        const now = new Date();
        const result = next(state, action, actor, await resolveInput(request, row), mergeRules(row.project?.workflowRules), now);
        if (isRefusal(result)) throw new WorkflowRefusal(result.code, result.message, result.errors);
        const outcome = result as Accepted;
        // Allowed and legal: an action that ends a citizen's case for good also needs the staff member to confirm it is them.
        const stepUp = STEP_UP_ACTIONS.find((a) => a === action);
        if (user && stepUp) await getService('security', 'stepUp').require(stepUp);

        const { historyEventId } = await getService('cases', 'store').applyTransition({
          loaded,
          state,
          outcome,
          action,
          request,
          actor: { type: actorType, userId: user?.id ?? null, label: actorLabel },
          now,
        });
        return {
          documentId: row.documentId,
          status: outcome.state.status,
          version: outcome.state.version,
          escalationLevel: outcome.state.escalationLevel,
          assignee: outcome.state.assigneeId,
          department: outcome.state.departmentId,
          event: { id: historyEventId, action, fromStatus: state.status, toStatus: outcome.state.status, occurredAt: now.toISOString() },
        };
      });
  }
};
