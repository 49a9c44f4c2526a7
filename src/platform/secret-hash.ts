/**
 * The hash of a case secret is for checking a citizen's secret and nothing else, and the blind
 * index of the citizen's phone is for the phone search of src/platform/citizen-data.ts (which
 * rewrites a filter on the phone below this layer): no staff answer shows either and no query
 * may filter, sort or select on them, whoever asks (super admins included); the index would
 * tell which cases share a phone number.
 * The content manager returned it on every case it listed or opened, to every staff role, and
 * in every case populated under a case event or transfer (tests/integration/fuzz.test.ts). The
 * citizen actions read it with the query engine (api::grievance.submission), below this
 * middleware, so nothing legitimate goes through here.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';
import { UID } from './uids';

export const HIDDEN_FIELDS = ['secretHash', 'citizenPhoneIndex'];

let related: Set<string> | undefined;
/** The case type and every type with a relation to it: their results can hold a case. */
function relatedUids(): Set<string> {
  if (!related) {
    related = new Set<string>([UID.grievance]);
    for (const [uid, model] of Object.entries(strapi.contentTypes)) {
      if (Object.values((model as any).attributes ?? {}).some((a: any) => a?.target === UID.grievance)) related.add(uid);
    }
  }
  return related;
}

const namesField = (value: string) => value.split(/[.,:\s]/).some((part) => HIDDEN_FIELDS.includes(part));

/** Whether a filters object names the field as a key, at any depth. */
function filtersName(value: unknown, depth = 0): boolean {
  if (depth > 100 || !value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => HIDDEN_FIELDS.includes(key) || filtersName(inner, depth + 1));
}

/** Whether sort or fields (strings, arrays or objects) name the field. */
function selectsName(value: unknown, depth = 0): boolean {
  if (depth > 100 || value === null || value === undefined) return false;
  if (typeof value === 'string') return namesField(value);
  if (typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => HIDDEN_FIELDS.includes(key) || selectsName(inner, depth + 1));
}

function strip(value: unknown, depth = 0): void {
  if (depth > 100 || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) strip(item, depth + 1);
    return;
  }
  for (const field of HIDDEN_FIELDS) if (field in value) delete (value as Record<string, unknown>)[field];
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') strip(inner, depth + 1);
}

/** Document-service middleware (strapi.documents.use). */
export async function hideSecretHash(ctx: any, next: () => Promise<any>): Promise<any> {
  if (!relatedUids().has(ctx.uid)) return next();
  const params = ctx.params ?? {};
  if (filtersName(params.filters) || selectsName(params.sort) || selectsName(params.fields) || selectsName(params.populate)) {
    throw new errors.ValidationError('The case secret and the phone index cannot be queried.', { code: ERROR_CODES.VALIDATION });
  }
  const result = await next();
  strip(result);
  return result;
}
