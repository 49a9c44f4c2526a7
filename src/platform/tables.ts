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
