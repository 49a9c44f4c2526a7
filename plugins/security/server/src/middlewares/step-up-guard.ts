/**
 * Changes to who may do what (roles, their permissions, accounts' roles, staff profiles'
 * scopes, tokens that can write) and to who holds a department's head post go through
 * Strapi's own admin routes, so they are guarded here: they need a fresh step-up, and an
 * occupied head post moves only by handover (services/handover.ts).
 *
 * The guard runs inside the route the router matched and is keyed on its handler
 * (src/platform/route-guards.ts), so no spelling of the URL reaches these handlers without it.
 */
import { failWith } from '../../../../../src/platform/http-error';
import { matchedRoute } from '../../../../../src/platform/route-guards';
import type { StepUpPurpose } from '../constants';
import { StepUpRefusal } from '../services/step-up';
import { getService } from '../../../../../src/platform/services';

interface Guard {
  /** Handler ids (routeIdOf). */
  handlers: string[];
  purpose: StepUpPurpose;
  /** Only for these content types (the content manager's `:model`). */
  models?: string[];
  /** Only when the request changes this (e.g. an account's roles, not its name). */
  when?: (ctx: any) => boolean;
}

const CM = 'plugin::content-manager.collection-types';
/** Every content-manager route that writes an entry of a collection type. */
const CM_WRITES = ['create', 'clone', 'autoClone', 'update', 'delete', 'publish', 'unpublish', 'discard', 'bulkDelete', 'bulkPublish', 'bulkUnpublish'].map((a) => `${CM}.${a}`);
const CM_SETS_FIELDS = ['create', 'clone', 'autoClone', 'update', 'publish'].map((a) => `${CM}.${a}`);

const body = (ctx: any) => ctx.request?.body;
const has = (field: string) => (ctx: any) => Boolean(body(ctx)) && typeof body(ctx) === 'object' && field in body(ctx);
/** The content manager sends relations as { connect, disconnect }; an untouched one is empty. */
export const relationChanged = (field: string) => (ctx: any) => {
  const value = body(ctx)?.[field];
  if (value === undefined) return false;
  if (value && typeof value === 'object' && !Array.isArray(value) && ('connect' in value || 'disconnect' in value || 'set' in value)) {
    return ['connect', 'disconnect', 'set'].some((k) => Array.isArray(value[k]) && value[k].length > 0);
  }
  return true;
};
/** Permissions or a kind other than a content-API token: more than a read-only token can do. */
const mayGrant = (ctx: any) =>
  ['permissions', 'adminPermissions'].some((field) => Array.isArray(body(ctx)?.[field]) && body(ctx)[field].length > 0) ||
  (has('kind')(ctx) && body(ctx).kind !== 'content-api');
/** A clone copies the source's relations (its head included) unless the body says otherwise. */
const cloneOrChanged = (field: string) => (ctx: any) => matchedRoute(ctx).endsWith('lone') || relationChanged(field)(ctx);

export const GUARDS: Guard[] = [
  {
    handlers: ['admin::role.create', 'admin::role.update', 'admin::role.updatePermissions', 'admin::role.deleteOne', 'admin::role.deleteMany'],
    purpose: 'roles_and_scopes',
  },
  { handlers: ['admin::user.create', 'admin::user.deleteOne', 'admin::user.deleteMany'], purpose: 'roles_and_scopes' },
  { handlers: ['admin::user.update'], purpose: 'roles_and_scopes', when: has('roles') },
  // A token acts with the permissions it carries, without a person or a second factor behind it:
  // one that can write (full access, custom) or move data (admin and transfer tokens) needs a step-up.
  { handlers: ['admin::api-token.create'], purpose: 'api_tokens', when: (ctx) => body(ctx)?.type !== 'read-only' || mayGrant(ctx) },
  { handlers: ['admin::api-token.update'], purpose: 'api_tokens', when: (ctx) => (has('type')(ctx) && body(ctx).type !== 'read-only') || mayGrant(ctx) },
  {
    handlers: [
      'admin::api-token.regenerate',
      'admin::admin-token.create', 'admin::admin-token.update', 'admin::admin-token.regenerate',
      'admin::transfer.token-create', 'admin::transfer.token-update', 'admin::transfer.token-regenerate',
    ],
    purpose: 'api_tokens',
  },
  // The public's and API users' permissions (content-API roles) and how accounts of the
  // users-permissions plugin come to be (registration, providers): who may read what from outside.
  {
    handlers: [
      'plugin::users-permissions.role.createRole', 'plugin::users-permissions.role.updateRole', 'plugin::users-permissions.role.deleteRole',
      'plugin::users-permissions.settings.updateAdvancedSettings', 'plugin::users-permissions.settings.updateProviders',
    ],
    purpose: 'roles_and_scopes',
  },
  { handlers: CM_WRITES, models: ['plugin::users-permissions.user'], purpose: 'roles_and_scopes' },
  // A webhook sends every entry event it is set for to an address of the creator's choosing.
  {
    handlers: ['admin::webhooks.createWebhook', 'admin::webhooks.updateWebhook', 'admin::webhooks.deleteWebhook', 'admin::webhooks.deleteWebhooks'],
    purpose: 'api_tokens',
  },
  { handlers: CM_WRITES, models: ['api::staff-profile.staff-profile'], purpose: 'roles_and_scopes' },
  { handlers: CM_SETS_FIELDS, models: ['api::department.department'], purpose: 'post_handover', when: cloneOrChanged('head') },
];

export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return next();
  const route = matchedRoute(ctx);
  const model = ctx.params?.model;
  const guard = GUARDS.find((g) => g.handlers.includes(route) && (!g.models || g.models.includes(model)) && (!g.when || g.when(ctx)));
  if (!guard) return next();
  await getService('security', 'stepUp').require(guard.purpose, ctx);
  const department = guard.purpose === 'post_handover' && route === `${CM}.update` ? ctx.params?.id : null;
  if (department) {
    try {
      await getService('security', 'handover').assertDirectHeadChange(ctx, department);
    } catch (error) {
      if (error instanceof StepUpRefusal) return failWith(ctx, error.status, error.code, error.message);
      throw error;
    }
  }
  return next();
};
