/**
 * Signed, expiring links to one stored file (docs/security.md#files): the capability a citizen
 * gets after proving the case secret, so a file is never reachable by its storage address. The
 * token names the file and the expiry and carries an HMAC over both; it holds no case secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a citizen's download link works unless configured otherwise. */
export const DEFAULT_LINK_MINUTES = 15;

const mac = (secret: string, fileId: number, expiresAt: number) =>
  createHmac('sha256', secret).update(`file-link:${fileId}:${expiresAt}`).digest('base64url');

/** `<fileId>.<expiry in ms>.<signature>`: URL-safe, nothing to escape. */
export function signFileLink(secret: string, fileId: number, expiresAt: number): string {
  return `${fileId}.${expiresAt}.${mac(secret, fileId, expiresAt)}`;
}

/** The file id a token grants at `now`, or null when it is malformed, forged or expired. */
export function verifyFileLink(secret: string, token: string, now: number): number | null {
  const match = /^([1-9]\d{0,15})\.(\d{13,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const fileId = Number(match[1]);
  const expiresAt = Number(match[2]);
  const expected = Buffer.from(mac(secret, fileId, expiresAt));
  const given = Buffer.from(match[3]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return expiresAt > now ? fileId : null;
}

/**
 * A Content-Disposition that always downloads and cannot be broken out of: an ASCII fallback
 * name without quotes, slashes or control characters, and the real name in RFC 5987 form.
 */
export function attachmentDisposition(name: string | null | undefined): string {
  const clean = String(name ?? '').replace(/[\p{Cc}"\\/]/gu, '').trim().slice(0, 150) || 'file';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/** Width × height over the limit (a decompression bomb), read from an image's header. */
export function exceedsPixelLimit(dimensions: { width?: number | null; height?: number | null }, maxPixels: number): boolean {
  const width = Number(dimensions.width ?? 0);
  const height = Number(dimensions.height ?? 0);
  return width * height > maxPixels;
}
