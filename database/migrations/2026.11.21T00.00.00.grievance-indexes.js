'use strict';

/**
 * Indexes the schema sync cannot express. Strapi 5 keeps every relation in a link table
 * (`grievances_project_lnk` ...), so "grievance by (project, status)" is served by an index on
 * the link table's (target, grievance) pair plus one on grievances(case_status); see
 * docs/decisions/0002-relation-link-tables-and-indexes.md.
 *
 * Strapi runs pending migrations before its schema sync, when a fresh database has no tables
 * yet; the app therefore also calls `up` after every sync (src/platform/database-indexes.ts).
 * Every statement is idempotent.
 */
const OPEN_STATUSES = ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'];

const STATEMENTS = [
  'CREATE UNIQUE INDEX IF NOT EXISTS grievances_tracking_code_uq ON grievances (tracking_code)',
  'CREATE INDEX IF NOT EXISTS grievances_case_status_idx ON grievances (case_status, submitted_at)',
  `CREATE INDEX IF NOT EXISTS grievances_open_resolve_due_idx ON grievances (resolve_due_at)
     WHERE case_status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`,
  'CREATE INDEX IF NOT EXISTS grievances_project_lnk_scope_idx ON grievances_project_lnk (project_id, grievance_id)',
  'CREATE INDEX IF NOT EXISTS grievances_department_lnk_scope_idx ON grievances_department_lnk (department_id, grievance_id)',
  'CREATE INDEX IF NOT EXISTS grievances_assignee_lnk_scope_idx ON grievances_assignee_lnk (user_id, grievance_id)',
  'CREATE INDEX IF NOT EXISTS grievances_region_lnk_scope_idx ON grievances_region_lnk (region_id, grievance_id)',
];

const REQUIRED_TABLES = ['grievances', 'grievances_project_lnk', 'grievances_department_lnk', 'grievances_assignee_lnk', 'grievances_region_lnk'];

async function up(knex) {
  for (const table of REQUIRED_TABLES) {
    if (!(await knex.schema.hasTable(table))) return;
  }
  for (const sql of STATEMENTS) await knex.raw(sql);
}

async function down(knex) {
  for (const name of [
    'grievances_tracking_code_uq',
    'grievances_case_status_idx',
    'grievances_open_resolve_due_idx',
    'grievances_project_lnk_scope_idx',
    'grievances_department_lnk_scope_idx',
    'grievances_assignee_lnk_scope_idx',
    'grievances_region_lnk_scope_idx',
  ]) {
    await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  }
}

module.exports = { up, down, OPEN_STATUSES };
