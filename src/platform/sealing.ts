/**
 * Sealing small secrets at rest (AES-256-GCM) under a key derived from ENCRYPTION_KEY: used for
 * stored idempotent responses, which carry a case secret the citizen may need again.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Derived keys by secret and purpose: deriving one for every request cost more than the sealing. */
const keys = new Map<string, Buffer>();

function key(purpose: string): Buffer {
  const secret = process.env.ENCRYPTION_KEY;
  if (!secret) throw new Error('ENCRYPTION_KEY is not set.');
  const name = `${purpose}\u0000${secret}`;
  let derived = keys.get(name);
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', secret, 'grm-sealing', purpose, 32));
    keys.set(name, derived);
  }
  return derived;
}

export function seal(plaintext: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(sealed: string, purpose: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION) throw new Error('Unknown sealing version.');
  const decipher = createDecipheriv('aes-256-gcm', key(purpose), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
