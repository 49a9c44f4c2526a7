/**
 * Reference data in memory: projects, categories, regions and their chains, departments, SLA
 * levels, holidays and notification templates, which every intake and transition reads and an
 * administrator changes a few times a month (docs/performance.md, "Reference data").
 *
 * Correctness rules, because a stale SLA level is a wrong deadline on a citizen's receipt:
 * - Any write to a reference type, from any path that uses the query engine (admin panel,
 *   content API, seed, scripts), empties this instance's cache at once, again when its
 *   transaction commits or rolls back (so a value read inside the writing transaction does not
 *   outlive it), and every other instance's through a PostgreSQL notification sent in that
 *   transaction (delivered at commit).
 * - A value loaded while a write was under way is not kept (the generation changed meanwhile),
 *   nor one read inside a transaction that wrote reference data (it may yet roll back).
 * - After the listener lost its connection, everything is dropped (notifications were missed).
 * - Every entry expires after REFERENCE_CACHE_TTL_MS anyway, which bounds what a write made
 *   outside the query engine (plain SQL by an operator) can leave behind.
 * Cached values are frozen: a caller that tried to change one would throw, not corrupt it.
 */
import { listen, notify } from './pg-channels';
import { UID } from './uids';

/** Types whose rows are cached here; a write to any of them empties the cache. */
export const REFERENCE_UIDS: readonly string[] = [UID.project, UID.category, UID.region, UID.department, UID.slaLevel, UID.holiday, UID.notificationTemplate];

const REFERENCE_CACHE_TTL_MS = 60_000;
const CHANNEL = 'grm_reference_changed';

const MAX_ENTRIES = 5_000;

interface Entry {
  value: unknown;
  expires: number;
}

let entries = new Map<string, Entry>();
let generation = 0;
let stats = { hits: 0, loads: 0, clears: 0 };
/** Transactions that wrote reference data: what they read is theirs until they commit. */
const writers = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** The open transaction of this async context, if any (none in unit tests). */
async function openTransaction(): Promise<object | null> {
  if (typeof strapi === 'undefined' || !strapi.db?.inTransaction()) return null;
  return strapi.db.transaction(async ({ trx }: { trx: object }) => trx);
}

/** Empties this instance's cache. */
export function clearReferenceCache(): void {
  generation += 1;
  entries = new Map();
  stats.clears += 1;
}

/**
 * The cached value for `key`, loaded with `load` when absent or expired. Only finished loads are
 * shared: a caller never waits on another's load (which runs on that caller's connection, maybe
 * inside its transaction: on SQLite's single connection two such waits would block each other).
 * Nothing is kept when the load found nothing, when the data changed while it ran, or when it
 * ran inside a transaction that wrote reference data and has not committed.
 */
export async function cached<T>(key: string, load: () => PromiseLike<T>, now = Date.now()): Promise<T> {
  const entry = entries.get(key);
  if (entry && entry.expires > now) {
    stats.hits += 1;
    return entry.value as T;
  }
  stats.loads += 1;
  const startedIn = generation;
  const trx = await openTransaction();
  const value = deepFreeze(await load());
  if (value != null && generation === startedIn && !(trx && writers.has(trx))) {
    // A flood of unknown keys (codes are public input) cannot grow the map without end.
    if (entries.size >= MAX_ENTRIES) entries = new Map();
    entries.set(key, { value, expires: now + REFERENCE_CACHE_TTL_MS });
  }
  return value;
}

/** Hits, loads and clears since start (for tests and the bench). */
export const referenceCacheStats = () => ({ ...stats, size: entries.size });

/**
 * Empties the cache on every write to a reference type, on every instance. Called once at
 * start-up, after the database is ready.
 */
export async function watchReferenceData(): Promise<void> {
  entries = new Map();
  stats = { hits: 0, loads: 0, clears: 0 };
  const changed = async () => {
    clearReferenceCache();
    if (strapi.db.inTransaction()) {
      await strapi.db.transaction(async ({ trx, onCommit, onRollback }: any) => {
        writers.add(trx);
        onCommit(clearReferenceCache);
        onRollback(clearReferenceCache);
      });
    }
    await notify(CHANNEL, '');
  };
  strapi.db.lifecycles.subscribe({
    models: [...REFERENCE_UIDS],
    afterCreate: changed,
    afterCreateMany: changed,
    afterUpdate: changed,
    afterUpdateMany: changed,
    afterDelete: changed,
    afterDeleteMany: changed,
  } as any);
  await listen(CHANNEL, { message: clearReferenceCache, reconnected: clearReferenceCache });
}
