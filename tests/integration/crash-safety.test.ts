/**
 * Crash safety (issue 10), the short run of scripts/crash/driver.ts: two instances under load;
 * one is killed with SIGKILL and PostgreSQL is restarted in immediate mode. Afterwards every
 * acknowledged submission exists once with its history and audit event, a retry with the same
 * Idempotency-Key answers the same tracking code (or, for a request the crash cut off, files it
 * once), the audit chain verifies, each e-mail reached the SMTP server once, and the sweep runs
 * again. `npm run crash-test` runs the long version.
 *
 * Runs in the PostgreSQL pass only (jest.config.js), as root on the database machine: it
 * restarts the local PostgreSQL server (pg_ctlcluster), which cuts every connection to it.
 */
import { createPostgresDatabase, DEMO_PASSWORD, testEnvironment } from '../helpers/app';
import { CrashSummary, runCrashScenario } from '../../scripts/crash/driver';

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createPostgresDatabase();
});
afterAll(async () => {
  await database?.drop();
}, 60_000);

it('survives a killed instance and a PostgreSQL restart under load without losing or doubling anything', async () => {
  const { NOTIFICATIONS_DISPATCH_INTERVAL_MS: _manual, ...env } = testEnvironment();
  const summary: CrashSummary = await runCrashScenario({ databaseUrl: database.url, env, password: DEMO_PASSWORD, rounds: 1, clients: 6, seconds: 12 });
  // Counts for the record (docs/deployment.md, "Crash safety").
  console.log(JSON.stringify({ crashes: summary.crashesSurvived, submissions: summary.submissions, outbox: summary.outbox, unexpectedExits: summary.unexpectedExits }));
  expect(summary.problems).toEqual([]);
  expect(summary.crashesSurvived).toEqual({ instanceKills: 1, postgresRestarts: 1 });
  // The crash hit requests in flight, and some were acknowledged around it.
  expect(summary.submissions.acknowledgedFirstTime).toBeGreaterThan(0);
  expect(summary.submissions.failedFirstTime).toBeGreaterThan(0);
  expect(summary.submissions.failedFirstTime).toBe(summary.submissions.failedThenAcknowledgedOnRetry);
  expect(summary.submissions.replayedSameCode).toBe(summary.submissions.acknowledgedFirstTime);
  expect(summary.submissions.verifiedInDatabase).toBe(summary.submissions.keys);
  expect(summary.outbox.emailsSent).toBeGreaterThanOrEqual(summary.submissions.keys);
  // At least once, and a second copy (same Message-ID) only for a message an instance was sending
  // when it died: at most one per death, since each instance sends one message at a time.
  expect(summary.outbox.smtpMessages).toBeGreaterThanOrEqual(summary.outbox.emailsSent);
  expect(summary.outbox.smtpMessages - summary.outbox.emailsSent).toBeLessThanOrEqual(summary.crashesSurvived.instanceKills + summary.unexpectedExits.length);
  expect(summary.audit.ok).toBe(true);
  expect(summary.sweep.escalatedAfterCrash).toBe(1);
}, 240_000);
