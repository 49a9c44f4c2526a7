'use strict';

/**
 * Indexes found missing by the benchmark at a million cases (docs/performance.md):
 *
 * - `grievances_submitted_idx`: duplicate detection at intake reads the most recent cases of a
 *   project and category (and region); it walks cases newest first and stops after the
 *   candidates it needs instead of joining every case of the category.
 * - `grievances_status_id_idx`: the staff list counts the cases of a status in the officer's
 *   scope; (status, id) answers that from the index alone, without reading each case row.
 *
 * Idempotent; re-applied after every schema sync.
 */
const INDEXES = {
  grievances_submitted_idx: 'ON grievances (submitted_at)',
  grievances_status_id_idx: 'ON grievances (case_status, id)',
};

async function up(knex) {
  if (!(await knex.schema.hasTable('grievances'))) return;
  for (const [name, definition] of Object.entries(INDEXES)) await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ${definition}`);
}

async function down(knex) {
  for (const name of Object.keys(INDEXES)) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}

module.exports = { up, down };
