/**
 * The audit chain, pure: each event's hash is SHA-256 over the RFC 8785 canonical JSON of its
 * fields and the previous event's hash, so altering, removing or reordering any event breaks
 * every hash after it. Verification walks pages of events and carries only the last hash.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event is hashed over; stored as they are, so verify can recompute the hash. */
export interface AuditFields {
  seq: number;
  occurredAt: string;
  actorType: 'staff' | 'citizen' | 'system' | 'api_token' | 'anonymous';
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  projectId: string | null;
  diff: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
}

export interface StoredEvent extends AuditFields {
  hash: string;
}

export function hashOf(fields: AuditFields): string {
  const payload: AuditFields = {
    seq: fields.seq,
    occurredAt: fields.occurredAt,
    actorType: fields.actorType,
    actorId: fields.actorId ?? null,
    actorLabel: fields.actorLabel,
    action: fields.action,
    entityType: fields.entityType ?? null,
    entityId: fields.entityId ?? null,
    projectId: fields.projectId ?? null,
    diff: fields.diff ?? null,
    ip: fields.ip ?? null,
    userAgent: fields.userAgent ?? null,
    prevHash: fields.prevHash,
  };
  return createHash('sha256').update(canonicalize(payload) as string).digest('hex');
}

/**
 * Gives events their place in the chain after `head`, in the order given: consecutive sequence
 * numbers, each linked to the previous event's hash.
 */
export function sealPage(head: { seq: number; hash: string }, events: Omit<AuditFields, 'seq' | 'prevHash'>[]): StoredEvent[] {
  let { seq, hash } = head;
  return events.map((event) => {
    const fields: AuditFields = { ...event, seq: seq + 1, prevHash: hash };
    seq = fields.seq;
    hash = hashOf(fields);
    return { ...fields, hash };
  });
}

export interface ChainCursor {
  /** Sequence number and hash of the last event checked (0 and the genesis hash at the start). */
  seq: number;
  hash: string;
  checked: number;
}

export interface Break {
  seq: number;
  reason: 'altered' | 'removed' | 'reordered' | 'head_mismatch';
}

export const START: ChainCursor = { seq: 0, hash: GENESIS_HASH, checked: 0 };

/** Checks one page of events (in sequence order) after the cursor; returns the new cursor or the first break. */
export function verifyPage(cursor: ChainCursor, page: StoredEvent[]): { cursor: ChainCursor; broken?: Break } {
  let { seq, hash, checked } = cursor;
  for (const event of page) {
    if (event.seq !== seq + 1) {
      return { cursor: { seq, hash, checked }, broken: { seq: seq + 1, reason: event.seq > seq + 1 ? 'removed' : 'reordered' } };
    }
    if (event.prevHash !== hash) return { cursor: { seq, hash, checked }, broken: { seq: event.seq, reason: 'reordered' } };
    if (hashOf(event) !== event.hash) return { cursor: { seq, hash, checked }, broken: { seq: event.seq, reason: 'altered' } };
    seq = event.seq;
    hash = event.hash;
    checked += 1;
  }
  return { cursor: { seq, hash, checked } };
}

/** A head stored outside the database must still be in the chain, unaltered. */
export function checkAnchor(cursor: ChainCursor, anchor: { seq: number; hash: string }, hashAtAnchorSeq: string | null): Break | null {
  if (anchor.seq > cursor.seq) return { seq: cursor.seq + 1, reason: 'removed' };
  if (hashAtAnchorSeq !== anchor.hash) return { seq: anchor.seq, reason: 'head_mismatch' };
  return null;
}

const REDACTED = '[redacted]';
const SECRET_NAME = /pass(word)?|secret|token|hash|salt|key$/i;

/**
 * The change to a record as `{ field: { from, to } }`, leaving out bookkeeping fields and
 * redacting private fields and anything named like a secret (a change is still recorded).
 */
export function diffOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  attributes: Record<string, { type?: string; private?: boolean }>
): Record<string, { from: unknown; to: unknown }> {
  const result: Record<string, { from: unknown; to: unknown }> = {};
  const skip = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'localizations']);
  for (const [field, attribute] of Object.entries(attributes)) {
    if (skip.has(field) || attribute.type === 'relation' || attribute.type === 'component' || attribute.type === 'dynamiczone' || attribute.type === 'media') continue;
    const from = before ? (before[field] ?? null) : null;
    const to = after ? (after[field] ?? null) : null;
    if (JSON.stringify(normalise(from)) === JSON.stringify(normalise(to))) continue;
    const hidden = attribute.private || SECRET_NAME.test(field);
    result[field] = hidden ? { from: from == null ? null : REDACTED, to: to == null ? null : REDACTED } : { from: normalise(from), to: normalise(to) };
  }
  return result;
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value;
}
