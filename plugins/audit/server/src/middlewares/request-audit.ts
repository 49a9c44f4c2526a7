/**
 * Records staff logins (success and failure) and changes to admin roles, permissions, users
 * and tokens, which happen outside the document service. Listed in config/middlewares.ts.
 */
import { redactBody } from '../services/capture';
import { staffOrigin } from '../services/audit';

const ADMIN_CHANGE = /^\/admin\/(roles|users|api-tokens|transfer\/tokens|permissions)(\/|$)/;
const VERB: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

export default () => async (ctx: any, next: () => Promise<void>) => {
  let failure: any = null;
  try {
    await next();
  } catch (error) {
    // A refused login is thrown; strapi::errors (further out) turns it into the response.
    failure = error;
  }
  await record(ctx, failure);
  if (failure) throw failure;
};

async function record(ctx: any, failure: any) {
  const audit = strapi.plugin('audit').service('audit');
  const status = failure ? (failure.status ?? 500) : ctx.status;
  const ok = !failure && status >= 200 && status < 300;
  if (ctx.method === 'POST' && ctx.path === '/admin/login') {
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
  const match = ADMIN_CHANGE.exec(ctx.path);
  if (match && VERB[ctx.method] && ok) {
    const segments = ctx.path.split('/').filter(Boolean);
    await audit.append({
      action: `admin.${match[1].replace('/', '-')}.${VERB[ctx.method]}`,
      entityType: `admin::${match[1]}`,
      entityId: segments[2] ?? (ctx.body?.data?.id != null ? String(ctx.body.data.id) : null),
      diff: { path: ctx.path, body: redactBody(ctx.request.body ?? null) },
    });
  }
}
