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
  const knex = await currentKnex();
  const query = knex({ o: tableOf(uid) }).where('o.id', id).first({ $id: 'o.id', ...Object.fromEntries(own.map((f) => [`$${f}`, `o.${columnOf(uid, f)}`])) });
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
  const raw = await query;
  if (!raw) return null;
  return Object.fromEntries([
    // The record's own fields, under `$`.
    ['$', Object.fromEntries(['id', ...own].map((f) => [f, raw[`$${f}`]]))],
    ...Object.entries(relations).map(([path, { fields }]) => {
      const alias = path.replace(/\./g, '__');
      return [path, raw[`${alias}$id`] == null ? null : Object.fromEntries(fields.map((f) => [f, raw[`${alias}$${f}`]]))];
    }),
  ]);
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
