/**
 * Many cases at once for benchmarks and tests that need volume (concurrency, batching): copies
 * one real case, made through intake, with its relation link tables, in chunked bulk inserts.
 * `overrides` sets columns of the copies (database column names).
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';

const CHUNK = 200;

export async function cloneCase(strapi: Core.Strapi, documentId: string, count: number, overrides: Record<string, unknown> = {}): Promise<number[]> {
  const knex = strapi.db.connection;
  const [template] = await knex('grievances').where({ document_id: documentId });
  const linkTables = (await listTables(strapi)).filter((t) => t.startsWith('grievances_') && t.endsWith('_lnk'));
  const links: Record<string, any[]> = {};
  for (const table of linkTables) links[table] = await knex(table).where({ grievance_id: template.id });
  const ids: number[] = [];
  // Unique per call, so one template can be copied several times.
  const tag = randomBytes(3).toString('hex');
  for (let start = 0; start < count; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(start + CHUNK, count); i += 1) {
      const { id: _id, ...rest } = template;
      rows.push({
        ...rest,
        ...overrides,
        document_id: `${tag}${String(i).padStart(8, '0')}${randomBytes(5).toString('hex')}`,
        tracking_code: `${template.tracking_code}-${tag}${i}`,
      });
    }
    const inserted = await knex('grievances').insert(rows).returning('id');
    const newIds = inserted.map((r: any) => (typeof r === 'object' ? r.id : r));
    ids.push(...newIds);
    for (const table of linkTables) {
      const linkRows = newIds.flatMap((id: number) => links[table].map(({ id: _linkId, ...link }) => ({ ...link, grievance_id: id })));
      if (linkRows.length) await knex(table).insert(linkRows);
    }
  }
  return ids;
}

async function listTables(strapi: Core.Strapi): Promise<string[]> {
  const knex = strapi.db.connection;
  if (strapi.db.dialect.client === 'postgres') {
    const { rows } = await knex.raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
    return rows.map((r: any) => r.tablename);
  }
  const rows = await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table'");
  return rows.map((r: any) => r.name);
}
