/**
 * Changes to who may do what (roles, their permissions, accounts' roles, staff profiles'
 * scopes) and to who holds a department's head post go through Strapi's own admin routes, so
 * they are guarded here, by route, before Strapi handles them: they need a fresh step-up.
 */
import type { StepUpPurpose } from '../constants';

const CM = '/content-manager/collection-types';
const STAFF_PROFILE = `${CM}/api::staff-profile.staff-profile`;
const DEPARTMENT = `${CM}/api::department.department`;

interface Guard {
  methods: string[];
  path: RegExp;
  purpose: StepUpPurpose;
  /** Only when the body changes this (e.g. an account's roles, not its name). */
  when?: (body: any) => boolean;
}

const has = (field: string) => (body: any) => body && typeof body === 'object' && field in body;

export const GUARDS: Guard[] = [
  { methods: ['POST', 'PUT', 'DELETE'], path: /^\/admin\/roles(\/.*)?$/, purpose: 'roles_and_scopes' },
  { methods: ['POST'], path: /^\/admin\/users$/, purpose: 'roles_and_scopes' },
  { methods: ['PUT'], path: /^\/admin\/users\/(?!me$)[^/]+$/, purpose: 'roles_and_scopes', when: has('roles') },
  { methods: ['DELETE'], path: /^\/admin\/users\/[^/]+$/, purpose: 'roles_and_scopes' },
  { methods: ['POST'], path: /^\/admin\/users\/batch-delete$/, purpose: 'roles_and_scopes' },
  { methods: ['POST', 'PUT', 'DELETE'], path: new RegExp(`^${STAFF_PROFILE.replace(/[.]/g, '\\.')}(/.*)?$`), purpose: 'roles_and_scopes' },
  { methods: ['POST', 'PUT'], path: new RegExp(`^${DEPARTMENT.replace(/[.]/g, '\\.')}(/[^/]+)?$`), purpose: 'post_handover', when: has('head') },
];

export default () => async (ctx: any, next: () => Promise<void>) => {
  const path = decodeURIComponent(ctx.path).replace(/\/$/, '');
  const guard = GUARDS.find((g) => g.methods.includes(ctx.method) && g.path.test(path) && (!g.when || g.when(ctx.request.body)));
  if (guard) await strapi.plugin('security').service('stepUp').require(guard.purpose, ctx);
  return next();
};
