/**
 * Per-project workflow rules: a project may change which staff roles take which actions
 * (e.g. let officers acknowledge in a small project) in its `workflowRules` field, as
 * `{ "acknowledge": ["officer", "department_head"] }`. Citizen and system roles stay as the
 * lifecycle defines them.
 */
import { Action, ACTIONS, DEFAULT_ROLES, Role, RoleTable, STAFF_ROLES, TERMINAL, TRANSITIONS } from './machine';

const CONFIGURABLE_ROLES: readonly Role[] = [...STAFF_ROLES, 'assignee', 'receiving_head'];

export interface RuleError {
  path: string[];
  message: string;
}

export function validateRules(overrides: unknown): RuleError[] {
  if (overrides == null) return [];
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    return [{ path: ['workflowRules'], message: 'Workflow rules must be an object of action: [roles].' }];
  }
  const errors: RuleError[] = [];
  for (const [action, roles] of Object.entries(overrides as Record<string, unknown>)) {
    if (!ACTIONS.includes(action as Action)) {
      errors.push({ path: ['workflowRules', action], message: `Unknown action "${action}"; use one of ${ACTIONS.join(', ')}.` });
      continue;
    }
    if (TRANSITIONS[action as Action].fixedRoles && TRANSITIONS[action as Action].roles.every((r) => TRANSITIONS[action as Action].fixedRoles!.includes(r))) {
      errors.push({ path: ['workflowRules', action], message: `"${action}" belongs to the ${TRANSITIONS[action as Action].roles.join(' and ')} and cannot be reassigned.` });
      continue;
    }
    if (!Array.isArray(roles)) {
      errors.push({ path: ['workflowRules', action], message: `The roles for "${action}" must be a list.` });
      continue;
    }
    for (const role of roles) {
      if (!CONFIGURABLE_ROLES.includes(role as Role)) {
        errors.push({ path: ['workflowRules', action], message: `Unknown role "${String(role)}"; use one of ${CONFIGURABLE_ROLES.join(', ')}.` });
      }
    }
  }
  if (errors.length > 0) return errors;

  const table = mergeRules(overrides as Record<string, Role[]>);
  const stuck = Object.keys(statusExits(table)).filter((status) => statusExits(table)[status] === 0);
  for (const status of stuck) {
    errors.push({ path: ['workflowRules'], message: `With these rules nobody can move a case out of "${status}".` });
  }
  return errors;
}

/** The default table with the project's overrides; fixed citizen/system roles are always kept. */
export function mergeRules(overrides: Record<string, readonly Role[]> | null | undefined): RoleTable {
  const table = { ...DEFAULT_ROLES } as Record<Action, readonly Role[]>;
  for (const action of ACTIONS) {
    const given = overrides?.[action];
    if (!Array.isArray(given)) continue;
    const fixed = TRANSITIONS[action].fixedRoles ?? [];
    table[action] = [...new Set([...given, ...fixed])];
  }
  return table;
}

/** For each non-terminal status, how many role-holding actions move a case out of it. */
function statusExits(table: RoleTable): Record<string, number> {
  const exits: Record<string, number> = {};
  for (const action of ACTIONS) {
    for (const from of TRANSITIONS[action].from) {
      if (TERMINAL.includes(from)) continue;
      exits[from] ??= 0;
      const to = TRANSITIONS[action].to;
      if (to && to !== from && table[action].length > 0) exits[from] += 1;
    }
  }
  return exits;
}
