/**
 * Rules for every file the upload plugin stores, whoever uploads it (citizens, staff in the
 * media library, the report generator), docs/security.md#files:
 *
 * - an image is measured from its header before anything decodes it: the plugin's validity
 *   check, optimisation and thumbnails decode the whole image, and a few hundred bytes of PNG
 *   can declare 100000 × 100000 pixels (minutes of CPU and gigabytes of memory);
 * - a stored file gets a random name: the plugin's default keeps the uploader's file name in
 *   the storage address (`complaint_about_officer_x_3fa1c2.jpg`).
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';
import { exceedsPixelLimit } from '../domain/file-links';
import { fileSettings } from './stored-files';

/** The plugin's steps that decode the image's pixels. */
const DECODING_STEPS = ['isFaultyImage', 'optimize', 'generateThumbnail', 'generateResponsiveFormats'] as const;
/**
 * Guarded too: over sharp's own ceiling (about 268 megapixels) the plugin takes the image for
 * a plain file and would store it as such; refused like any other oversized image instead.
 */
const GUARDED_STEPS = ['isImage', ...DECODING_STEPS] as const;

/** Why an image may not be decoded, or null. Reads only the header (sharp's metadata). */
export async function pixelRefusal(file: { filepath?: string; getStream?: () => NodeJS.ReadableStream }): Promise<string | null> {
  const { getDimensions } = strapi.plugin('upload').service('image-manipulation');
  const max = fileSettings().maxImagePixels;
  let dimensions: { width: number | null; height: number | null };
  try {
    dimensions = await getDimensions(file);
  } catch (error: any) {
    // sharp refuses to even describe an image over its own pixel ceiling.
    if (/pixel limit/i.test(String(error?.message))) return `Images may have at most ${Math.round(max / 1_000_000)} megapixels; this one declares far more.`;
    // Not an image the plugin can read: it stores it as a plain file and decodes nothing.
    return null;
  }
  if (!exceedsPixelLimit(dimensions, max)) return null;
  return `Images may have at most ${Math.round(max / 1_000_000)} megapixels; this one is ${dimensions.width} × ${dimensions.height}.`;
}

export function guardUploads(strapi: Core.Strapi): void {
  const images = strapi.plugin('upload').service('image-manipulation') as Record<string, any>;
  for (const step of GUARDED_STEPS) {
    const decode = images[step];
    images[step] = async (file: any, ...rest: unknown[]) => {
      const refusal = await pixelRefusal(file);
      if (refusal) throw new errors.PayloadTooLargeError(refusal, { code: ERROR_CODES.IMAGE_TOO_LARGE, maxPixels: fileSettings().maxImagePixels });
      return decode(file, ...rest);
    };
  }
  // 32 hex characters: nothing of the uploader's name, and not guessable.
  images.generateFileName = () => randomBytes(16).toString('hex');
}
