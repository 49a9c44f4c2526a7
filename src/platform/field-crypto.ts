/**
 * Encryption at rest of citizens' personal data (docs/security.md).
 *
 * A value is sealed with AES-256-GCM under the first key of a key ring and stored as
 * `enc:v1:<key id>:<base64 iv | tag | ciphertext>`. The key id travels with the value, so keys
 * can be rotated: a new key goes first in the ring, old keys stay for reading until
 * `npm run keys:rotate` has re-sealed every row. A keyed hash of the phone number (a blind
 * index) lets staff find a case by phone without the database ever holding the number.
 *
 * Pure: no Strapi, no I/O.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
/** Digits compared by the phone index: enough to tell numbers apart, few enough that a number typed with or without its country code or trunk 0 still matches. */
const PHONE_INDEX_DIGITS = 9;

export interface KeyRing {
  /** The key new values are sealed with. */
  active: { id: string; key: Buffer };
  /** Every key that may still have sealed a stored value, by id. */
  keys: Map<string, Buffer>;
}

export class KeyRingError extends Error {}

/** `CITIZEN_DATA_KEYS`: comma-separated `id:base64key`, the active key first; each key is 32 random bytes. */
export function parseKeyRing(spec: string | undefined): KeyRing {
  const entries = String(spec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!entries.length) throw new KeyRingError('CITIZEN_DATA_KEYS is not set: it must hold at least one key as id:base64 (see docs/security.md).');
  const keys = new Map<string, Buffer>();
  for (const entry of entries) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (at < 1 || !KEY_ID.test(id)) throw new KeyRingError(`CITIZEN_DATA_KEYS: "${id || entry.slice(0, 8)}…" needs an id of letters, digits, - or _ before the colon.`);
    if (key.length !== 32) throw new KeyRingError(`CITIZEN_DATA_KEYS: key "${id}" must be 32 bytes in base64 (it is ${key.length}).`);
    if (keys.has(id)) throw new KeyRingError(`CITIZEN_DATA_KEYS: key id "${id}" appears twice.`);
    keys.set(id, key);
  }
  const [firstId] = keys.keys();
  return { active: { id: firstId, key: keys.get(firstId)! }, keys };
}

/** `CITIZEN_INDEX_KEY`: base64 of at least 32 random bytes, kept apart from the data keys. */
export function parseIndexKey(spec: string | undefined): Buffer {
  const key = Buffer.from(String(spec ?? ''), 'base64');
  if (key.length < 32) throw new KeyRingError('CITIZEN_INDEX_KEY must be at least 32 bytes in base64 (see docs/security.md).');
  return key;
}

export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

/** The key id a stored value was sealed with, or null for plaintext (rows written before encryption). */
export function sealedWith(value: unknown): string | null {
  if (!isSealed(value)) return null;
  const end = value.indexOf(':', PREFIX.length);
  return end > 0 ? value.slice(PREFIX.length, end) : null;
}

export function seal(ring: KeyRing, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.active.key, iv);
  // The key id is authenticated too, so a value cannot be relabelled to another key.
  cipher.setAAD(Buffer.from(ring.active.id));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `${PREFIX}${ring.active.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Opens a sealed value; plaintext passes through. Throws when the key is unknown or the value was altered. */
export function open(ring: KeyRing, value: string): string {
  if (!isSealed(value)) return value;
  const id = sealedWith(value);
  const key = id ? ring.keys.get(id) : undefined;
  if (!id || !key) throw new KeyRingError(`A citizen's data is sealed with key "${id}", which is not in CITIZEN_DATA_KEYS.`);
  const raw = Buffer.from(value.slice(PREFIX.length + id.length + 1), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new KeyRingError('A sealed value is truncated.');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(id));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The digits of a phone number that the blind index compares, or null when it holds too few to be a number. */
export function phoneDigits(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 6 ? digits.slice(-PHONE_INDEX_DIGITS) : null;
}

/** The blind index of a phone number: equal for the same number however it was typed, useless without the key. */
export function phoneIndex(indexKey: Buffer, phone: string | null | undefined): string | null {
  const digits = phone ? phoneDigits(phone) : null;
  return digits ? createHmac('sha256', indexKey).update(`phone:${digits}`).digest('hex') : null;
}
