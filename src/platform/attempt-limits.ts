/**
 * Counts failed guesses on a subject (an account, a case) by the rules of
 * src/domain/attempt-limits.ts, in the `rate_limits` table so they hold across instances:
 *
 * - `<subject>:client:<client>`: this address's failures on the subject (the hard limit);
 * - `<subject>:client:<client>:at`: one row per failure of this address, at its time in ms
 *   (a window of 1 ms), for the pause since its last failure;
 * - `<subject>:all`: failures from anywhere, which set the pause.
 */
import { AttemptRules, pauseSeconds } from '../domain/attempt-limits';
import { clear, hit, hitsNow, RateLimitAnswer, underLimit } from './rate-limit';

const own = (subject: string, client: string) => `${subject}:client:${client}`;
const EVERY_FAILURE = { limit: Number.MAX_SAFE_INTEGER, windowMs: 1 };

/** Whether this address may make an attempt on the subject now; if not, when to come back. */
export async function attemptAllowed(subject: string, client: string, rules: AttemptRules, now = Date.now()): Promise<RateLimitAnswer> {
  const hard = await underLimit(own(subject, client), { limit: rules.perClient, windowMs: rules.windowMs }, now);
  if (!hard.allowed) return hard;
  const pause = pauseSeconds(await hitsNow(`${subject}:all`, rules.windowMs, now), rules) * 1000;
  if (pause === 0) return hard;
  const [row] = await strapi.db.connection('rate_limits').where({ bucket: `${own(subject, client)}:at` }).max({ last: 'window_start' });
  const last = row?.last == null ? null : Number(row.last);
  if (last === null || now - last >= pause) return hard;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((last + pause - now) / 1000)) };
}

/** Records a failed guess by this address on the subject. */
export async function recordFailure(subject: string, client: string, rules: AttemptRules, now = Date.now()): Promise<void> {
  await hit(own(subject, client), { limit: rules.perClient, windowMs: rules.windowMs }, now);
  await hit(`${own(subject, client)}:at`, EVERY_FAILURE, now);
  await hit(`${subject}:all`, { limit: Number.MAX_SAFE_INTEGER, windowMs: rules.windowMs }, now);
}

/** The owner got in from this address: its earlier failures on the subject are forgiven. */
export async function forgiveClient(subject: string, client: string): Promise<void> {
  await clear(own(subject, client));
}
