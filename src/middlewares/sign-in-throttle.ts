/**
 * Failed sign-ins are limited per client address and per account, in the database so the
 * limits hold across instances, without letting an attacker lock an account's owner out
 * (docs/security.md; the rules are in src/platform/sign-in-limits.ts).
 */
import { limitSignIn } from '../platform/sign-in-limits';
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

export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.method !== 'POST' || !SIGN_IN_ROUTES.has(matchedRoute(ctx))) return next();
  return limitSignIn(ctx, next);
};
