/**
 * Tracking codes: `<PROJECTCODE>-<YYYYMMDD>-<8 random Crockford base32 chars><check>`.
 *
 * The random part uses Crockford's base32 (no I, L, O, U) so codes read aloud over a phone
 * line are unambiguous. The check character is ISO/IEC 7064 MOD 37,36 (hybrid system) over
 * every alphanumeric character of the code, project code and date included: it detects every
 * single-character substitution (a citizen's typo is caught before any lookup) and about 99 % of
 * swaps of two neighbouring characters.
 */
import { randomInt } from 'node:crypto';

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ISO7064_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MODULUS = 36;
const RANDOM_LENGTH = 8;

export const TRACKING_CODE_PATTERN = /^([A-Z][A-Z0-9]{1,9})-(\d{8})-([0-9A-HJKMNP-TV-Z]{8})([0-9A-Z])$/;

function mod3736Remainder(chars: string): number {
  let product = MODULUS;
  for (const ch of chars) {
    const value = ISO7064_ALPHABET.indexOf(ch);
    if (value < 0) throw new RangeError(`character "${ch}" cannot be checked`);
    const sum = (product + value) % MODULUS || MODULUS;
    product = (sum * 2) % (MODULUS + 1);
  }
  return product;
}

/** The check character for the alphanumeric characters of `body` (hyphens are ignored). */
export function checkCharacter(body: string): string {
  const product = mod3736Remainder(body.replace(/-/g, ''));
  return ISO7064_ALPHABET[(MODULUS + 1 - product) % MODULUS];
}

/** One formatter per zone: building an Intl formatter costs far more than using one. */
const stampFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date `YYYYMMDD` of an instant in a project's time zone. */
export function dateStamp(at: Date, timeZone: string): string {
  let format = stampFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    stampFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}

export type RandomIndex = (exclusiveMax: number) => number;

export function generateTrackingCode(
  projectCode: string,
  at: Date,
  timeZone: string,
  random: RandomIndex = randomInt
): string {
  let randomPart = '';
  for (let i = 0; i < RANDOM_LENGTH; i += 1) randomPart += CROCKFORD_ALPHABET[random(CROCKFORD_ALPHABET.length)];
  const body = `${projectCode.toUpperCase()}-${dateStamp(at, timeZone)}-${randomPart}`;
  return body + checkCharacter(body);
}

/** Upper-cases and trims what a citizen typed; returns null when it is not a valid code. */
export function normaliseTrackingCode(input: string): string | null {
  const code = String(input ?? '').trim().toUpperCase();
  const match = TRACKING_CODE_PATTERN.exec(code);
  if (!match) return null;
  const body = code.slice(0, -1);
  return checkCharacter(body) === code.slice(-1) ? code : null;
}
