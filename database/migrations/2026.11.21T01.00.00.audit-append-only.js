'use strict';

/**
 * The audit trail is append-only in the database itself: PostgreSQL refuses UPDATE, DELETE and
 * TRUNCATE on audit_events; SQLite refuses UPDATE and DELETE. The one change allowed is sealing
 * (docs/audit.md, "Sealing"): an event written without its place in the chain gets its sequence
 * number, previous hash and hash once, with every other column unchanged. A sealed event can
 * never change again. Applied after every schema sync (src/platform/database-indexes.ts) because
 * a fresh database has no table before it; the SQLite trigger is rebuilt each time so that it
 * names every column the table has.
 */
const MESSAGE = 'audit events are append-only';
const CHAIN = ['seq', 'prev_hash', 'hash'];

async function up(knex) {
  if (!(await knex.schema.hasTable('audit_events'))) return;
  const client = knex.client.config.client;
  await knex.raw('CREATE UNIQUE INDEX IF NOT EXISTS audit_events_seq_uq ON audit_events (seq)');
  // The sealer's look for work: only unsealed events are in this index, so it stays tiny.
  await knex.raw('CREATE INDEX IF NOT EXISTS audit_events_unsealed ON audit_events (id) WHERE hash IS NULL');
  if (client === 'postgres' || client === 'pg') {
    await knex.raw(`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND (to_jsonb(NEW) - ${CHAIN.map((c) => `'${c}'`).join(' - ')}) = (to_jsonb(OLD) - ${CHAIN.map((c) => `'${c}'`).join(' - ')}) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '${MESSAGE}' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await knex.raw('CREATE OR REPLACE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()');
    await knex.raw('CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()');
    return;
  }
  const columns = (await knex.raw('PRAGMA table_info(audit_events)')).map((c) => c.name).filter((name) => !CHAIN.includes(name));
  const sealing = [
    ...CHAIN.map((c) => `OLD.${c} IS NULL AND NEW.${c} IS NOT NULL`),
    ...columns.map((c) => `NEW."${c}" IS OLD."${c}"`),
  ].join(' AND ');
  await knex.raw('DROP TRIGGER IF EXISTS audit_events_no_update');
  await knex.raw(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events WHEN NOT (${sealing}) BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`);
  await knex.raw(`CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`);
}

async function down() {
  throw new Error('The audit trail stays append-only; drop its triggers by hand if you really must.');
}

module.exports = { up, down };
