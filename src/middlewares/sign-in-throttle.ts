/**
 * Failed sign-ins are limited per client address and per account, in the database so the
 * limits hold across instances (docs/security.md). Strapi's own admin limit keys on the e-mail
 * and the address together, so trying a new e-mail on every attempt escaped it; here every
 * failure from an address counts against that address whatever identifier it tried, and every
 * failure against an account counts whichever address it came from.
 */
import { createHash } from 'node:crypto';
import { ERROR_CODES } from '../domain/errors';
import { failWith } from '../platform/http-error';
import { clientKey, hit, RateLimitRule, underLimit } from '../platform/rate-limit';
import { matchedRoute } from '../platform/route-guards';

/**
 * Routes that check a password or a one-time token (admin panel and users-permissions), by the
 * handler the router matched (src/platform/route-guards.ts): `/ADMIN/login/` is the same route.
 */
const SIGN_IN_ROUTES = new Set([
  'admin::authentication.login',
  'admin::authentication.register',
  'admin::authentication.registerAdmin',
  'admin::authentication.forgotPassword',
  'admin::authentication.resetPassword',
  'plugin::users-permissions.auth.callback',
  'plugin::users-permissions.auth.register',
  'plugin::users-permissions.auth.forgotPassword',
  'plugin::users-permissions.auth.resetPassword',
  'plugin::users-permissions.auth.changePassword',
  'plugin::users-permissions.auth.sendEmailConfirmation',
]);

const identifierOf = (body: any): string | null => {
  const value = body?.email ?? body?.identifier;
  return typeof value === 'string' && value ? createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 32) : null;
};

export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.method !== 'POST' || !SIGN_IN_ROUTES.has(matchedRoute(ctx))) return next();
  const limits = strapi.config.get('api.signInLimits') as { perClient: RateLimitRule; perAccount: RateLimitRule };
  const account = identifierOf(ctx.request.body);
  const buckets: Array<[string, RateLimitRule]> = [[`sign-in:client:${clientKey(ctx.request.ip)}`, limits.perClient]];
  if (account) buckets.push([`sign-in:account:${account}`, limits.perAccount]);
  for (const [bucket, rule] of buckets) {
    const answer = await underLimit(bucket, rule);
    if (!answer.allowed) {
      ctx.set('Retry-After', String(answer.retryAfterSeconds));
      return failWith(ctx, 429, ERROR_CODES.RATE_LIMITED, `Too many failed sign-in attempts; try again in ${answer.retryAfterSeconds} seconds.`);
    }
  }
  let failed = false;
  try {
    await next();
    failed = ctx.status >= 400 && ctx.status < 500;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (failed) for (const [bucket, rule] of buckets) await hit(bucket, rule);
  }
};
