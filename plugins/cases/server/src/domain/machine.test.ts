import { GRIEVANCE_STATUSES, GrievanceStatus } from '../../../../../src/domain/vocabulary';
import { Action, ACTIONS, Actor, availableActions, CaseState, next, Role, STAFF_ROLES, StaffRole, TRANSITIONS, TransitionInput } from './machine';

const NOW = new Date('2026-06-01T12:00:00Z');
const ME = 7;

const stateFor = (status: GrievanceStatus, action: Action, over: Partial<CaseState> = {}): CaseState => ({
  status,
  version: 3,
  escalationLevel: 1,
  levels: 3,
  assigneeId: 99,
  departmentId: 'water',
  slaState: 'on_track',
  closedAt: status === 'closed' ? '2026-05-30T12:00:00Z' : null,
  appealWindowDays: 14,
  pendingTransfer: action === 'approve_transfer' || action === 'deny_transfer' ? { toDepartmentId: 'roads' } : null,
  sensitive: action === 'unmark_sensitive',
  ...over,
});

const COMPLETE_INPUT: TransitionInput = {
  note: 'Called the complainant.',
  reason: 'Duplicate of an earlier case.',
  resolution: 'Pipe repaired.',
  assignee: { id: 12, inScope: true },
  toDepartment: { id: 'roads', exists: true },
};

/** Every kind of actor: each staff role acting on someone else's case, an assigned officer, a citizen, the system. */
type ActorCase = { label: string; actor: Actor; holds: Role[] };
const ACTORS: ActorCase[] = [
  ...STAFF_ROLES.map((role) => ({ label: role, actor: { kind: 'staff', userId: ME, roles: [role] } as Actor, holds: [role] as Role[] })),
  { label: 'assigned officer', actor: { kind: 'staff', userId: 99, roles: ['officer'] as StaffRole[] }, holds: ['officer', 'assignee'] },
  { label: 'citizen', actor: { kind: 'citizen', roles: [] }, holds: ['citizen'] },
  { label: 'system', actor: { kind: 'system', roles: [] }, holds: ['system'] },
];

const cells = GRIEVANCE_STATUSES.flatMap((status) => ACTIONS.flatMap((action) => ACTORS.map((who) => [status, action, who] as const)));

describe('every status × action × role cell', () => {
  it.each(cells.map(([s, a, w]) => [s, a, w.label, w] as const))('%s × %s × %s', (status, action, _label, who) => {
    const spec = TRANSITIONS[action];
    const outcome = next(stateFor(status, action), action, who.actor, COMPLETE_INPUT, undefined, NOW);
    if (!spec.from.includes(status)) {
      expect(outcome).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    } else if (!spec.roles.some((role) => who.holds.includes(role))) {
      expect(outcome).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    } else {
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.state.status).toBe(spec.to ?? status);
      expect(outcome.state.version).toBe(action === 'note' ? 3 : 4);
      expect(outcome.effects[0]).toMatchObject({ type: 'event' });
    }
  });
});

describe('required inputs', () => {
  const headOf = (roles: StaffRole[] = ['department_head']): Actor => ({ kind: 'staff', userId: ME, roles });
  it.each([
    ['reject', 'submitted', 'reason'],
    ['resolve', 'in_progress', 'resolution'],
    ['assign', 'acknowledged', 'assignee'],
    ['request_transfer', 'assigned', 'toDepartment'],
    ['request_transfer', 'assigned', 'reason'],
    ['deny_transfer', 'assigned', 'reason'],
    ['note', 'closed', 'note'],
  ] as const)('%s from %s needs %s', (action, status, field) => {
    const input = { ...COMPLETE_INPUT, [field]: field === 'assignee' || field === 'toDepartment' ? undefined : '  ' };
    const outcome = next(stateFor(status, action), action, headOf(['department_head']), input, undefined, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(('errors' in outcome ? outcome.errors ?? [] : []).map((e) => e.path[0])).toContain(field);
  });

  it('refuses an assignee outside the department and project', () => {
    const outcome = next(stateFor('acknowledged', 'assign'), 'assign', headOf(), { assignee: { id: 5, inScope: false } }, undefined, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'ASSIGNEE_OUT_OF_SCOPE' });
  });

  it('asks for a justification when acting late on a breached case', () => {
    const late = stateFor('in_progress', 'resolve', { slaState: 'breached' });
    const officer: Actor = { kind: 'staff', userId: 99, roles: ['officer'] };
    expect(next(late, 'resolve', officer, { resolution: 'Fixed.' }, undefined, NOW)).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(next(late, 'resolve', officer, { resolution: 'Fixed.', justification: 'Contractor strike.' }, undefined, NOW).ok).toBe(true);
  });

  it('refuses a transfer to the department that already has the case, or to an unknown one', () => {
    const state = stateFor('assigned', 'request_transfer');
    const officer: Actor = { kind: 'staff', userId: 99, roles: ['officer'] };
    expect(next(state, 'request_transfer', officer, { reason: 'x', toDepartment: { id: 'water', exists: true } }, undefined, NOW).ok).toBe(false);
    expect(next(state, 'request_transfer', officer, { reason: 'x', toDepartment: { id: 'mars', exists: false } }, undefined, NOW).ok).toBe(false);
  });
});

describe('what transitions do', () => {
  const head: Actor = { kind: 'staff', userId: ME, roles: ['department_head'] };
  const officer: Actor = { kind: 'staff', userId: 99, roles: ['officer'] };

  it('assigning sets the assignee; resolving records the resolution and pauses the SLA clock', () => {
    const assigned = next(stateFor('acknowledged', 'assign'), 'assign', head, { assignee: { id: 99, inScope: true } }, undefined, NOW);
    expect(assigned.ok && assigned.state.assigneeId).toBe(99);
    const resolved = next(stateFor('in_progress', 'resolve'), 'resolve', officer, { resolution: ' Pipe repaired. ' }, undefined, NOW);
    expect(resolved.ok && resolved.changes).toMatchObject({ stamp: 'resolvedAt', resolution: 'Pipe repaired.' });
    expect(resolved.ok && resolved.effects).toContainEqual({ type: 'sla', change: 'pause' });
    expect(resolved.ok && resolved.effects).toContainEqual({ type: 'notify', event: 'resolved' });
  });

  it('escalating raises the level, and not beyond the top of the ladder', () => {
    const up = next(stateFor('in_progress', 'escalate'), 'escalate', head, {}, undefined, NOW);
    expect(up.ok && up.state).toMatchObject({ status: 'escalated', escalationLevel: 2 });
    const top = next(stateFor('escalated', 'escalate', { escalationLevel: 3 }), 'escalate', head, {}, undefined, NOW);
    expect(top).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
  });

  it('a transfer is requested, then approved: the case returns to acknowledged in the new department, unassigned', () => {
    const requested = next(stateFor('in_progress', 'request_transfer'), 'request_transfer', officer, { reason: 'Road issue', toDepartment: { id: 'roads', exists: true } }, undefined, NOW);
    expect(requested.ok && requested.state).toMatchObject({ status: 'in_progress', pendingTransfer: { toDepartmentId: 'roads' } });
    if (!requested.ok) return;
    const again = next(requested.state, 'request_transfer', officer, { reason: 'again', toDepartment: { id: 'health', exists: true } }, undefined, NOW);
    expect(again).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    const approved = next(requested.state, 'approve_transfer', head, {}, undefined, NOW);
    expect(approved.ok && approved.state).toMatchObject({ status: 'acknowledged', departmentId: 'roads', assigneeId: null, pendingTransfer: null });
  });

  it('an appeal is possible within the window after closing, not after', () => {
    const citizen: Actor = { kind: 'citizen', roles: [] };
    const recent = stateFor('closed', 'appeal', { closedAt: '2026-05-25T12:00:00Z' });
    expect(next(recent, 'appeal', citizen, { reason: 'Still no water.' }, undefined, NOW).ok).toBe(true);
    const old = stateFor('closed', 'appeal', { closedAt: '2026-04-01T12:00:00Z' });
    expect(next(old, 'appeal', citizen, { reason: 'Still no water.' }, undefined, NOW)).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
  });

  it("keeps a citizen's words internal: the appeal reason is never a public note", () => {
    const citizen: Actor = { kind: 'citizen', roles: [] };
    const appeal = next(stateFor('resolved', 'appeal'), 'appeal', citizen, { reason: 'My neighbour Ravi took the pipe.' }, undefined, NOW);
    expect(appeal.ok && appeal.effects[0]).toMatchObject({ kind: 'escalation', visibility: 'internal', note: 'My neighbour Ravi took the pipe.' });
    // Even if a caller passed a visibility along with the citizen's text.
    const forced = next(stateFor('resolved', 'appeal'), 'appeal', citizen, { reason: 'Ravi again.', visibility: 'public' }, undefined, NOW);
    expect(forced.ok && forced.effects[0]).toMatchObject({ visibility: 'internal' });
    const accept = next(stateFor('resolved', 'accept'), 'accept', citizen, {}, undefined, NOW);
    expect(accept.ok && accept.effects[0]).toMatchObject({ visibility: 'internal' });
  });

  it('notes are internal unless marked public, and do not change the version', () => {
    const internal = next(stateFor('assigned', 'note'), 'note', head, { note: 'Site visit Tuesday' }, undefined, NOW);
    expect(internal.ok && internal.effects[0]).toMatchObject({ kind: 'note', visibility: 'internal' });
    expect(internal.ok && internal.state.version).toBe(3);
    const pub = next(stateFor('assigned', 'note'), 'note', head, { note: 'Crew scheduled', visibility: 'public' }, undefined, NOW);
    expect(pub.ok && pub.effects[0]).toMatchObject({ visibility: 'public' });
  });
});

describe('availableActions', () => {
  it('offers an assigned officer exactly start, transfer and note on an assigned case', () => {
    const officer: Actor = { kind: 'staff', userId: 99, roles: ['officer'] };
    expect(availableActions(stateFor('assigned', 'start'), officer, undefined, NOW)).toEqual(['start', 'request_transfer', 'note']);
  });
  it('offers a department head assign, escalate, reject and note on an acknowledged case', () => {
    const head: Actor = { kind: 'staff', userId: ME, roles: ['department_head'] };
    expect(availableActions(stateFor('acknowledged', 'assign'), head, undefined, NOW)).toEqual(['reject', 'assign', 'escalate', 'request_transfer', 'note']);
  });
  it('offers a viewer nothing', () => {
    const viewer: Actor = { kind: 'staff', userId: ME, roles: ['viewer'] };
    for (const status of GRIEVANCE_STATUSES) expect(availableActions(stateFor(status, 'note'), viewer, undefined, NOW)).toEqual([]);
  });
});

describe('the sensitive flag', () => {
  const head: Actor = { kind: 'staff', userId: ME, roles: ['department_head'] };
  it('is cleared only with a written reason, and the event stays internal', () => {
    expect(next(stateFor('assigned', 'unmark_sensitive'), 'unmark_sensitive', head, {}, undefined, NOW)).toMatchObject({ ok: false, code: 'VALIDATION' });
    const outcome = next(stateFor('assigned', 'unmark_sensitive'), 'unmark_sensitive', head, { reason: 'Misfiled: a billing question.' }, undefined, NOW);
    expect(outcome).toMatchObject({ ok: true, changes: { sensitive: false }, state: { sensitive: false, status: 'assigned', version: 4 } });
    expect(outcome.ok && outcome.effects).toEqual([{ type: 'event', kind: 'note', visibility: 'internal', note: 'Misfiled: a billing question.' }]);
  });

  it('stays on a case of a sensitive category, and cannot be cleared twice', () => {
    const reason = { reason: 'Not sensitive.' };
    expect(next(stateFor('assigned', 'unmark_sensitive', { categorySensitive: true }), 'unmark_sensitive', head, reason, undefined, NOW)).toMatchObject({ ok: false, code: 'SENSITIVE_CATEGORY' });
    expect(next(stateFor('assigned', 'unmark_sensitive', { sensitive: false }), 'unmark_sensitive', head, reason, undefined, NOW)).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    expect(availableActions(stateFor('assigned', 'note', { sensitive: true, categorySensitive: true }), head, undefined, NOW)).not.toContain('unmark_sensitive');
    expect(availableActions(stateFor('assigned', 'note', { sensitive: true }), head, undefined, NOW)).toContain('unmark_sensitive');
  });
});
