/**
 * Changes to who may do what (roles, their permissions, accounts' roles, staff profiles'
 * scopes) and to who holds a department's head post go through Strapi's own admin routes, so
 * they are guarded here, by route, before Strapi handles them: they need a fresh step-up, and an
 * occupied head post moves only by handover (services/handover.ts).
 */
import { failWith } from '../../../../../src/platform/http-error';
import type { StepUpPurpose } from '../constants';
import { StepUpRefusal } from '../services/step-up';

const CM = '/content-manager/collection-types';
const escape = (text: string) => text.replace(/[.]/g, '\\.');

interface Guard {
  methods: string[];
  path: RegExp;
  purpose: StepUpPurpose;
  /** Only when the body changes this (e.g. an account's roles, not its name). */
  when?: (body: any) => boolean;
}

const has = (field: string) => (body: any) => Boolean(body) && typeof body === 'object' && field in body;
/** The content manager sends relations as { connect, disconnect }; an untouched one is empty. */
const relationChanged = (field: string) => (body: any) => {
  const value = body?.[field];
  if (value === undefined) return false;
  if (value && typeof value === 'object' && !Array.isArray(value) && ('connect' in value || 'disconnect' in value || 'set' in value)) {
    return ['connect', 'disconnect', 'set'].some((k) => Array.isArray(value[k]) && value[k].length > 0);
  }
  return true;
};

export const GUARDS: Guard[] = [
  { methods: ['POST', 'PUT', 'DELETE'], path: /^\/admin\/roles(\/.*)?$/, purpose: 'roles_and_scopes' },
  { methods: ['POST'], path: /^\/admin\/users$/, purpose: 'roles_and_scopes' },
  { methods: ['PUT'], path: /^\/admin\/users\/(?!me$)[^/]+$/, purpose: 'roles_and_scopes', when: has('roles') },
  { methods: ['DELETE'], path: /^\/admin\/users\/[^/]+$/, purpose: 'roles_and_scopes' },
  { methods: ['POST'], path: /^\/admin\/users\/batch-delete$/, purpose: 'roles_and_scopes' },
  { methods: ['POST', 'PUT', 'DELETE'], path: new RegExp(`^${escape(`${CM}/api::staff-profile.staff-profile`)}(/.*)?$`), purpose: 'roles_and_scopes' },
  { methods: ['POST', 'PUT'], path: new RegExp(`^${escape(`${CM}/api::department.department`)}(/[^/]+)?$`), purpose: 'post_handover', when: relationChanged('head') },
];

/** The path with %-escapes read (`api%3A%3A` is `api::`); a malformed escape is left for the router to refuse. */
function pathOf(raw: string): string {
  try {
    return decodeURIComponent(raw).replace(/\/$/, '');
  } catch {
    return raw;
  }
}

export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return next();
  const path = pathOf(ctx.path);
  const guard = GUARDS.find((g) => g.methods.includes(ctx.method) && g.path.test(path) && (!g.when || g.when(ctx.request.body)));
  if (!guard) return next();
  await strapi.plugin('security').service('stepUp').require(guard.purpose, ctx);
  const department = guard.purpose === 'post_handover' && ctx.method === 'PUT' ? path.split('/').pop() : null;
  if (department) {
    try {
      await strapi.plugin('security').service('handover').assertDirectHeadChange(ctx, department);
    } catch (error) {
      if (error instanceof StepUpRefusal) return failWith(ctx, error.status, error.code, error.message);
      throw error;
    }
  }
  return next();
};
