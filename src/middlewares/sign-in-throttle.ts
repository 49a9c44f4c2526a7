/**
 * Failed sign-ins are limited per client address and per account, in the database so the
 * limits hold across instances, without letting an attacker lock an account's owner out
 * (docs/security.md; the rules are in src/platform/sign-in-limits.ts).
 */
import { limitSignIn } from '../platform/sign-in-limits';

/** Routes that check a password or a one-time token (admin panel and users-permissions). */
const SIGN_IN_PATHS = new Set([
  '/admin/login',
  '/admin/register',
  '/admin/register-admin',
  '/admin/forgot-password',
  '/admin/reset-password',
  '/api/auth/local',
  '/api/auth/local/register',
  '/api/auth/forgot-password',
  '/api/auth/reset-password',
  '/api/auth/change-password',
  '/api/auth/send-email-confirmation',
]);

export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.method !== 'POST' || !SIGN_IN_PATHS.has(ctx.path.replace(/\/$/, ''))) return next();
  return limitSignIn(ctx, next);
};
