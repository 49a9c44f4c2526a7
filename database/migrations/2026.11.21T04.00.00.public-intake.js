'use strict';

/**
 * Tables of the public intake that are not content types (nobody edits them in the admin panel):
 *
 * - `rate_limits`: request counts per client and window, shared by every application instance
 *   (limits hold across instances because they live in the database, not in process memory).
 *   Clients are keyed by a keyed hash of their address, never the address itself.
 * - `idempotency_keys`: one row per `Idempotency-Key` a client sent, with a hash of the request
 *   and, once done, the response (sealed: it carries the case secret).
 *
 * Idempotent; re-applied after every schema sync (decision 0002).
 */
async function up(knex) {
  if (!(await knex.schema.hasTable('rate_limits'))) {
    await knex.schema.createTable('rate_limits', (t) => {
      t.string('bucket', 200).notNullable();
      t.bigInteger('window_start').notNullable();
      t.integer('hits').notNullable().defaultTo(0);
      t.primary(['bucket', 'window_start']);
    });
  }
  if (!(await knex.schema.hasTable('idempotency_keys'))) {
    await knex.schema.createTable('idempotency_keys', (t) => {
      t.increments('id');
      t.string('scope', 40).notNullable();
      t.string('key', 200).notNullable();
      t.string('request_hash', 64).notNullable();
      t.string('state', 20).notNullable();
      t.integer('response_status');
      t.text('response_sealed');
      t.bigInteger('created_at').notNullable();
      t.unique(['scope', 'key']);
    });
  }
  await knex.raw('CREATE INDEX IF NOT EXISTS rate_limits_window_idx ON rate_limits (window_start)');
  // Trigram similarity orders the candidates of duplicate detection on PostgreSQL. The extension
  // is trusted (PostgreSQL 13+), so the database owner may create it; without it, duplicate
  // detection compares the most recent cases instead.
  if (String(knex.client.config.client).startsWith('p')) {
    const { rows } = await knex.raw(
      "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed, has_database_privilege(current_database(), 'CREATE') AS allowed"
    );
    if (!rows[0].installed && rows[0].allowed) await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  }
  await knex.raw('CREATE INDEX IF NOT EXISTS idempotency_keys_created_idx ON idempotency_keys (created_at)');
}

async function down(knex) {
  await knex.schema.dropTableIfExists('rate_limits');
  await knex.schema.dropTableIfExists('idempotency_keys');
}

module.exports = { up, down };
