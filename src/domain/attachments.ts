/**
 * What a citizen may attach: photos, PDFs and voice notes, recognised by their first bytes
 * (never by the name or the declared type), so HTML, SVG, scripts and executables are refused
 * whatever they are called. An allowlist, so anything not named here is refused.
 */
export interface Sniffed {
  mime: string;
  ext: string;
}

const starts = (b: Buffer, bytes: number[], at = 0) => bytes.every((v, i) => b[at + i] === v);
const ascii = (b: Buffer, text: string, at = 0) => b.subarray(at, at + text.length).toString('latin1') === text;

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'audio/ogg', 'audio/mpeg', 'audio/mp4'];

export function sniff(head: Buffer): Sniffed | null {
  if (starts(head, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: '.jpg' };
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: '.png' };
  if (ascii(head, 'RIFF') && ascii(head, 'WEBP', 8)) return { mime: 'image/webp', ext: '.webp' };
  if (ascii(head, '%PDF-')) return { mime: 'application/pdf', ext: '.pdf' };
  if (ascii(head, 'OggS')) return { mime: 'audio/ogg', ext: '.ogg' };
  if (ascii(head, 'ID3') || (head[0] === 0xff && (head[1] & 0xe0) === 0xe0)) return { mime: 'audio/mpeg', ext: '.mp3' };
  if (ascii(head, 'ftyp', 4) && ['M4A ', 'mp42', 'isom', 'M4B '].includes(head.subarray(8, 12).toString('latin1'))) return { mime: 'audio/mp4', ext: '.m4a' };
  return null;
}

/** A safe stored name: the sniffed extension, never the client's, and no path or markup characters. */
export function safeName(original: string | undefined, ext: string): string {
  const base = String(original ?? 'attachment').replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{M}\p{N} _-]/gu, '').trim().slice(0, 80) || 'attachment';
  return `${base}${ext}`;
}
