/**
 * Stored files (attachments, resolution documents, report files) reach a reader only through an
 * authorised route (docs/security.md#files): the storage address answers 404 unless the file
 * belongs to a published report, and everything else is handed out as a signed link that
 * expires, issued after the case secret or the staff member's scope was checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { attachmentDisposition, DEFAULT_LINK_MINUTES, signFileLink, verifyFileLink } from '../domain/file-links';

const FILE = 'plugin::upload.file';
const REPORT = 'plugin::reports.report';
/** Where signed links are answered (src/api/grievance/routes/public.ts). */
export const FILE_LINK_PATH = '/api/files';

export interface FileSettings {
  linkSecret: string;
  linkMinutes: number;
  maxImagePixels: number;
  orphanMaxAgeHours: number;
  orphanCron: string;
}

export const fileSettings = (): FileSettings => {
  const configured = strapi.config.get('api.files', {}) as Partial<FileSettings>;
  const appKey = String((strapi.config.get('server.app.keys', []) as string[])[0] ?? '');
  return {
    linkSecret: configured.linkSecret || (appKey ? `app-key:${appKey}` : ''),
    linkMinutes: configured.linkMinutes ?? DEFAULT_LINK_MINUTES,
    maxImagePixels: configured.maxImagePixels ?? 40_000_000,
    orphanMaxAgeHours: configured.orphanMaxAgeHours ?? 48,
    orphanCron: configured.orphanCron ?? '23 * * * *',
  };
};

const secret = () => {
  const value = fileSettings().linkSecret;
  if (!value) throw new Error('Set FILE_LINK_SECRET (or APP_KEYS) to sign download links.');
  return value;
};

export interface FileLink {
  id: number;
  name: string;
  mime: string;
  size: number;
  url: string;
  expiresAt: string;
}

/** A signed download link to a stored file, for whoever the caller has already authorised. */
export function linkTo(file: { id: number; name: string; mime: string; size: number }, now = Date.now()): FileLink {
  const expiresAt = now + fileSettings().linkMinutes * 60_000;
  return {
    id: file.id,
    name: file.name,
    mime: file.mime,
    // Strapi keeps sizes in kilobytes.
    size: Math.round(Number(file.size) * 1024),
    url: `${FILE_LINK_PATH}/${signFileLink(secret(), file.id, expiresAt)}`,
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

/** The file a signed link grants now, or null (forged, expired or removed since). */
export async function fileOfLink(token: string, now = Date.now()) {
  const id = verifyFileLink(secret(), token, now);
  if (id === null) return null;
  return strapi.db.query(FILE).findOne({ where: { id }, select: ['id', 'name', 'mime', 'size', 'url', 'provider'] });
}

/**
 * Answers with the file as a download: the stored type, never sniffed by the browser, never
 * cached by a shared cache. A file in S3 is a redirect to a presigned address that expires (the
 * bucket is private; docs/security.md#files).
 */
export async function sendStoredFile(ctx: any, file: { name: string; mime: string; url: string }): Promise<void> {
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (!String(file.url).startsWith('/')) {
    const signed = await strapi.plugin('upload').service('file').signFileUrls({ ...file });
    ctx.redirect(signed.url);
    return;
  }
  const stored = localPath(file.url);
  const stat = stored ? await fs.promises.stat(stored).catch(() => null) : null;
  if (!stored || !stat?.isFile()) {
    ctx.status = 404;
    ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'This file is no longer stored.', details: { code: 'NOT_FOUND' } } };
    return;
  }
  ctx.set('Content-Disposition', attachmentDisposition(file.name));
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  ctx.type = file.mime || 'application/octet-stream';
  ctx.length = stat.size;
  ctx.body = fs.createReadStream(stored);
}

/** The local provider's file on disk for a stored address (`/uploads/<name>`), never outside it. */
function localPath(url: string): string | null {
  if (!/^\/uploads\/[A-Za-z0-9._-]+$/.test(url) || url.includes('..')) return null;
  return path.join(strapi.dirs.static.public, url);
}

/**
 * The storage address a request path names, however it is spelled (`/%75ploads/x`,
 * `//uploads/x`, `/portal/../uploads/x`, `/UPLOADS/x`), as the static server would resolve it;
 * null when it names nothing under /uploads.
 */
export function uploadAddressOf(requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    // Undecodable: the static server refuses it too, but never let it through unchecked.
    return /uploads/i.test(requestPath) ? requestPath : null;
  }
  const normalised = path.posix.normalize(`/${decoded}`);
  return /^\/uploads(\/|$)/i.test(normalised) ? normalised : null;
}

/** True when the address is a file of a published report, which anyone may download. */
export async function isPublicFile(address: string): Promise<boolean> {
  const file = await strapi.db.query(FILE).findOne({ where: { url: address }, select: ['id'] });
  if (!file) return false;
  const reports = await strapi.db.query(REPORT as any).findMany({
    where: { public: true, $or: [{ pdf: { id: file.id } }, { xlsx: { id: file.id } }] },
    select: ['id'],
    populate: { project: { select: ['publicReporting'] } },
  });
  // The public archive of a project with public reporting off answers 404; so do its files.
  return reports.some((r: any) => r.project?.publicReporting !== false);
}
