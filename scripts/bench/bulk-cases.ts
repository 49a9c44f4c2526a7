/**
 * Many cases at once for benchmarks and tests that need volume (concurrency, batching): copies
 * one real case, made through intake, with its relation link tables, in chunked bulk inserts.
 * `overrides` sets columns of the copies (database column names), the same for every copy or
 * per copy (a function of its index). Each copy gets its own valid tracking code.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { checkCharacter, CROCKFORD_ALPHABET } from '../../src/domain/tracking-code';

const CHUNK = 200;

export async function cloneCase(
  strapi: Core.Strapi,
  documentId: string,
  count: number,
  overrides: Record<string, unknown> | ((index: number) => Record<string, unknown>) = {}
): Promise<number[]> {
  const knex = strapi.db.connection;
  const [template] = await knex('grievances').where({ document_id: documentId });
  const linkTables = (await listTables(strapi)).filter((t) => t.startsWith('grievances_') && t.endsWith('_lnk'));
  const links: Record<string, any[]> = {};
  for (const table of linkTables) links[table] = await knex(table).where({ grievance_id: template.id });
  const ids: number[] = [];
  // Unique per call, so one template can be copied several times.
  const tag = randomBytes(3).toString('hex');
  // The template's project and date, a fresh random part and its check character.
  const prefix = String(template.tracking_code).split('-').slice(0, 2).join('-');
  const code = () => {
    const body = `${prefix}-${[...randomBytes(8)].map((b) => CROCKFORD_ALPHABET[b % 32]).join('')}`;
    return body + checkCharacter(body);
  };
  for (let start = 0; start < count; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(start + CHUNK, count); i += 1) {
      const { id: _id, ...rest } = template;
      rows.push({
        ...rest,
        ...(typeof overrides === 'function' ? overrides(i) : overrides),
        document_id: `${tag}${String(i).padStart(8, '0')}${randomBytes(5).toString('hex')}`,
        tracking_code: code(),
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
