'use strict';

/**
 * Search over complaint descriptions on PostgreSQL. The content manager's "contains" filter is
 * `LOWER(description) LIKE LOWER('%word%')`, which no b-tree can serve; a trigram GIN index on
 * the same expression can, so a search stays an index scan at a million cases instead of
 * reading every description. SQLite (the small, single-office default) scans.
 *
 * Needs the pg_trgm extension (created by the public-intake migration where the database owner
 * may); without it, nothing is created. Idempotent; re-applied after every schema sync.
 */
async function up(knex) {
  if (!String(knex.client.config.client).startsWith('p')) return;
  if (!(await knex.schema.hasTable('grievances'))) return;
  const { rows } = await knex.raw("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed");
  if (!rows[0].installed) return;
  await knex.raw('CREATE INDEX IF NOT EXISTS grievances_description_trgm_idx ON grievances USING gin (lower(description) gin_trgm_ops)');
}

async function down(knex) {
  await knex.raw('DROP INDEX IF EXISTS grievances_description_trgm_idx');
}

module.exports = { up, down };
