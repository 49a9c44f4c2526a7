/**
 * `Idempotency-Key` for public writes. The first request with a key claims it (an atomic
 * insert); the work and the stored response are then committed in the same transaction as the
 * write itself (`complete`), so after a crash either both exist or neither does. A later request
 * with the same key and body gets the same response; a different body gets 422
 * IDEMPOTENCY_MISMATCH; while the first is still running, 409 IDEMPOTENCY_IN_FLIGHT. A claim left
 * behind by a crashed instance can be taken over after `STALE_MS`.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { seal, unseal } from './sealing';

const STALE_MS = 5 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const SEAL_PURPOSE = 'idempotency';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

export const isValidKey = (key: string) => KEY_PATTERN.test(key);
export const requestHash = (body: unknown) => createHash('sha256').update(canonicalize(body ?? null) ?? '').digest('hex');

export async function claim(scope: string, key: string, hash: string, now = Date.now()): Promise<Claim> {
  const knex = strapi.db.connection;
  const inserted = await knex('idempotency_keys')
    .insert({ scope, key, request_hash: hash, state: 'in_flight', created_at: now })
    .onConflict(['scope', 'key'])
    .ignore()
    .returning('id');
  if (inserted.length > 0) return { kind: 'claimed' };
  const row = await knex('idempotency_keys').where({ scope, key }).first();
  if (!row) return claim(scope, key, hash, now);
  if (row.request_hash !== hash) return { kind: 'mismatch' };
  if (row.state === 'done') return { kind: 'replay', status: row.response_status, body: JSON.parse(unseal(row.response_sealed, SEAL_PURPOSE)) };
  if (now - Number(row.created_at) > STALE_MS) {
    const taken = await knex('idempotency_keys').where({ id: row.id, state: 'in_flight', created_at: row.created_at }).update({ created_at: now });
    if (taken === 1) return { kind: 'claimed' };
  }
  return { kind: 'in_flight' };
}

/** Stores the response; call inside the transaction that did the work. */
export async function complete(scope: string, key: string, status: number, body: unknown, trx?: any): Promise<void> {
  const knex = trx ?? strapi.db.connection;
  await knex('idempotency_keys').where({ scope, key }).update({ state: 'done', response_status: status, response_sealed: seal(JSON.stringify(body), SEAL_PURPOSE) });
}

/** Frees a claim whose work failed, so the client may try again. */
export async function release(scope: string, key: string): Promise<void> {
  await strapi.db.connection('idempotency_keys').where({ scope, key, state: 'in_flight' }).del();
}
