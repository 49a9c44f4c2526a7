/**
 * Citizens' personal data is sealed at the database layer (docs/security.md): every write
 * through Strapi's query engine (document service, content manager, intake, seeds) seals the
 * fields below before they reach SQL, and every read opens them, so the rest of the code never
 * sees ciphertext and the database, its dumps and its replicas never see plaintext.
 *
 * Staff find a case by phone through a blind index: a filter on `citizenPhone` (equals or
 * contains, as the content manager's filter sends it) becomes an equality on the keyed hash.
 *
 * Raw SQL that reads these columns (none today besides `npm run keys:rotate`) must open them itself.
 */
import type { Core } from '@strapi/strapi';
import { KeyRing, open, parseIndexKey, parseKeyRing, phoneIndex, seal, sealedWith } from './field-crypto';
import { UID } from './uids';

const NOTIFICATION = 'plugin::notifications.notification';

/** Fields sealed per content type: the citizen's identity, and the outbox's copies of it. */
export const SEALED_FIELDS: Record<string, readonly string[]> = {
  [UID.grievance]: ['citizenName', 'citizenPhone', 'citizenEmail'],
  // Addresses and message texts name the citizen and can quote the complaint.
  [NOTIFICATION]: ['recipientAddress', 'body', 'text'],
  // Staff authenticators' TOTP secrets: a database copy alone must not let anyone mint codes.
  'plugin::security.second-factor': ['secret'],
};

export const PHONE_INDEX_FIELD = 'citizenPhoneIndex';

/** Operators on `citizenPhone` that a search by number sends; each becomes "same number". */
const PHONE_SEARCH_OPERATORS = ['$eq', '$eqi', '$contains', '$containsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi'];

export interface CitizenDataKeys {
  ring: KeyRing;
  indexKey: Buffer;
}

/** Reads the keys from the environment; throws with the variable to fix when one is missing or malformed. */
export function loadKeys(env: NodeJS.ProcessEnv = process.env): CitizenDataKeys {
  return { ring: parseKeyRing(env.CITIZEN_DATA_KEYS), indexKey: parseIndexKey(env.CITIZEN_INDEX_KEY) };
}

function sealRecord(keys: CitizenDataKeys, uid: string, data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!data || typeof data !== 'object') return data;
  const fields = SEALED_FIELDS[uid].filter((field) => typeof data[field] === 'string' && data[field] !== '');
  const hasPhone = uid === UID.grievance && 'citizenPhone' in data;
  if (!fields.length && !hasPhone) return data;
  const sealed: Record<string, unknown> = { ...data };
  // The index is computed from the plaintext, before it is sealed; a cleared phone clears it.
  if (hasPhone) sealed[PHONE_INDEX_FIELD] = phoneIndex(keys.indexKey, typeof data.citizenPhone === 'string' ? data.citizenPhone : null);
  for (const field of fields) sealed[field] = seal(keys.ring, data[field] as string);
  return sealed;
}

function openRecord(keys: CitizenDataKeys, uid: string, row: any): void {
  if (!row || typeof row !== 'object') return;
  for (const field of SEALED_FIELDS[uid]) {
    if (typeof row[field] === 'string') row[field] = open(keys.ring, row[field]);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** Rewrites filters on the phone into equality on its blind index, anywhere in a where tree (dates and other values untouched). */
export function rewritePhoneFilters(indexKey: Buffer, where: unknown): unknown {
  if (Array.isArray(where)) return where.map((w) => rewritePhoneFilters(indexKey, w));
  if (!isPlainObject(where)) return where;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key !== 'citizenPhone') {
      result[key] = rewritePhoneFilters(indexKey, value);
      continue;
    }
    const condition = isPlainObject(value) ? value : { $eq: value };
    const searched = PHONE_SEARCH_OPERATORS.map((op) => condition[op]).find((v) => typeof v === 'string');
    const rest = Object.fromEntries(Object.entries(condition).filter(([op]) => !PHONE_SEARCH_OPERATORS.includes(op)));
    // `$null`/`$notNull` keep working on the sealed column: emptiness is not secret to staff who may filter on it.
    if (Object.keys(rest).length) result.citizenPhone = rest;
    // A number too short to index matches nothing rather than everything.
    if (searched !== undefined) result[PHONE_INDEX_FIELD] = { $eq: phoneIndex(indexKey, searched) ?? '-' };
  }
  return result;
}

export function registerCitizenDataEncryption(strapi: Core.Strapi, keys: CitizenDataKeys): void {
  const models = Object.keys(SEALED_FIELDS);
  const rewrite = (event: any) => {
    if (event.model.uid === UID.grievance && event.params?.where) event.params.where = rewritePhoneFilters(keys.indexKey, event.params.where);
  };
  const openResult = (event: any) => {
    const rows = Array.isArray(event.result) ? event.result : [event.result];
    for (const row of rows) openRecord(keys, event.model.uid, row);
  };
  strapi.db.lifecycles.subscribe({
    models,
    beforeCreate(event: any) {
      event.params.data = sealRecord(keys, event.model.uid, event.params.data);
    },
    beforeCreateMany(event: any) {
      if (Array.isArray(event.params.data)) event.params.data = event.params.data.map((d: any) => sealRecord(keys, event.model.uid, d));
    },
    beforeUpdate(event: any) {
      rewrite(event);
      event.params.data = sealRecord(keys, event.model.uid, event.params.data);
    },
    beforeUpdateMany(event: any) {
      rewrite(event);
      event.params.data = sealRecord(keys, event.model.uid, event.params.data);
    },
    beforeFindOne: rewrite,
    beforeFindMany: rewrite,
    beforeCount: rewrite,
    beforeDelete: rewrite,
    beforeDeleteMany: rewrite,
    // create and update return their row through findOne, so these open those results too.
    afterFindOne: openResult,
    afterFindMany: openResult,
  } as any);
}

export interface RotationResult {
  /** Rows whose sealed fields or phone index were rewritten, per table. */
  rewritten: Record<string, number>;
  /** Rows checked, per table. */
  checked: Record<string, number>;
  /** Key ids no stored value uses any more: they may be removed from CITIZEN_DATA_KEYS. */
  retiredKeys: string[];
}

const ROTATION_BATCH = 500;

/**
 * `npm run keys:rotate`: re-seals every value under the active key (plaintext rows from before
 * encryption included) and recomputes every phone index with the current index key. Plain SQL
 * in batches of one transaction each, so it can run while the app serves requests and be
 * stopped and run again at any point: a row is either all old or all new.
 */
export async function rotateSealedData(strapi: Core.Strapi, keys: CitizenDataKeys): Promise<RotationResult> {
  const knex = strapi.db.connection;
  const result: RotationResult = { rewritten: {}, checked: {}, retiredKeys: [] };
  const stillUsed = new Set<string>();
  for (const [uid, fields] of Object.entries(SEALED_FIELDS)) {
    const meta = strapi.db.metadata.get(uid as any);
    const column = (field: string) => (meta.attributes[field] as any).columnName ?? field;
    const indexed = uid === UID.grievance;
    const columns = [...fields, ...(indexed ? [PHONE_INDEX_FIELD] : [])].map(column);
    const table = meta.tableName;
    result.rewritten[table] = 0;
    result.checked[table] = 0;
    let after = 0;
    for (;;) {
      const rows = await knex(table).select('id', ...columns).where('id', '>', after).orderBy('id').limit(ROTATION_BATCH);
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      result.checked[table] += rows.length;
      const changes: Array<{ id: number; patch: Record<string, unknown>; read: Record<string, unknown> }> = [];
      for (const row of rows) {
        const patch: Record<string, unknown> = {};
        for (const field of fields) {
          const stored = row[column(field)];
          if (typeof stored !== 'string' || stored === '') continue;
          if (sealedWith(stored) !== keys.ring.active.id) patch[column(field)] = seal(keys.ring, open(keys.ring, stored));
        }
        if (indexed) {
          const phone = row[column('citizenPhone')];
          const wanted = phoneIndex(keys.indexKey, typeof phone === 'string' && phone ? open(keys.ring, phone) : null);
          if ((row[column(PHONE_INDEX_FIELD)] ?? null) !== wanted) patch[column(PHONE_INDEX_FIELD)] = wanted;
        }
        if (Object.keys(patch).length) changes.push({ id: row.id, patch, read: Object.fromEntries(Object.keys(patch).map((c) => [c, row[c]])) });
      }
      await knex.transaction(async (trx) => {
        // Only if the row still holds what was read: a value the app changed meanwhile is already sealed anew.
        for (const { id, patch, read } of changes) {
          await trx(table).where({ id }).where((q) => {
            for (const [c, v] of Object.entries(read)) {
              if (v == null) q.whereNull(c);
              else q.where(c, v as string);
            }
          }).update(patch);
        }
      });
      result.rewritten[table] += changes.length;
    }
    // Instances started with the new ring seal new writes under the active key; this proves none under an old key is left.
    for (const id of keys.ring.keys.keys()) {
      if (id === keys.ring.active.id) continue;
      const [{ n }] = await knex(table).count({ n: '*' }).where((q) => {
        for (const c of fields.map(column)) q.orWhere(c, 'like', `enc:v1:${id}:%`);
      });
      if (Number(n) > 0) stillUsed.add(id);
    }
  }
  result.retiredKeys = [...keys.ring.keys.keys()].filter((id) => id !== keys.ring.active.id && !stillUsed.has(id));
  return result;
}
