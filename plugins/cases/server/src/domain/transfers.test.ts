/**
 * Transfers between departments (docs/workflow.md, "Transfers"): who may decide a pending
 * transfer, what the receiving head may do on a case that is not theirs yet, and segregation of
 * duties (nobody decides their own request).
 */
import { Actor, availableActions, CaseState, next, rolesOf } from './machine';
import { mergeRules, validateRules } from './rules';

const NOW = new Date('2026-06-01T12:00:00Z');
const OFFICER = 11;
const WATER_HEAD = 21;
const ROADS_HEAD = 22;
const HEALTH_HEAD = 23;
const PROJECT_ADMIN = 31;

const officer: Actor = { kind: 'staff', userId: OFFICER, roles: ['officer'], departmentIds: ['water'] };
const waterHead: Actor = { kind: 'staff', userId: WATER_HEAD, roles: ['department_head'], departmentIds: ['water'] };
const roadsHead: Actor = { kind: 'staff', userId: ROADS_HEAD, roles: ['department_head'], departmentIds: ['roads'] };
const healthHead: Actor = { kind: 'staff', userId: HEALTH_HEAD, roles: ['department_head'], departmentIds: ['health'] };
const projectAdmin: Actor = { kind: 'staff', userId: PROJECT_ADMIN, roles: ['project_admin'], departmentIds: [] };

const waterCase = (over: Partial<CaseState> = {}): CaseState => ({
  status: 'assigned',
  version: 3,
  escalationLevel: 1,
  levels: 3,
  assigneeId: OFFICER,
  departmentId: 'water',
  slaState: 'on_track',
  closedAt: null,
  appealWindowDays: 14,
  pendingTransfer: null,
  ...over,
});
const pendingToRoads = (requestedBy: number) => waterCase({ pendingTransfer: { toDepartmentId: 'roads', requestedBy } });

describe('the head of the department a transfer is addressed to', () => {
  it('holds receiving_head, not department_head, on the case', () => {
    expect([...rolesOf(roadsHead, pendingToRoads(OFFICER))]).toEqual(['receiving_head']);
    expect([...rolesOf(waterHead, pendingToRoads(OFFICER))]).toEqual(['department_head']);
    expect([...rolesOf(healthHead, pendingToRoads(OFFICER))]).toEqual([]);
  });

  it('is offered approve and deny only, never the owning head’s actions', () => {
    expect(availableActions(pendingToRoads(OFFICER), roadsHead, undefined, NOW)).toEqual(['approve_transfer', 'deny_transfer']);
    for (const action of ['assign', 'escalate', 'resolve', 'note', 'request_transfer', 'unmark_sensitive'] as const) {
      const escalated = { ...pendingToRoads(OFFICER), status: 'escalated' as const };
      expect(next(escalated, action, roadsHead, { reason: 'x', note: 'x', resolution: 'x', assignee: { id: 5, inScope: true } }, undefined, NOW)).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    }
  });

  it('approves: the case moves to their department, acknowledged and unassigned', () => {
    const approved = next(pendingToRoads(OFFICER), 'approve_transfer', roadsHead, {}, undefined, NOW);
    expect(approved).toMatchObject({ ok: true, state: { status: 'acknowledged', departmentId: 'roads', assigneeId: null, pendingTransfer: null } });
  });

  it('cannot be bypassed by closing the case: no resolve or reject while the transfer waits', () => {
    const escalated = { ...pendingToRoads(OFFICER), status: 'escalated' as const };
    expect(next(escalated, 'resolve', waterHead, { resolution: 'Fixed.' }, undefined, NOW)).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    expect(next(escalated, 'resolve', projectAdmin, { resolution: 'Fixed.' }, undefined, NOW)).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    const acknowledged = { ...pendingToRoads(OFFICER), status: 'acknowledged' as const, assigneeId: null };
    expect(next(acknowledged, 'reject', waterHead, { reason: 'Out of scope.' }, undefined, NOW)).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    expect(availableActions(escalated, waterHead, undefined, NOW)).not.toContain('resolve');
    // Once decided, the case may be resolved again.
    expect(next({ ...escalated, pendingTransfer: null }, 'resolve', waterHead, { resolution: 'Fixed.' }, undefined, NOW)).toMatchObject({ ok: true });
  });

  it('denies: the case stays where it was, with no pending transfer', () => {
    const denied = next(pendingToRoads(OFFICER), 'deny_transfer', roadsHead, { reason: 'Not a road issue.' }, undefined, NOW);
    expect(denied).toMatchObject({ ok: true, state: { status: 'assigned', departmentId: 'water', assigneeId: OFFICER, pendingTransfer: null } });
  });

  it('a head of another department decides nothing', () => {
    expect(availableActions(pendingToRoads(OFFICER), healthHead, undefined, NOW)).toEqual([]);
    expect(next(pendingToRoads(OFFICER), 'approve_transfer', healthHead, {}, undefined, NOW)).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
  });
});

describe('segregation of duties', () => {
  it('records who asked for the transfer', () => {
    const requested = next(waterCase(), 'request_transfer', officer, { reason: 'Road issue', toDepartment: { id: 'roads', exists: true } }, undefined, NOW);
    expect(requested).toMatchObject({ ok: true, state: { pendingTransfer: { toDepartmentId: 'roads', requestedBy: OFFICER } } });
  });

  it('the requester may neither approve nor deny, and is not offered to', () => {
    const state = pendingToRoads(WATER_HEAD);
    expect(next(state, 'approve_transfer', waterHead, {}, undefined, NOW)).toMatchObject({ ok: false, code: 'SEGREGATION_OF_DUTIES' });
    expect(next(state, 'deny_transfer', waterHead, { reason: 'Changed my mind.' }, undefined, NOW)).toMatchObject({ ok: false, code: 'SEGREGATION_OF_DUTIES' });
    expect(availableActions(state, waterHead, undefined, NOW)).not.toEqual(expect.arrayContaining(['approve_transfer']));
    expect(availableActions(state, waterHead, undefined, NOW)).not.toContain('deny_transfer');
  });

  it('holds for a project admin who asked (where the project lets them ask), whatever roles they hold', () => {
    const table = mergeRules({ request_transfer: ['assignee', 'department_head', 'project_admin'] });
    const requested = next(waterCase(), 'request_transfer', projectAdmin, { reason: 'Road issue', toDepartment: { id: 'roads', exists: true } }, table, NOW);
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    expect(next(requested.state, 'approve_transfer', projectAdmin, {}, table, NOW)).toMatchObject({ ok: false, code: 'SEGREGATION_OF_DUTIES' });
    const superAdmin: Actor = { kind: 'staff', userId: PROJECT_ADMIN, roles: ['admin', 'project_admin'] };
    expect(next(requested.state, 'approve_transfer', superAdmin, {}, table, NOW)).toMatchObject({ ok: false, code: 'SEGREGATION_OF_DUTIES' });
  });

  it('a second person decides: the owning head, the receiving head or the project admin', () => {
    const state = pendingToRoads(OFFICER);
    for (const decider of [waterHead, roadsHead, projectAdmin]) {
      expect(next(state, 'approve_transfer', decider, {}, undefined, NOW).ok).toBe(true);
    }
  });

  it('a request whose requester is unknown (older rows) can be decided by anyone allowed', () => {
    const state = waterCase({ pendingTransfer: { toDepartmentId: 'roads', requestedBy: null } });
    expect(next(state, 'approve_transfer', roadsHead, {}, undefined, NOW).ok).toBe(true);
  });
});

describe('per-project rules', () => {
  it('accept receiving_head as a role', () => {
    expect(validateRules({ approve_transfer: ['receiving_head', 'project_admin'] })).toEqual([]);
    expect(availableActions(pendingToRoads(OFFICER), roadsHead, mergeRules({ approve_transfer: ['project_admin'] }), NOW)).toEqual(['deny_transfer']);
  });
});
