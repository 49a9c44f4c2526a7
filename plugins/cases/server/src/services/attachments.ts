/**
 * Citizens' attachments: uploaded before the complaint is sent (so a slow upload does not hold
 * the form), checked by content, stored through the upload plugin (local disk or S3), and
 * referred to by a signed reference that only the uploader holds. A reference can be attached
 * to one case only, within a day of the upload.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Core } from '@strapi/strapi';
import { safeName, sniff } from '../../../../../src/domain/attachments';
import { AttachmentRefusal, DomainError, ERROR_CODES } from '../../../../../src/domain/errors';
import { counted } from '../../../../../src/domain/plural';
import { pixelRefusal } from '../../../../../src/platform/upload-guard';

const MAX_AGE_MS = 24 * 3_600_000;

const signature = (id: number) => createHmac('sha256', String(process.env.APP_KEYS ?? '').split(',')[0] || 'grm').update(`attachment:${id}`).digest('hex').slice(0, 32);
export const attachmentRef = (id: number) => `${id}.${signature(id)}`;

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Checks and stores uploaded files; answers their references. */
  async upload(files: any[], limits: { maxBytes: number; maxFiles: number }) {
    if (files.length === 0) throw new AttachmentRefusal(400, ERROR_CODES.VALIDATION, 'Send one or more files in the "files" field.');
    if (files.length > limits.maxFiles) throw new AttachmentRefusal(400, ERROR_CODES.VALIDATION, `At most ${counted(limits.maxFiles, 'file', 'files')}.`);
    const checked = [];
    for (const file of files) {
      if (file.size > limits.maxBytes) throw new AttachmentRefusal(413, 'FILE_TOO_LARGE', `A file may be at most ${Math.round(limits.maxBytes / 1048576)} MB.`);
      const handle = await fs.open(file.filepath, 'r');
      const head = Buffer.alloc(32);
      try {
        await handle.read(head, 0, 32, 0);
      } finally {
        await handle.close();
      }
      const type = sniff(head);
      if (!type) throw new AttachmentRefusal(415, 'FILE_TYPE_NOT_ALLOWED', 'Only photos (JPEG, PNG, WebP), PDF documents and voice notes (OGG, MP3, M4A) can be attached.');
      // Every file is measured before any is stored, so a refusal leaves nothing behind.
      const tooLarge = type.mime.startsWith('image/') ? await pixelRefusal({ filepath: file.filepath }) : null;
      if (tooLarge) throw new AttachmentRefusal(413, ERROR_CODES.IMAGE_TOO_LARGE, tooLarge);
      checked.push({ file, type });
    }
    const stored = [];
    for (const { file, type } of checked) {
      // The sniffed type and a clean name, never what the client claimed.
      file.mimetype = type.mime;
      file.originalFilename = safeName(file.originalFilename, type.ext);
      const [saved] = await strapi.plugin('upload').service('upload').upload({ data: { fileInfo: { name: file.originalFilename } }, files: file });
      stored.push({ id: attachmentRef(saved.id), name: saved.name, mime: saved.mime, size: Math.round(saved.size * 1024) });
    }
    return stored;
  },

  /** File ids behind references, refusing forged, stale or already-used ones. */
  async resolve(refs: string[], now = Date.now()): Promise<number[]> {
    const ids: number[] = [];
    for (const ref of refs) {
      const [id, sig] = ref.split('.');
      const expected = Buffer.from(signature(Number(id)));
      if (!sig || sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), expected)) {
        throw new DomainError(ERROR_CODES.VALIDATION, 'attachments: not a reference from the attachment upload.', [{ path: ['attachments'], message: 'Unknown attachment.' }]);
      }
      ids.push(Number(id));
    }
    if (ids.length === 0) return [];
    const files = await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: ids } }, select: ['id', 'createdAt'] });
    const used = await strapi.db.query('api::grievance.grievance' as any).count({ where: { attachments: { id: { $in: ids } } } });
    const fresh = files.filter((f: any) => now - new Date(f.createdAt).getTime() <= MAX_AGE_MS);
    if (fresh.length !== ids.length || used > 0) {
      throw new DomainError(ERROR_CODES.VALIDATION, 'attachments: an attachment is unknown, older than a day, or already part of a complaint.', [{ path: ['attachments'], message: 'Upload the file again.' }]);
    }
    return ids;
  },
});
