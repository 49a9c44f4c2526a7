/**
 * `Idempotency-Key` for public writes. The first request with a key claims it (an atomic
 * insert); the work and the stored response are then committed in the same transaction as the
 * write itself (`complete`), so after a crash either both exist or neither does. A later request
 * with the same key and body gets the same response; a different body gets 422
 * IDEMPOTENCY_MISMATCH; while the first is still running, 409 IDEMPOTENCY_IN_FLIGHT. A claim left
 * behind by a crashed instance (or by a request whose database went away, so that its release
 * failed) can be taken over after `IDEMPOTENCY_STALE_MS` (30 s). Taking over is safe even if the
 * first request was only slow: `complete` stores a response only while the claim is still in
 * flight, so of two requests with one key only the first to commit files a case; the other's
 * transaction rolls back.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { seal, unseal } from './sealing';

const staleMs = () => Number(strapi.config.get('api.idempotency.staleMs', 30_000));
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
  if (now - Number(row.created_at) > staleMs()) {
    const taken = await knex('idempotency_keys').where({ id: row.id, state: 'in_flight', created_at: row.created_at }).update({ created_at: now });
    if (taken === 1) return { kind: 'claimed' };
  }
  return { kind: 'in_flight' };
}

/**
 * Stores the response; call inside the transaction that did the work. Throws (so that the work
 * rolls back) if another request with the same key has completed first.
 */
export async function complete(scope: string, key: string, status: number, body: unknown, trx?: any): Promise<void> {
  const knex = trx ?? strapi.db.connection;
  const updated = await knex('idempotency_keys')
    .where({ scope, key, state: 'in_flight' })
    .update({ state: 'done', response_status: status, response_sealed: seal(JSON.stringify(body), SEAL_PURPOSE) });
  if (updated !== 1) throw new Error(`Idempotency-Key ${scope}/${key} was completed by another request.`);
}

/** Frees a claim whose work failed, so the client may try again. */
export async function release(scope: string, key: string): Promise<void> {
  await strapi.db.connection('idempotency_keys').where({ scope, key, state: 'in_flight' }).del();
}
