import { next, Actor } from './machine';
import { mergeRules, validateRules } from './rules';

describe('per-project workflow rules', () => {
  it('lets a small project allow officers to acknowledge', () => {
    const overrides = { acknowledge: ['officer', 'department_head'] };
    expect(validateRules(overrides)).toEqual([]);
    const table = mergeRules(overrides as any);
    const officer: Actor = { kind: 'staff', userId: 1, roles: ['officer'] };
    const state = { status: 'submitted', version: 0, escalationLevel: 1, levels: 2, assigneeId: null, departmentId: 'd', slaState: 'on_track', closedAt: null, appealWindowDays: 14, pendingTransfer: null } as const;
    expect(next(state, 'acknowledge', officer).ok).toBe(false);
    expect(next(state, 'acknowledge', officer, {}, table).ok).toBe(true);
  });

  it('refuses unknown actions and roles', () => {
    expect(validateRules({ fly: ['officer'] })[0].message).toMatch(/Unknown action "fly"/);
    expect(validateRules({ acknowledge: ['mayor'] })[0].message).toMatch(/Unknown role "mayor"/);
    expect(validateRules({ acknowledge: 'officer' })[0].message).toMatch(/must be a list/);
    expect(validateRules(['acknowledge'])[0].message).toMatch(/must be an object/);
  });

  it("refuses to hand the citizen's or the system's own actions to staff", () => {
    expect(validateRules({ accept: ['officer'] })[0].message).toMatch(/cannot be reassigned/);
    expect(validateRules({ auto_close: ['admin'] })[0].message).toMatch(/cannot be reassigned/);
  });

  it('refuses rules that leave a status with no way out', () => {
    const errors = validateRules({ acknowledge: [], reject: [] });
    expect(errors.map((e) => e.message)).toEqual(['With these rules nobody can move a case out of "submitted".']);
    expect(validateRules({ start: [], escalate: [] }).map((e) => e.message)).toEqual([]); // system may still escalate
  });

  it('keeps the system role on escalation whatever the project says', () => {
    expect(mergeRules({ escalate: ['admin'] }).escalate).toEqual(['admin', 'system']);
  });
});
