/**
 * TOTP codes (RFC 6238) through otpauth: a new secret, the otpauth:// URI that authenticator apps
 * read from a QR code, and the check of a code, which also refuses a code already used (a code
 * seen over someone's shoulder cannot be replayed within its 30 seconds). Pure: no Strapi, no I/O.
 */
import { Secret, TOTP as Totp } from 'otpauth';
import { TOTP } from '../constants';

const totpFor = (secret: string, label = 'staff') =>
  new Totp({ issuer: TOTP.issuer, label, algorithm: TOTP.algorithm, digits: TOTP.digits, period: TOTP.period, secret: Secret.fromBase32(secret) });

export function newSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function provisioningUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

export type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

export function checkCode(secret: string, code: unknown, now: number, lastUsedStep: number | null): CodeCheck {
  if (typeof code !== 'string' || !new RegExp(`^\\d{${TOTP.digits}}$`).test(code.trim())) return { ok: false, reason: 'malformed' };
  const delta = totpFor(secret).validate({ token: code.trim(), timestamp: now, window: TOTP.window });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = Math.floor(now / 1000 / TOTP.period) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

/** The code an authenticator shows at a time: for tests and for operators checking a clock. */
export function codeAt(secret: string, timestamp: number): string {
  return totpFor(secret).generate({ timestamp });
}
