/**
 * Table, column and link-table names of content types, read from Strapi's metadata, for the few
 * hot read paths written as plain SQL (docs/performance.md). Strapi chooses these names; asking
 * its metadata keeps the SQL right if a schema's collection or field names change.
 */
export const tableOf = (uid: string): string => strapi.db.metadata.get(uid as any).tableName;

export const columnOf = (uid: string, field: string): string => {
  const attribute = strapi.db.metadata.get(uid as any).attributes[field] as any;
  return attribute?.columnName ?? field;
};

/** A datetime as the query engine gives it (ISO text), from either database's raw value (a Date, epoch milliseconds, or text). */
export const isoOf = (value: unknown): string | null => {
  if (value == null || value === '') return null;
  const date = value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};
/** A JSON column: an object on PostgreSQL, text on SQLite. */
export const jsonOf = (value: unknown): any => (typeof value === 'string' ? JSON.parse(value) : (value ?? null));
/** A boolean column: true/false on PostgreSQL, 1/0 on SQLite. */
export const boolOf = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 't';

/** A select map `{ field: "alias.column" }` for knex, so rows come back keyed by field name. */
export const fieldsOf = (uid: string, alias: string, fields: string[]): Record<string, string> =>
  Object.fromEntries(fields.map((field) => [field, `${alias}.${columnOf(uid, field)}`]));

/** The link table of a relation: its name, the owner's key column and the target's key column. */
export const linkOf = (uid: string, relation: string): { table: string; owner: string; target: string } => {
  const join = (strapi.db.metadata.get(uid as any).attributes[relation] as any)?.joinTable;
  if (!join) throw new Error(`${uid}.${relation} has no link table`);
  return { table: join.name, owner: join.joinColumn.name, target: join.inverseJoinColumn.name };
};

/**
 * The knex to run plain SQL on: the open transaction's when there is one (the query engine
 * follows it through async context; plain knex does not, and on SQLite's single connection a
 * statement outside it would wait for the pool until it times out), else the pool.
 */
export const currentKnex = async (): Promise<any> =>
  strapi.db.inTransaction() ? strapi.db.transaction(async ({ trx }: { trx: unknown }) => trx) : strapi.db.connection;

/**
 * Points a to-one relation of a record at another record (or at none) with two statements on
 * its link table, where the query engine's `update` reads the record back, diffs and reorders
 * (seven statements for an assignee, and the case's sealed contact opened for nothing). Keeps
 * the target side's order column when the relation has an inverse list.
 */
export async function setToOne(uid: string, relation: string, ownerId: number, targetId: number | null, options: { fresh?: boolean } = {}): Promise<void> {
  const join = (strapi.db.metadata.get(uid as any).attributes[relation] as any)?.joinTable;
  if (!join) throw new Error(`${uid}.${relation} has no link table`);
  const knex = await currentKnex();
  const owner = join.joinColumn.name;
  const target = join.inverseJoinColumn.name;
  // A record inserted a moment ago (`fresh`) has no link to remove.
  if (!options.fresh) await knex(join.name).where(owner, ownerId).delete();
  if (targetId == null) return;
  const row: Record<string, unknown> = { [owner]: ownerId, [target]: targetId };
  if (join.inverseOrderColumnName) {
    row[join.inverseOrderColumnName] = knex.raw('(select coalesce(max(??), 0) + 1 from ?? where ?? = ?)', [join.inverseOrderColumnName, join.name, target, targetId]);
  }
  await knex(join.name).insert(row);
}

/**
 * To-one relations of one record, and relations of those (`'department.head'`), read in one
 * SELECT over the link tables, where the query engine spends a statement per relation. Each
 * relation comes back as an object of the fields asked for (database column values, so
 * booleans are 1/0 on SQLite: see `boolOf`), or null when it is not set; the record's own
 * `own` fields come under `$`. Sealed citizen fields come back sealed: read those through the
 * query engine.
 */
export async function readToOnes(
  uid: string,
  id: number,
  relations: Record<string, { uid: string; fields: string[] }>,
  own: string[] = []
): Promise<Record<string, Record<string, any> | null> | null> {
  return (await readToOnesMany(uid, [Number(id)], relations, own)).get(Number(id)) ?? null;
}

/** `readToOnes` for many records in the same one SELECT, by record id. */
export async function readToOnesMany(
  uid: string,
  ids: number[],
  relations: Record<string, { uid: string; fields: string[] }>,
  own: string[] = []
): Promise<Map<number, Record<string, Record<string, any> | null>>> {
  const found = new Map<number, Record<string, Record<string, any> | null>>();
  if (ids.length === 0) return found;
  const knex = await currentKnex();
  const query = knex({ o: tableOf(uid) }).select({ $id: 'o.id', ...Object.fromEntries(own.map((f) => [`$${f}`, `o.${columnOf(uid, f)}`])) });
  if (ids.length === 1) query.where('o.id', ids[0]);
  else query.whereIn('o.id', ids);
  const uidOf: Record<string, string> = { o: uid };
  for (const [path, { uid: target, fields }] of Object.entries(relations)) {
    const names = path.split('.');
    const relation = names.pop()!;
    const from = names.length ? names.join('__') : 'o';
    const alias = path.replace(/\./g, '__');
    const link = linkOf(uidOf[from], relation);
    uidOf[alias] = target;
    query
      .leftJoin({ [`l_${alias}`]: link.table }, `l_${alias}.${link.owner}`, `${from}.id`)
      .leftJoin({ [alias]: tableOf(target) }, `${alias}.id`, `l_${alias}.${link.target}`)
      .select({ [`${alias}$id`]: `${alias}.id` }, Object.fromEntries(fields.map((f) => [`${alias}$${f}`, `${alias}.${columnOf(target, f)}`])));
  }
  for (const raw of await query) {
    const id = Number(raw.$id);
    // A to-one relation has one link per record; the first row of a record is its answer.
    if (found.has(id)) continue;
    found.set(
      id,
      Object.fromEntries([
        // The record's own fields, under `$`.
        ['$', Object.fromEntries(['id', ...own].map((f) => [f, raw[`$${f}`]]))],
        ...Object.entries(relations).map(([path, { fields }]) => {
          const alias = path.replace(/\./g, '__');
          return [path, raw[`${alias}$id`] == null ? null : Object.fromEntries(fields.map((f) => [f, raw[`${alias}$${f}`]]))];
        }),
      ])
    );
  }
  return found;
}

/**
 * Attaches uploaded files to a new record's media field in one INSERT on the upload plugin's
 * morph table (the query engine's `update` would read the record back, sealed fields and all).
 */
export async function linkFiles(uid: string, field: string, ownerId: number, fileIds: number[]): Promise<void> {
  if (fileIds.length === 0) return;
  const attribute = strapi.db.metadata.get(uid as any).attributes[field] as any;
  const join = (strapi.db.metadata.get(attribute.target).attributes[attribute.morphBy] as any)?.joinTable;
  if (!join?.morphColumn) throw new Error(`${uid}.${field} is not a media field`);
  const knex = await currentKnex();
  await knex(join.name).insert(
    fileIds.map((fileId, index) => ({
      [join.joinColumn.name]: fileId,
      [join.morphColumn.idColumn.name]: ownerId,
      [join.morphColumn.typeColumn.name]: uid,
      field,
      order: index + 1,
    }))
  );
}

/**
 * Points a to-one relation of many records at their targets (or at none) in at most three
 * statements whatever their number: the old links go in one DELETE (unless the records are
 * `fresh`), the new ones in one INSERT, with the target side's order column counted on from
 * each target's last link when the relation has an inverse list.
 */
export async function setToOneMany(uid: string, relation: string, pairs: Array<[ownerId: number, targetId: number | null]>, options: { fresh?: boolean } = {}): Promise<void> {
  if (pairs.length === 0) return;
  const join = (strapi.db.metadata.get(uid as any).attributes[relation] as any)?.joinTable;
  if (!join) throw new Error(`${uid}.${relation} has no link table`);
  const knex = await currentKnex();
  const owner = join.joinColumn.name;
  const target = join.inverseJoinColumn.name;
  if (!options.fresh) await knex(join.name).whereIn(owner, pairs.map(([ownerId]) => ownerId)).delete();
  const linked = pairs.filter((pair): pair is [number, number] => pair[1] != null);
  if (linked.length === 0) return;
  const order = join.inverseOrderColumnName as string | undefined;
  const last = new Map<number, number>();
  if (order) {
    const targets = [...new Set(linked.map(([, targetId]) => targetId))];
    const rows = await knex(join.name).whereIn(target, targets).groupBy(target).select({ target, last: knex.raw('max(??)', [order]) });
    for (const row of rows) last.set(Number(row.target), Number(row.last ?? 0));
  }
  const rows = linked.map(([ownerId, targetId]) => {
    const row: Record<string, unknown> = { [owner]: ownerId, [target]: targetId };
    if (order) {
      const next = (last.get(targetId) ?? 0) + 1;
      last.set(targetId, next);
      row[order] = next;
    }
    return row;
  });
  // SQLite writes a multi-row INSERT as a compound SELECT, at most 500 terms.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await knex(join.name).insert(rows.slice(i, i + INSERT_CHUNK));
}

const INSERT_CHUNK = 400;
