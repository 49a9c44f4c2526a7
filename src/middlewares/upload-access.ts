/**
 * Closes the storage addresses under /uploads (docs/security.md#files): the upload plugin and
 * the public folder serve them to anyone with the URL, so an attachment of a complaint, a
 * resolution agreement or an internal report would be one guessed or forwarded link away. Only
 * the files of published reports stay public there; everything else is 404 however the path is
 * spelled (the static server decodes and normalises it), and is read through a signed link.
 */
import { ERROR_CODES } from '../domain/errors';
import { failWith } from '../platform/http-error';
import { isPublicFile, uploadAddressOf } from '../platform/stored-files';

export default () => async (ctx: any, next: () => Promise<void>) => {
  const address = uploadAddressOf(ctx.path);
  if (!address) return next();
  if ((ctx.method === 'GET' || ctx.method === 'HEAD') && (await isPublicFile(address))) return next();
  failWith(ctx, 404, ERROR_CODES.NOT_FOUND, 'No such file. Attachments and internal reports are downloaded through signed links from their case or report.');
};
