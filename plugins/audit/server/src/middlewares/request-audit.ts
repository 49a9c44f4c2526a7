/**
 * Records staff logins (success and failure) and changes to admin roles, permissions, users,
 * tokens, webhooks and the content API's roles and settings, which happen outside the document
 * service. Runs inside the route the router matched and is keyed on its handler (src/platform/route-guards.ts), so another spelling of a
 * URL is recorded like the usual one, and reads that happen to be POSTs (the admin panel's
 * permission checks on every page) are not recorded as changes.
 */
import { matchedRoute } from '../../../../../src/platform/route-guards';
import { redactBody } from '../services/capture';
import { staffOrigin } from '../services/audit';
import { getService } from '../../../../../src/platform/services';

const LOGIN = 'admin::authentication.login';

/** Handler → the audit action and the kind of record it changes. */
const ADMIN_CHANGES: Record<string, { action: string; entityType: string }> = {};
const track = (entity: string, handlers: Record<string, string>, namespace = 'admin::') => {
  for (const [handler, verb] of Object.entries(handlers)) ADMIN_CHANGES[`${namespace}${handler}`] = { action: `admin.${entity}.${verb}`, entityType: `admin::${entity}` };
};
track('roles', { 'role.create': 'create', 'role.update': 'update', 'role.updatePermissions': 'update', 'role.deleteOne': 'delete', 'role.deleteMany': 'delete' });
track('users', { 'user.create': 'create', 'user.update': 'update', 'authenticated-user.updateMe': 'update', 'user.deleteOne': 'delete', 'user.deleteMany': 'delete' });
track('api-tokens', { 'api-token.create': 'create', 'api-token.update': 'update', 'api-token.regenerate': 'update', 'api-token.revoke': 'delete' });
track('admin-tokens', { 'admin-token.create': 'create', 'admin-token.update': 'update', 'admin-token.regenerate': 'update', 'admin-token.revoke': 'delete' });
track('webhooks', { 'webhooks.createWebhook': 'create', 'webhooks.updateWebhook': 'update', 'webhooks.deleteWebhook': 'delete', 'webhooks.deleteWebhooks': 'delete' });
// Content-API roles (the Public role's permissions included) and the users-permissions settings.
track('content-api-roles', { 'role.createRole': 'create', 'role.updateRole': 'update', 'role.deleteRole': 'delete' }, 'plugin::users-permissions.');
track('content-api-settings', { 'settings.updateAdvancedSettings': 'update', 'settings.updateProviders': 'update', 'settings.updateEmailTemplate': 'update' }, 'plugin::users-permissions.');
track('transfer-tokens', { 'transfer.token-create': 'create', 'transfer.token-update': 'update', 'transfer.token-regenerate': 'update', 'transfer.token-revoke': 'delete' });

export default () => async (ctx: any, next: () => Promise<void>) => {
  const route = matchedRoute(ctx);
  if (route !== LOGIN && !ADMIN_CHANGES[route]) return next();
  let failure: any = null;
  try {
    await next();
  } catch (error) {
    // A refused login is thrown; strapi::errors (further out) turns it into the response.
    failure = error;
  }
  await record(ctx, route, failure);
  if (failure) throw failure;
};

async function record(ctx: any, route: string, failure: any) {
  const audit = getService('audit', 'audit');
  const status = failure ? (failure.status ?? 500) : ctx.status;
  const ok = !failure && status >= 200 && status < 300;
  if (route === LOGIN) {
    // Attempts on staff accounts keep where they came from, failed ones included: that is how a
    // password-guessing run is traced. Citizens never sign in, so this is no public request.
    const origin = staffOrigin(ctx);
    const email = String(ctx.request.body?.email ?? '').slice(0, 200).toLowerCase();
    if (ok) {
      const user = ctx.body?.data?.user;
      await audit.append({
        action: 'admin.login.success',
        entityType: 'admin::user',
        entityId: user?.id != null ? String(user.id) : null,
        actor: { actorType: 'staff', actorId: user?.id != null ? String(user.id) : null, actorLabel: `${[user?.firstname, user?.lastname].filter(Boolean).join(' ')} <${user?.email ?? email}>` },
        diff: null,
        ...origin,
      });
    } else {
      await audit.append({
        action: 'admin.login.failure',
        entityType: 'admin::user',
        entityId: null,
        actor: { actorType: 'anonymous', actorId: null, actorLabel: email || 'unknown' },
        diff: { email, status, reason: failure?.message ?? ctx.body?.error?.message ?? null },
        ...origin,
      });
    }
    return;
  }
  if (!ok) return;
  const change = ADMIN_CHANGES[route];
  const id = ctx.params?.id ?? ctx.body?.data?.id;
  await audit.append({
    action: change.action,
    entityType: change.entityType,
    entityId: id != null ? String(id) : null,
    diff: { route, body: redactBody(ctx.request.body ?? null) },
  });
}
