/**
 * The rules that limit guessing (a staff password, a case secret) without letting an attacker
 * lock the real owner out (docs/security.md, "Signing in" and "Citizen actions"). Pure: the
 * counting itself lives in src/platform/attempt-limits.ts.
 *
 * - Only real attempts count: a request the handler refused as malformed, or that another
 *   limit already refused (429), guessed nothing.
 * - A hard limit applies per subject (an account, a case) *and* client address together, so
 *   failures from one address never close the subject to another address.
 * - Failures from anywhere only slow guessing down: past a threshold, every address must leave
 *   a growing pause (doubling per failure, capped) between its own failed attempts on the
 *   subject. An address that has not failed on the subject in the current pause, such as the
 *   owner's, is never made to wait.
 */

export interface AttemptRules {
  /** Failed attempts on one subject from one client address per window; then 429. */
  perClient: number;
  windowMs: number;
  /** Failures on the subject from anywhere in the window before addresses are paced. */
  slowdownAfter: number;
  /** The longest pause an address has to leave between its failed attempts. */
  maxPauseSeconds: number;
}

/** Failures are remembered for an hour (src/platform/rate-limit.ts), so no pause is longer. */
export const LONGEST_PAUSE_SECONDS = 3_600;

/**
 * The pause (seconds) an address must leave between its failed attempts on a subject that has
 * failed this often from anywhere in the window: 0 below the threshold, then 1, 2, 4 ... up to
 * the cap. It counts from the address's own last failure, so an address that has not failed
 * lately is never made to wait.
 */
export function pauseSeconds(failuresFromAnywhere: number, rules: Pick<AttemptRules, 'slowdownAfter' | 'maxPauseSeconds'>): number {
  if (failuresFromAnywhere < rules.slowdownAfter || rules.maxPauseSeconds <= 0) return 0;
  const doublings = Math.min(failuresFromAnywhere - rules.slowdownAfter, 30);
  return Math.min(2 ** doublings, rules.maxPauseSeconds, LONGEST_PAUSE_SECONDS);
}

/** HTTP statuses of Strapi's error classes, for an error thrown through a middleware. */
const STATUS_OF_ERROR: Record<string, number> = {
  ValidationError: 400,
  ApplicationError: 400,
  UnauthorizedError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  PayloadTooLargeError: 413,
  RateLimitError: 429,
};

export interface SignInAnswer {
  status: number;
  errorName: string | null;
  /** The answer hands out a session (admin `data.token`, users-permissions `jwt`). */
  session: boolean;
}

/** What an answer, or an error thrown instead of one, says about a sign-in. */
export function answerOf(error: unknown, status: number, body: unknown): SignInAnswer {
  if (error) {
    const e = error as { status?: unknown; name?: unknown };
    const name = typeof e.name === 'string' ? e.name : null;
    return { status: typeof e.status === 'number' ? e.status : ((name ? STATUS_OF_ERROR[name] : undefined) ?? 500), errorName: name, session: false };
  }
  const b = body as { error?: { name?: unknown }; data?: { token?: unknown }; jwt?: unknown } | null;
  const name = b?.error?.name;
  return { status, errorName: typeof name === 'string' ? name : null, session: typeof b?.data?.token === 'string' || typeof b?.jwt === 'string' };
}

/** Fields of Strapi's sign-in, registration and reset routes that carry something secret. */
const CREDENTIAL_FIELDS = ['password', 'currentPassword', 'code', 'resetPasswordToken', 'registrationToken'];
const E_MAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_FIELD_LENGTH = 1_024;

/**
 * Whether a sign-in request is a guess worth counting: it carries a credential, and the account
 * it names (if any) is an e-mail address, or for users-permissions' `identifier` a user name.
 * Anything else cannot get anyone in, and Strapi refuses it without checking a password.
 */
export function isSignInGuess(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  const present = (v: unknown) => typeof v === 'string' && v !== '' && v.length <= MAX_FIELD_LENGTH;
  if (!CREDENTIAL_FIELDS.some((field) => present(b[field]))) return false;
  if (b.email !== undefined && !(typeof b.email === 'string' && b.email.length <= 254 && E_MAIL_SHAPE.test(b.email.trim()))) return false;
  if (b.identifier !== undefined && !(present(b.identifier) && (b.identifier as string).trim() !== '')) return false;
  return true;
}

export type SignInOutcome = 'succeeded' | 'failed' | 'not_counted';

/**
 * Whether a sign-in answer was a failed guess. A malformed request (`guess` false: no password,
 * not an e-mail), a 429 (Strapi's own limit, or ours) and a request Strapi's validation refused
 * are no guess; a server error says nothing about the password. Only an answer that hands out
 * a session proves the password: a password-reset e-mail request answers 204 to anyone.
 */
export function signInOutcome(answer: SignInAnswer, guess: boolean): SignInOutcome {
  if (answer.status >= 200 && answer.status < 300) return answer.session ? 'succeeded' : 'not_counted';
  if (!guess || answer.status === 429 || answer.status < 400 || answer.status >= 500) return 'not_counted';
  if (answer.status === 400 && answer.errorName === 'ValidationError') return 'not_counted';
  return 'failed';
}

/**
 * A case secret as the platform issues it: 18 random bytes in base64url (24 characters). Anything
 * else cannot be a case's secret, so it is refused without counting as a guess.
 */
export const CASE_SECRET_BYTES = 18;
const CASE_SECRET_SHAPE = /^[A-Za-z0-9_-]{24}$/;

export function isWellFormedCaseSecret(value: unknown): value is string {
  return typeof value === 'string' && CASE_SECRET_SHAPE.test(value);
}
