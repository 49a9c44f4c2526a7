'use strict';

/**
 * Indexes of the notification outbox (plugins/notifications): one message per de-duplication
 * key, enforced by the database; the dispatcher's "what is due" scan; a staff member's unread
 * alerts. Idempotent; re-applied after every schema sync (decision 0002).
 */
const STATEMENTS = [
  'CREATE UNIQUE INDEX IF NOT EXISTS notifications_dedupe_key_uq ON notifications (dedupe_key)',
  "CREATE INDEX IF NOT EXISTS notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending')",
  "CREATE INDEX IF NOT EXISTS notifications_alerts_idx ON notifications (recipient_user_id, created_at) WHERE channel = 'in_app'",
];

async function up(knex) {
  if (!(await knex.schema.hasTable('notifications'))) return;
  for (const sql of STATEMENTS) await knex.raw(sql);
}

async function down(knex) {
  for (const name of ['notifications_dedupe_key_uq', 'notifications_due_idx', 'notifications_alerts_idx']) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}

module.exports = { up, down };
