/**
 * Limits on failed sign-ins (docs/security.md, "Signing in"), kept in the database so they hold
 * across instances:
 *
 * - per client address, whatever account it tries: trying a new e-mail on every attempt does
 *   not escape (Strapi's own admin limit keys on the e-mail and the address together);
 * - per account and address together: failures from elsewhere never close an account to its
 *   owner's address, and a successful sign-in forgives that address's earlier failures;
 * - per account from anywhere: past a threshold each address is paced, never locked out
 *   (src/domain/attempt-limits.ts).
 *
 * Only real guesses count: not a malformed request, not a 429 (src/domain/attempt-limits.ts).
 */
import { createHash } from 'node:crypto';
import { answerOf, AttemptRules, isSignInGuess, signInOutcome } from '../domain/attempt-limits';
import { ERROR_CODES } from '../domain/errors';
import { attemptAllowed, forgiveClient, recordFailure } from './attempt-limits';
import { failWith } from './http-error';
import { clientKey, hit, RateLimitAnswer, RateLimitRule, underLimit } from './rate-limit';
import { seconds } from '../domain/plural';

export interface SignInLimits {
  /** Failures from one address, whatever account. */
  perClient: RateLimitRule;
  /** Failures on one account: hard per address, pacing from anywhere. */
  perAccount: AttemptRules;
}

const accountOf = (body: any): string | null => {
  const value = body?.email ?? body?.identifier;
  return typeof value === 'string' && value ? createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 32) : null;
};

/** Runs a sign-in request (`next`) under the limits: refused with 429 when over, counted after. */
export async function limitSignIn(ctx: any, next: () => Promise<void>): Promise<void> {
  const limits = strapi.config.get('api.signInLimits') as SignInLimits;
  const client = clientKey(ctx.request.ip);
  const account = accountOf(ctx.request.body);
  const byClient = `sign-in:client:${client}`;
  const subject = account ? `sign-in:account:${account}` : null;

  const answers: RateLimitAnswer[] = [await underLimit(byClient, limits.perClient)];
  if (subject && answers[0].allowed) answers.push(await attemptAllowed(subject, client, limits.perAccount));
  const refused = answers.find((a) => !a.allowed);
  if (refused) {
    ctx.set('Retry-After', String(refused.retryAfterSeconds));
    return failWith(ctx, 429, ERROR_CODES.RATE_LIMITED, `Too many failed sign-in attempts; try again in ${seconds(refused.retryAfterSeconds)}.`);
  }

  let thrown: unknown = null;
  try {
    await next();
  } catch (error) {
    thrown = error;
    throw error;
  } finally {
    const outcome = signInOutcome(answerOf(thrown, ctx.status, ctx.body), isSignInGuess(ctx.request.body));
    if (outcome === 'failed') {
      await hit(byClient, limits.perClient);
      if (subject) await recordFailure(subject, client, limits.perAccount);
    } else if (outcome === 'succeeded' && subject) {
      await forgiveClient(subject, client);
    }
  }
}
