/**
 * The grievance lifecycle as data (docs/workflow.md) and a pure transition function in the XState
 * style: `next` returns the new state and the effects to run, or a typed refusal. It runs
 * nothing and touches no database, so every status × action × role cell is unit-tested.
 */
import type { GrievanceStatus, NotificationEvent, SlaState } from '../../../../../src/domain/vocabulary';
import { days } from '../../../../../src/domain/plural';

export const STAFF_ROLES = ['admin', 'project_admin', 'department_head', 'officer', 'intake', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/**
 * `assignee` and `receiving_head` are relational: a staff member holds `assignee` for the cases
 * assigned to them, and `receiving_head` for a case whose pending transfer is addressed to a
 * department they head.
 */
export type Role = StaffRole | 'assignee' | 'receiving_head' | 'citizen' | 'system';
export const ROLES: readonly Role[] = [...STAFF_ROLES, 'assignee', 'receiving_head', 'citizen', 'system'];

export const ACTIONS = [
  'acknowledge',
  'reject',
  'assign',
  'start',
  'escalate',
  'resolve',
  'accept',
  'auto_close',
  'appeal',
  'close',
  'request_transfer',
  'approve_transfer',
  'deny_transfer',
  'note',
  'unmark_sensitive',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Inputs an action may require; the service collects them, the machine checks them. */
export type InputField = 'reason' | 'resolution' | 'assignee' | 'toDepartment' | 'note';

export interface ActionSpec {
  from: readonly GrievanceStatus[];
  /** null: the action records something without moving the case. */
  to: GrievanceStatus | null;
  requires: readonly InputField[];
  roles: readonly Role[];
  /** Acting late on a breached case needs a written justification of the delay. */
  justifyWhenBreached?: boolean;
  notify: NotificationEvent | null;
  /** Roles a project may not grant or take away (the citizen's and the system's own actions). */
  fixedRoles?: readonly Role[];
}

const OPEN: GrievanceStatus[] = ['acknowledged', 'assigned', 'in_progress', 'escalated'];
const ALL: GrievanceStatus[] = ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed', 'rejected'];

export const TRANSITIONS: Record<Action, ActionSpec> = {
  acknowledge: { from: ['submitted'], to: 'acknowledged', requires: [], roles: ['intake', 'department_head', 'project_admin', 'admin'], notify: 'acknowledged' },
  reject: { from: ['submitted', 'acknowledged'], to: 'rejected', requires: ['reason'], roles: ['department_head', 'project_admin', 'admin'], notify: 'rejected' },
  assign: { from: ['acknowledged', 'escalated', 'assigned'], to: 'assigned', requires: ['assignee'], roles: ['department_head', 'project_admin', 'admin'], notify: 'assigned' },
  start: { from: ['assigned'], to: 'in_progress', requires: [], roles: ['assignee'], notify: 'in_progress' },
  escalate: {
    from: ['acknowledged', 'assigned', 'in_progress', 'escalated'],
    to: 'escalated',
    requires: [],
    roles: ['department_head', 'project_admin', 'admin', 'system'],
    fixedRoles: ['system'],
    notify: 'escalated',
  },
  resolve: {
    from: ['in_progress', 'escalated'],
    to: 'resolved',
    requires: ['resolution'],
    roles: ['assignee', 'department_head', 'project_admin', 'admin'],
    justifyWhenBreached: true,
    notify: 'resolved',
  },
  accept: { from: ['resolved'], to: 'closed', requires: [], roles: ['citizen'], fixedRoles: ['citizen'], notify: 'closed' },
  auto_close: { from: ['resolved'], to: 'closed', requires: [], roles: ['system'], fixedRoles: ['system'], notify: 'closed' },
  appeal: { from: ['resolved', 'closed'], to: 'escalated', requires: ['reason'], roles: ['citizen'], fixedRoles: ['citizen'], notify: 'appeal_received' },
  close: { from: ['resolved'], to: 'closed', requires: [], roles: ['department_head', 'project_admin', 'admin'], justifyWhenBreached: true, notify: 'closed' },
  request_transfer: {
    from: OPEN,
    to: null,
    requires: ['toDepartment', 'reason'],
    roles: ['assignee', 'department_head'],
    justifyWhenBreached: true,
    notify: 'transfer_requested',
  },
  // Never by the person who asked (segregation of duties, see `dutiesAllow`).
  approve_transfer: { from: OPEN, to: 'acknowledged', requires: [], roles: ['receiving_head', 'department_head', 'project_admin', 'admin'], notify: 'transfer_decided' },
  deny_transfer: { from: OPEN, to: null, requires: ['reason'], roles: ['receiving_head', 'department_head', 'project_admin', 'admin'], notify: 'transfer_decided' },
  note: { from: ALL, to: null, requires: ['note'], roles: ['assignee', 'department_head', 'project_admin', 'admin', 'intake'], notify: null },
  // Clearing the flag publishes the case's category and department and lets it into Open311: a
  // decision with a written reason and a step-up, never a toggle in a form.
  unmark_sensitive: { from: ALL, to: null, requires: ['reason'], roles: ['department_head', 'project_admin', 'admin'], notify: null },
};

/** Each action as a verb phrase around its case, for messages ("You may not add a note to this case."). */
const PHRASES: Record<Action, (theCase: string) => string> = {
  acknowledge: (c) => `acknowledge ${c}`,
  reject: (c) => `reject ${c}`,
  assign: (c) => `assign ${c}`,
  start: (c) => `start work on ${c}`,
  escalate: (c) => `escalate ${c}`,
  resolve: (c) => `resolve ${c}`,
  accept: (c) => `accept the resolution of ${c}`,
  auto_close: (c) => `close ${c} automatically`,
  appeal: (c) => `appeal the resolution of ${c}`,
  close: (c) => `close ${c}`,
  request_transfer: (c) => `request a transfer of ${c}`,
  approve_transfer: (c) => `approve the transfer of ${c}`,
  deny_transfer: (c) => `deny the transfer of ${c}`,
  note: (c) => `add a note to ${c}`,
  unmark_sensitive: (c) => `remove the sensitive mark from ${c}`,
};

export const TERMINAL: readonly GrievanceStatus[] = ['closed', 'rejected'];

export type RoleTable = Record<Action, readonly Role[]>;
export const DEFAULT_ROLES: RoleTable = Object.fromEntries(ACTIONS.map((a) => [a, TRANSITIONS[a].roles])) as RoleTable;

export interface CaseState {
  status: GrievanceStatus;
  version: number;
  escalationLevel: number;
  /** Number of levels on the project's ladder. */
  levels: number;
  assigneeId: number | null;
  departmentId: string | null;
  slaState: SlaState;
  /** When the case was closed, for the appeal window. */
  closedAt: string | null;
  appealWindowDays: number;
  /** The transfer waiting for a decision, and the staff member who asked for it. */
  pendingTransfer: { toDepartmentId: string; requestedBy?: number | null } | null;
  /** Restricted access, never in public data. */
  sensitive?: boolean;
  /** The case's category is sensitive by nature (e.g. gender-based violence): the flag stays. */
  categorySensitive?: boolean;
}

export interface Actor {
  kind: 'staff' | 'citizen' | 'system';
  userId?: number;
  roles: readonly StaffRole[];
  /**
   * The departments on the staff member's profile. When given, `department_head` counts only on
   * cases of those departments, and `receiving_head` on cases whose pending transfer goes to one.
   */
  departmentIds?: readonly string[];
}

export interface TransitionInput {
  note?: string;
  reason?: string;
  resolution?: string;
  justification?: string;
  visibility?: 'internal' | 'public';
  assignee?: { id: number; inScope: boolean };
  toDepartment?: { id: string; exists: boolean };
}

export type Effect =
  | { type: 'event'; kind: 'transition' | 'assignment' | 'escalation' | 'transfer' | 'note'; visibility: 'internal' | 'public'; note: string | null }
  | { type: 'notify'; event: NotificationEvent }
  | { type: 'sla'; change: 'pause' | 'resume' | 'restart_level' };

export type RefusalCode = 'ILLEGAL_TRANSITION' | 'NOT_ALLOWED' | 'SEGREGATION_OF_DUTIES' | 'VALIDATION' | 'ASSIGNEE_OUT_OF_SCOPE' | 'SENSITIVE_CATEGORY';
export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: string;
  errors?: Array<{ path: string[]; message: string }>;
}
export interface Accepted {
  ok: true;
  action: Action;
  from: GrievanceStatus;
  state: CaseState;
  /** Fields of the grievance that change, beyond status and version. */
  changes: {
    assigneeId?: number | null;
    departmentId?: string;
    escalationLevel?: number;
    pendingTransfer?: CaseState['pendingTransfer'];
    stamp?: 'acknowledgedAt' | 'resolvedAt' | 'closedAt';
    resolution?: string;
    sensitive?: boolean;
  };
  effects: Effect[];
}
export type Outcome = Accepted | Refusal;

/** Narrows an outcome (the project compiles without strictNullChecks, so `ok` alone does not). */
export const isRefusal = (outcome: Outcome): outcome is Refusal => !outcome.ok;

const refuse = (code: RefusalCode, message: string, errors?: Refusal['errors']): Refusal => ({ ok: false, code, message, errors });
const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

type RoleContext = Pick<CaseState, 'assigneeId' | 'departmentId' | 'pendingTransfer'>;

/**
 * The roles an actor holds on this case: their staff roles, plus `assignee` when it is theirs.
 * A department head heads only their own departments' cases; on a case they may read because a
 * transfer to their department waits for a decision, they are `receiving_head` and nothing more,
 * so they can decide the transfer but not assign, escalate or close a case that is not theirs yet.
 */
export function rolesOf(actor: Actor, state: RoleContext): Set<Role> {
  if (actor.kind !== 'staff') return new Set<Role>([actor.kind]);
  const roles = new Set<Role>(actor.roles);
  if (actor.userId != null && actor.userId === state.assigneeId) roles.add('assignee');
  if (actor.departmentIds && roles.has('department_head')) {
    const target = state.pendingTransfer?.toDepartmentId;
    if (target && actor.departmentIds.includes(target)) roles.add('receiving_head');
    if (!state.departmentId || !actor.departmentIds.includes(state.departmentId)) roles.delete('department_head');
  }
  return roles;
}

export function mayTake(action: Action, actor: Actor, state: RoleContext, table: RoleTable = DEFAULT_ROLES): boolean {
  const held = rolesOf(actor, state);
  return table[action].some((role) => held.has(role));
}

/**
 * Segregation of duties: whoever asked for a transfer never decides it, whatever roles they hold
 * (an approval restarts the case's deadlines, so it needs a second person).
 */
export function dutiesAllow(action: Action, actor: Actor, state: Pick<CaseState, 'pendingTransfer'>): Refusal | null {
  if (action !== 'approve_transfer' && action !== 'deny_transfer') return null;
  const requester = state.pendingTransfer?.requestedBy;
  if (actor.kind === 'staff' && requester != null && actor.userId === requester) {
    return refuse('SEGREGATION_OF_DUTIES', 'You asked for this transfer: someone else must approve or deny it.');
  }
  return null;
}

/** Actions this actor may take on the case now (the buttons of the workflow panel). */
export function availableActions(state: CaseState, actor: Actor, table: RoleTable = DEFAULT_ROLES, now = new Date()): Action[] {
  return ACTIONS.filter((action) => {
    const spec = TRANSITIONS[action];
    if (!spec.from.includes(state.status) || !mayTake(action, actor, state, table)) return false;
    return dutiesAllow(action, actor, state) === null && stateAllows(action, state, now) === null;
  });
}

/** Refusals that depend on the case rather than on the actor or the input. */
function stateAllows(action: Action, state: CaseState, now: Date): Refusal | null {
  if (action === 'escalate' && state.escalationLevel >= state.levels) {
    return refuse('ILLEGAL_TRANSITION', 'The case is already at the top level of the escalation ladder.');
  }
  if ((action === 'approve_transfer' || action === 'deny_transfer') && !state.pendingTransfer) {
    return refuse('ILLEGAL_TRANSITION', 'There is no transfer request to decide.');
  }
  if (action === 'request_transfer' && state.pendingTransfer) {
    return refuse('ILLEGAL_TRANSITION', 'A transfer request is already waiting for a decision.');
  }
  // A case does not leave the open statuses with a transfer undecided: the receiving head's read
  // access lasts while the request is pending, and a later appeal must not revive an old request.
  const to = TRANSITIONS[action].to;
  if (state.pendingTransfer && to !== null && !OPEN.includes(to)) {
    return refuse('ILLEGAL_TRANSITION', 'A transfer request is waiting for a decision: approve or deny it first.');
  }
  if (action === 'unmark_sensitive' && !state.sensitive) return refuse('ILLEGAL_TRANSITION', 'The case is not marked sensitive.');
  if (action === 'unmark_sensitive' && state.categorySensitive) {
    return refuse('SENSITIVE_CATEGORY', 'Cases of this category are always sensitive; change the category first if it was misfiled.');
  }
  if (action === 'appeal' && state.status === 'closed') {
    const closedAt = state.closedAt ? Date.parse(state.closedAt) : NaN;
    if (!(now.getTime() - closedAt <= state.appealWindowDays * 86_400_000)) {
      return refuse('ILLEGAL_TRANSITION', `The appeal window of ${days(state.appealWindowDays)} has passed.`);
    }
  }
  return null;
}

export function next(state: CaseState, action: Action, actor: Actor, input: TransitionInput = {}, table: RoleTable = DEFAULT_ROLES, now = new Date()): Outcome {
  const spec = TRANSITIONS[action];
  if (!spec) return refuse('VALIDATION', `Unknown action "${String(action)}".`, [{ path: ['action'], message: 'Unknown action.' }]);
  if (!spec.from.includes(state.status)) {
    return refuse('ILLEGAL_TRANSITION', `You cannot ${PHRASES[action](`a case that is ${state.status.replace(/_/g, ' ')}`)}.`);
  }
  if (!mayTake(action, actor, state, table)) return refuse('NOT_ALLOWED', `You may not ${PHRASES[action]('this case')}.`);
  const dutyRefusal = dutiesAllow(action, actor, state);
  if (dutyRefusal) return dutyRefusal;
  const stateRefusal = stateAllows(action, state, now);
  if (stateRefusal) return stateRefusal;

  const errors: Array<{ path: string[]; message: string }> = [];
  for (const field of spec.requires) {
    if (field === 'assignee' && !input.assignee) errors.push({ path: ['assignee'], message: 'Choose the officer to assign.' });
    if (field === 'toDepartment' && !input.toDepartment) errors.push({ path: ['toDepartment'], message: 'Choose the department to transfer to.' });
    if ((field === 'reason' || field === 'resolution' || field === 'note') && blank(input[field])) {
      errors.push({ path: [field], message: `A ${field} is required.` });
    }
  }
  if (spec.justifyWhenBreached && state.slaState === 'breached' && blank(input.justification)) {
    errors.push({ path: ['justification'], message: 'The case is past its deadline: explain the delay.' });
  }
  if (input.toDepartment && !input.toDepartment.exists) errors.push({ path: ['toDepartment'], message: 'No such department in this project.' });
  if (input.toDepartment && input.toDepartment.id === state.departmentId) {
    errors.push({ path: ['toDepartment'], message: 'The case is already with this department.' });
  }
  if (errors.length > 0) return refuse('VALIDATION', errors.map((e) => e.message).join(' '), errors);
  if (action === 'assign' && !input.assignee!.inScope) {
    return refuse('ASSIGNEE_OUT_OF_SCOPE', "The assignee must be an active officer of the case's department and project.", [
      { path: ['assignee'], message: 'Not an officer of this department.' },
    ]);
  }

  const to = spec.to ?? state.status;
  const changes: Accepted['changes'] = {};
  const effects: Effect[] = [];
  const text = input.resolution ?? input.reason ?? input.note ?? null;
  let kind: Extract<Effect, { type: 'event' }>['kind'] = 'transition';

  switch (action) {
    case 'acknowledge':
      changes.stamp = 'acknowledgedAt';
      break;
    case 'assign':
      changes.assigneeId = input.assignee!.id;
      kind = 'assignment';
      break;
    case 'escalate':
    case 'appeal':
      changes.escalationLevel = Math.min(state.escalationLevel + 1, state.levels);
      kind = 'escalation';
      effects.push({ type: 'sla', change: state.status === 'resolved' || state.status === 'closed' ? 'resume' : 'restart_level' });
      break;
    case 'resolve':
      changes.stamp = 'resolvedAt';
      changes.resolution = input.resolution!.trim();
      // The clock waits while the citizen considers the resolution.
      effects.push({ type: 'sla', change: 'pause' });
      break;
    case 'accept':
    case 'auto_close':
    case 'close':
    case 'reject':
      changes.stamp = 'closedAt';
      break;
    case 'request_transfer':
      changes.pendingTransfer = { toDepartmentId: input.toDepartment!.id, requestedBy: actor.userId ?? null };
      kind = 'transfer';
      break;
    case 'approve_transfer':
      changes.departmentId = state.pendingTransfer!.toDepartmentId;
      changes.assigneeId = null;
      changes.pendingTransfer = null;
      kind = 'transfer';
      break;
    case 'deny_transfer':
      changes.pendingTransfer = null;
      kind = 'transfer';
      break;
    case 'note':
      kind = 'note';
      break;
    case 'unmark_sensitive':
      changes.sensitive = false;
      kind = 'note';
      break;
    default:
      break;
  }

  // A citizen's own words (an appeal's reason) stay inside: only what staff or the platform write
  // is shown to the public (docs/public-api.md).
  const visibility =
    actor.kind === 'citizen' ? 'internal'
    : action === 'note' ? (input.visibility ?? 'internal')
    : kind === 'transfer' || action === 'assign' || action === 'unmark_sensitive' ? 'internal'
    : 'public';
  effects.unshift({ type: 'event', kind, visibility, note: text });
  if (spec.notify) effects.push({ type: 'notify', event: spec.notify });

  return {
    ok: true,
    action,
    from: state.status,
    state: {
      ...state,
      status: to,
      // A note changes nothing on the case, so it never conflicts with a transition.
      version: action === 'note' ? state.version : state.version + 1,
      escalationLevel: changes.escalationLevel ?? state.escalationLevel,
      assigneeId: changes.assigneeId !== undefined ? changes.assigneeId : state.assigneeId,
      departmentId: changes.departmentId ?? state.departmentId,
      pendingTransfer: changes.pendingTransfer !== undefined ? changes.pendingTransfer : state.pendingTransfer,
      sensitive: changes.sensitive ?? state.sensitive,
      closedAt: changes.stamp === 'closedAt' ? now.toISOString() : to === 'closed' || to === 'rejected' ? state.closedAt : null,
    },
    changes,
    effects,
  };
}
