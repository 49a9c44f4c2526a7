'use strict';

/**
 * The audit trail is append-only in the database itself: PostgreSQL refuses UPDATE, DELETE and
 * TRUNCATE on audit_events; SQLite refuses UPDATE and DELETE. Applied after every schema sync
 * (src/platform/database-indexes.ts) because a fresh database has no table before it.
 */
const MESSAGE = 'audit events are append-only';

async function up(knex) {
  if (!(await knex.schema.hasTable('audit_events'))) return;
  const client = knex.client.config.client;
  await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS audit_events_seq_uq ON audit_events (seq)');
  if (client === 'postgres' || client === 'pg') {
    await knex.raw(`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '${MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await knex.raw('CREATE OR REPLACE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()');
    await knex.raw('CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()');
    return;
  }
  await knex.raw(`CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`);
  await knex.raw(`CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`);
}

async function down() {
  throw new Error('The audit trail stays append-only; drop its triggers by hand if you really must.');
}

module.exports = { up, down };
