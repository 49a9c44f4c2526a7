'use strict';

/**
 * Rate-limit counters on PostgreSQL live in an UNLOGGED table: counting a public request no
 * longer writes the write-ahead log, so a tracking lookup does not wait for a disk flush
 * (docs/performance.md). The counters stay shared by every instance on the server. After a
 * crash PostgreSQL empties the table: every client starts a fresh window, which is harmless.
 * Replicas do not receive it; limits are counted on the primary only.
 *
 * Idempotent; re-applied after every schema sync.
 */
async function up(knex) {
  if (!String(knex.client.config.client).startsWith('p')) return;
  if (!(await knex.schema.hasTable('rate_limits'))) return;
  const { rows } = await knex.raw("SELECT relpersistence FROM pg_class WHERE oid = 'rate_limits'::regclass");
  if (rows[0]?.relpersistence !== 'u') await knex.raw('ALTER TABLE rate_limits SET UNLOGGED');
}

async function down(knex) {
  if (!String(knex.client.config.client).startsWith('p')) return;
  if (await knex.schema.hasTable('rate_limits')) await knex.raw('ALTER TABLE rate_limits SET LOGGED');
}

module.exports = { up, down };
