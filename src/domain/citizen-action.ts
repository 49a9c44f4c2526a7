/**
 * Bodies of the citizen's actions on their case (docs/public-api.md), checked field by field: the case
 * secret always; a rating of 1 to 5 and an optional comment for feedback; a reason for an appeal.
 * The receipt is asked for the same way, so the secret travels in a body, never in a URL.
 */
import { DomainError, ERROR_CODES, FieldError } from './errors';

export type CitizenActionName = 'feedback' | 'accept' | 'appeal';
/** Everything a citizen asks with the case secret: the actions, the receipt, links to the case's attachments. */
export type CitizenRequestName = CitizenActionName | 'receipt' | 'attachments';
export interface CitizenAction {
  caseSecret: string;
  rating?: number;
  comment?: string | null;
  reason?: string;
}

const FIELDS: Record<CitizenRequestName, string[]> = {
  feedback: ['caseSecret', 'rating', 'comment'],
  accept: ['caseSecret'],
  attachments: ['caseSecret'],
  appeal: ['caseSecret', 'reason'],
  receipt: ['caseSecret'],
};
const COMMENT_MAX = 2_000;

export function parseCitizenAction(action: CitizenRequestName, body: unknown): CitizenAction {
  const data = body && typeof body === 'object' && !Array.isArray(body) ? (body as { data?: unknown }).data : undefined;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new DomainError(ERROR_CODES.VALIDATION, 'Send { "data": { ... } }.', [{ path: ['data'], message: 'Required.' }]);
  const d = data as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(d)) if (!FIELDS[action].includes(key)) errors.push({ path: [key], message: `Unknown field "${key}".` });
  if (typeof d.caseSecret !== 'string' || d.caseSecret.length < 8 || d.caseSecret.length > 100) errors.push({ path: ['caseSecret'], message: 'The case secret from your receipt is required.' });
  if (action === 'feedback') {
    if (!Number.isInteger(d.rating) || (d.rating as number) < 1 || (d.rating as number) > 5) errors.push({ path: ['rating'], message: 'Rate from 1 to 5.' });
    if (d.comment != null && (typeof d.comment !== 'string' || d.comment.length > COMMENT_MAX)) errors.push({ path: ['comment'], message: `Text of at most ${COMMENT_MAX} characters.` });
  }
  if (action === 'appeal' && (typeof d.reason !== 'string' || d.reason.trim() === '' || d.reason.length > COMMENT_MAX)) {
    errors.push({ path: ['reason'], message: `Say why you appeal (at most ${COMMENT_MAX} characters).` });
  }
  if (errors.length) throw new DomainError(ERROR_CODES.VALIDATION, errors.map((e) => `${e.path.join('.')}: ${e.message}`).join(' '), errors);
  return {
    caseSecret: d.caseSecret as string,
    ...(action === 'feedback' ? { rating: d.rating as number, comment: (d.comment as string | undefined)?.trim() || null } : {}),
    ...(action === 'appeal' ? { reason: (d.reason as string).trim() } : {}),
  };
}
