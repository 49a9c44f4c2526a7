'use strict';

/**
 * `job_runs`: one row per occurrence of a scheduled job (the escalation sweep, each scheduled
 * report) that an application instance claimed. Every instance runs the same cron schedule; the
 * primary key lets exactly one of them claim each occurrence, so a job runs once per occurrence
 * however many instances there are. Rows older than the retention are purged by the claimer.
 *
 * Idempotent; re-applied after every schema sync (decision 0002).
 */
async function up(knex) {
  if (!(await knex.schema.hasTable('job_runs'))) {
    await knex.schema.createTable('job_runs', (t) => {
      t.string('job', 120).notNullable();
      t.string('occurrence', 40).notNullable();
      t.string('instance', 120).notNullable();
      t.bigInteger('claimed_at').notNullable();
      t.primary(['job', 'occurrence']);
    });
  }
  await knex.raw('CREATE INDEX IF NOT EXISTS job_runs_claimed_idx ON job_runs (claimed_at)');
}

async function down(knex) {
  await knex.schema.dropTableIfExists('job_runs');
}

module.exports = { up, down };
