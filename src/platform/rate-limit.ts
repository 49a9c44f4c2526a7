/**
 * Fixed-window rate limits kept in the database, so they hold across application instances.
 * One atomic upsert per request counts it; the answer says whether it is allowed and, if not,
 * when to come back (for `Retry-After`).
 */
import { createHmac } from 'node:crypto';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitAnswer {
  allowed: boolean;
  retryAfterSeconds: number;
}

const PURGE_EVERY_MS = 60_000;
let lastPurge = 0;

/** A client's address as a keyed hash: limits can be counted without storing addresses. */
export function clientKey(ip: string | undefined): string {
  const secret = String(process.env.APP_KEYS ?? '').split(',')[0] || 'grm';
  return createHmac('sha256', secret).update(ip ?? 'unknown').digest('hex').slice(0, 32);
}

export async function hit(bucket: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitAnswer> {
  const knex = strapi.db.connection;
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const [row] = await knex('rate_limits')
    .insert({ bucket, window_start: windowStart, hits: 1 })
    .onConflict(['bucket', 'window_start'])
    .merge({ hits: knex.raw('rate_limits.hits + 1') })
    .returning('hits');
  const hits = Number(typeof row === 'object' ? row.hits : row);
  if (now - lastPurge > PURGE_EVERY_MS) {
    lastPurge = now;
    // Windows an hour old can no longer matter to any rule.
    await knex('rate_limits').where('window_start', '<', now - 3_600_000).del();
  }
  return { allowed: hits <= rule.limit, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)) };
}

/** Whether a bucket is still under its limit now, without counting this look as a hit. */
export async function underLimit(bucket: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitAnswer> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const row = await strapi.db.connection('rate_limits').where({ bucket, window_start: windowStart }).first('hits');
  const hits = Number(row?.hits ?? 0);
  return { allowed: hits < rule.limit, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)) };
}

/** Hits in a bucket's current window. */
export async function hitsNow(bucket: string, windowMs: number, now = Date.now()): Promise<number> {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const row = await strapi.db.connection('rate_limits').where({ bucket, window_start: windowStart }).first('hits');
  return Number(row?.hits ?? 0);
}

/** Forgets a bucket and the buckets named under it (`<bucket>:...`), in every window. */
export async function clear(bucket: string): Promise<void> {
  const escaped = bucket.replace(/[\\%_]/g, (c) => `\\${c}`);
  await strapi.db.connection('rate_limits').where('bucket', bucket).orWhereRaw("bucket LIKE ? ESCAPE '\\'", [`${escaped}:%`]).del();
}
