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
