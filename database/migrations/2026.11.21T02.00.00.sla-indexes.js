'use strict';

/**
 * Indexes of the SLA sweep (plugins/escalation). The sweep reads only open cases whose next
 * check time has come, so a sweep with nothing to do is one range scan of a small partial index;
 * reminders are unique per case, level, clock and kind, enforced by the database as well as by
 * the sweep. Idempotent; re-applied after every schema sync (decision 0002).
 */
const { OPEN_STATUSES } = require('./2026.11.21T00.00.00.grievance-indexes');

const STATEMENTS = [
  `CREATE INDEX IF NOT EXISTS grievances_open_sla_check_idx ON grievances (sla_check_at)
     WHERE case_status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`,
  'CREATE INDEX IF NOT EXISTS grievances_resolved_at_idx ON grievances (resolved_at) WHERE case_status = \'resolved\'',
  'CREATE UNIQUE INDEX IF NOT EXISTS escalation_sla_reminders_dedupe_uq ON escalation_sla_reminders (dedupe_key)',
];

async function up(knex) {
  for (const table of ['grievances', 'escalation_sla_reminders']) {
    if (!(await knex.schema.hasTable(table))) return;
  }
  for (const sql of STATEMENTS) await knex.raw(sql);
}

async function down(knex) {
  for (const name of ['grievances_open_sla_check_idx', 'grievances_resolved_at_idx', 'escalation_sla_reminders_dedupe_uq']) {
    await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  }
}

module.exports = { up, down };
