/**
 * The crash drill (issue 10): two application instances on one PostgreSQL database, e-mail to a
 * loopback SMTP server, the SLA sweep every few seconds, and concurrent citizens filing
 * grievances with an `Idempotency-Key` each. In every round, under load, one instance is killed
 * with SIGKILL, PostgreSQL is restarted in immediate mode (no checkpoint, every connection cut),
 * and the killed instance is started again. Clients whose request failed retry with the same key
 * and body; every acknowledged key is retried as well.
 *
 * Then it checks, in PostgreSQL and through the API: every acknowledged tracking code exists
 * once with its history event and audit event; no key filed two cases; the audit chain
 * verifies; every outbox row ended sent (or failed) and the SMTP server received each e-mail
 * once; the sweep ran again after the crashes and escalated a case made overdue after them.
 *
 * Used by `npm run crash-test` (scripts/crash/run.ts, long) and by
 * tests/integration/crash-safety.test.ts (short). Restarting PostgreSQL needs root (or the
 * postgres user) on the database machine: pass `restartPostgres` to do it another way.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { bootStrapi, shutDown } from '../strapi-app';
import { seedDemo } from '../seed/seed';
import { Instance, killInstance, sleep, startInstance, stopInstance } from './instances';

const run = promisify(execFile);

export interface CrashOptions {
  /** A fresh, empty PostgreSQL database: it is seeded with the demo data. */
  databaseUrl: string;
  /** Secrets and settings every instance gets (APP_KEYS, ADMIN_JWT_SECRET, ENCRYPTION_KEY ...). */
  env: Record<string, string>;
  /** The demo password of the seeded staff accounts (the audit check logs in as admin@demo.local). */
  password: string;
  rounds: number;
  /** Concurrent citizens submitting. */
  clients: number;
  /** Seconds of load per round; the crash happens in its middle. */
  seconds: number;
  /** How long the outbox may take to drain after the load (default 60 s; a long drill queues hundreds of e-mails). */
  drainSeconds?: number;
  /** Restarts the PostgreSQL server abruptly and returns when it accepts connections again. */
  restartPostgres?: () => Promise<void>;
  log?: (message: string) => void;
}

export interface CrashSummary {
  rounds: number;
  crashesSurvived: { instanceKills: number; postgresRestarts: number };
  submissions: {
    keys: number;
    acknowledgedFirstTime: number;
    failedFirstTime: number;
    failedThenAcknowledgedOnRetry: number;
    replayedSameCode: number;
    verifiedInDatabase: number;
  };
  outbox: {
    rows: number;
    sent: number;
    failed: number;
    emails: number;
    emailsSent: number;
    smtpMessages: number;
    /** E-mails the SMTP server received more than once (ms from the start of the run). */
    duplicates: Array<{ id: number; deliveries: number; createdAt: number; sentAt: number }>;
  };
  /** Instances that exited without being killed (restarted as a process manager would). */
  unexpectedExits: Array<{ at: number; instance: string; cause: string }>;
  /** When each crash happened, in ms from the start of the run. */
  timeline: Array<{ at: number; event: string }>;
  audit: { ok: boolean; checked: number };
  sweep: { occurrencesAfterLastCrash: number; escalatedAfterCrash: number };
  /** Every broken promise found, in words; empty when the system survived. */
  problems: string[];
}

interface Attempt {
  status: number;
  code?: string;
  error?: string;
  instance: string;
}

interface Submission {
  key: string;
  round: number;
  body: { data: Record<string, unknown> };
  attempts: Attempt[];
  /** The tracking code of the first 2xx. */
  trackingCode: string | null;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** `pg_ctlcluster <version> main restart -m immediate` on the local server, then waits for it. */
export async function restartLocalPostgres(): Promise<void> {
  const versions = fs.readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v));
  if (versions.length !== 1) throw new Error(`expected one PostgreSQL version in /etc/postgresql, found ${versions.join(', ')}`);
  try {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'restart', '-m', 'immediate']);
  } finally {
    // Never leave the server down: wait until it accepts connections, whatever happened.
    for (let i = 0; i < 120; i += 1) {
      const ready = await run('pg_isready', ['-h', '127.0.0.1', '-q']).then(() => true, () => false);
      if (ready) break;
      await sleep(500);
    }
  }
}

/** A loopback SMTP server that counts the messages it accepts by Message-ID. */
async function startSmtp() {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('utf8').split(/\r?\n\r?\n/)[0];
        received.push(/^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '(none)');
        callback();
      });
    },
  });
  // A killed instance resets its SMTP connection: that is the crash, not an error of the sink.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function post(instance: Instance, key: string, body: object): Promise<Attempt> {
  try {
    const res = await fetch(`${instance.url}/api/grievances/submit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const json: any = await res.json().catch(() => null);
    return { status: res.status, code: json?.data?.trackingCode ?? json?.error?.details?.code, instance: instance.name };
  } catch (error: any) {
    return { status: 0, error: String(error?.cause?.code ?? error?.name ?? error), instance: instance.name };
  }
}

const ok = (a: Attempt) => a.status >= 200 && a.status < 300;

async function login(instance: Instance, email: string, password: string): Promise<string> {
  const res = await fetch(`${instance.url}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const token = ((await res.json()) as any)?.data?.token;
  if (!token) throw new Error(`login as ${email}: ${res.status}`);
  return token;
}

export async function runCrashScenario(options: CrashOptions): Promise<CrashSummary> {
  const log = options.log ?? (() => undefined);
  const restartPostgres = options.restartPostgres ?? restartLocalPostgres;
  const problems: string[] = [];
  const started = Date.now();
  const mark = (event: string) => summary.timeline.push({ at: Date.now() - started, event });
  const smtp = await startSmtp();
  const env: Record<string, string> = {
    ...options.env,
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_MIN: '0',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    EMAIL_FROM: 'grm@crash.test',
  };
  const instances: Instance[] = [];
  const db = new Client({ connectionString: options.databaseUrl });
  const summary: CrashSummary = {
    rounds: options.rounds,
    crashesSurvived: { instanceKills: 0, postgresRestarts: 0 },
    submissions: { keys: 0, acknowledgedFirstTime: 0, failedFirstTime: 0, failedThenAcknowledgedOnRetry: 0, replayedSameCode: 0, verifiedInDatabase: 0 },
    outbox: { rows: 0, sent: 0, failed: 0, emails: 0, emailsSent: 0, smtpMessages: 0, duplicates: [] },
    timeline: [],
    unexpectedExits: [],
    audit: { ok: false, checked: 0 },
    sweep: { occurrencesAfterLastCrash: 0, escalatedAfterCrash: 0 },
    problems,
  };
  try {
    // Seeded once, in this process, before the instances start (as an operator would).
    const seedEnv: Record<string, string> = { ...env, CRON_ENABLED: 'false', NOTIFICATIONS_DISPATCH_INTERVAL_MS: '0' };
    const saved = Object.fromEntries(Object.keys(seedEnv).map((k) => [k, process.env[k]]));
    Object.assign(process.env, seedEnv);
    const seeder = await bootStrapi({ logLevel: 'error' });
    try {
      await seedDemo(seeder, { grievancesPerProject: 3, password: options.password });
    } finally {
      await shutDown(seeder);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    log('seeded');

    const shared = {
      ...env,
      CRON_ENABLED: 'true',
      ESCALATION_SWEEP_CRON: '*/3 * * * * *',
      NOTIFICATIONS_DISPATCH_INTERVAL_MS: '300',
      NOTIFICATIONS_RETRY_BASE_MS: '1000',
      NOTIFICATIONS_RETRY_MAX_MS: '5000',
      // A message claimed by the killed instance is taken over this soon (production: 2 minutes).
      NOTIFICATIONS_LEASE_MS: '20000',
      // A key claimed by a request the crash cut off is taken over this soon (production: 30 s).
      IDEMPOTENCY_STALE_MS: '5000',
      RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
    };
    instances.push(...(await Promise.all([startInstance('a', shared), startInstance('b', shared)])));
    log('instances up');

    // A case the sweep will be asked to escalate after the crashes: filed and acknowledged now.
    const probe = await fetch(`${instances[0].url}/api/grievances/submit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Sweep probe: the Amarpur pipeline is broken.' } }),
    });
    const probeCode = ((await probe.json()) as any)?.data?.trackingCode;
    const headToken = await login(instances[1], 'head.water@demo.local', options.password);
    const lookup = new Client({ connectionString: options.databaseUrl });
    await lookup.connect();
    const probeDocumentId = (await lookup.query('SELECT document_id FROM grievances WHERE tracking_code = $1', [probeCode])).rows[0]?.document_id;
    await lookup.end();
    const acknowledged = await fetch(`${instances[1].url}/workflow/grievances/${probeDocumentId}/transitions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${headToken}` },
      body: JSON.stringify({ action: 'acknowledge', version: 0 }),
    });
    if (acknowledged.status !== 200) throw new Error(`could not acknowledge the sweep probe ${probeCode}: ${acknowledged.status} ${await acknowledged.text()}`);

    const submissions: Submission[] = [];
    const live = () => instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    let lastRecovery = 0;
    // A process manager (systemd Restart=always, as docs/deployment.md asks) starts again an
    // instance that exits by itself; the exit is reported, since it cut requests off.
    const killedOnPurpose = new Set<Instance>();
    let supervising = true;
    const supervisor = (async () => {
      while (supervising) {
        await sleep(500);
        for (const instance of [...instances]) {
          if (!supervising || killedOnPurpose.has(instance) || (instance.child.exitCode === null && instance.child.signalCode === null)) continue;
          const output = instance.output.join('');
          // The last error it printed is the one that ended it (earlier ones were handled).
          const cause = `exit ${instance.child.exitCode ?? instance.child.signalCode}: ${output.split('\n').filter((l) => /Error/.test(l)).pop()?.trim() ?? output.slice(-300)}`;
          summary.unexpectedExits.push({ at: Date.now() - started, instance: instance.name, cause });
          log(`instance ${instance.name} exited by itself: ${cause}; restarting it`);
          killedOnPurpose.add(instance);
          // PostgreSQL may still be starting up: try again, as a process manager does.
          for (let attempt = 1; ; attempt += 1) {
            try {
              instances[instances.indexOf(instance)] = await startInstance(instance.name, instance.env, instance.port);
              break;
            } catch (error: any) {
              if (attempt < 10) {
                await sleep(2000);
                continue;
              }
              problems.push(`instance ${instance.name} could not be started again: ${String(error?.message ?? error).slice(0, 2000)}`);
              break;
            }
          }
        }
      }
    })();

    for (let round = 1; round <= options.rounds; round += 1) {
      const stopAt = Date.now() + options.seconds * 1000;
      let counter = 0;
      const client = async (c: number) => {
        while (Date.now() < stopAt) {
          counter += 1;
          const key = `crash-${round}-${c}-${counter}-${randomBytes(4).toString('hex')}`;
          const submission: Submission = {
            key,
            round,
            body: {
              data: {
                project: 'DIST',
                category: 'DIST-WATER-SUPPLY',
                description: `No water at hand pump ${key} since Monday.`,
                citizen: { name: `Citizen ${c}`, email: `${key}@citizens.test` },
              },
            },
            attempts: [],
            trackingCode: null,
          };
          submissions.push(submission);
          // A load balancer in front would pick a live instance; a request in flight to the killed one is lost.
          const targets = live();
          const target = targets[(c + counter) % targets.length] ?? instances[0];
          const attempt = await post(target, key, submission.body);
          submission.attempts.push(attempt);
          if (ok(attempt)) submission.trackingCode = attempt.code ?? null;
          else await sleep(500);
        }
      };
      const load = Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));

      const victim = instances[(round - 1) % instances.length];
      await sleep(options.seconds * 300);
      mark(`round ${round}: SIGKILL instance ${victim.name}`);
      killedOnPurpose.add(victim);
      await killInstance(victim);
      summary.crashesSurvived.instanceKills += 1;
      log(`round ${round}: killed instance ${victim.name}`);
      await sleep(options.seconds * 150);
      mark(`round ${round}: PostgreSQL restart (immediate)`);
      await restartPostgres();
      mark(`round ${round}: PostgreSQL accepts connections`);
      summary.crashesSurvived.postgresRestarts += 1;
      log(`round ${round}: PostgreSQL restarted`);
      const restarted = startInstance(victim.name, victim.env, victim.port);
      await load;
      instances[instances.indexOf(victim)] = await restarted;
      lastRecovery = Date.now();
      mark(`round ${round}: instance ${victim.name} back`);
      log(`round ${round}: instance ${victim.name} back; ${submissions.filter((s) => s.round === round).length} submissions this round`);
    }

    // Every client retries with the same key and body: failed ones until they get an answer,
    // acknowledged ones to see the same code again.
    const retryQueue = [...submissions];
    const retryDeadline = Date.now() + 60_000;
    const retryer = async (w: number) => {
      for (let s = retryQueue.shift(); s; s = retryQueue.shift()) {
        const hadCode = s.trackingCode;
        for (let i = 0; ; i += 1) {
          const attempt = await post(instances[(w + i) % instances.length], s.key, s.body);
          s.attempts.push(attempt);
          if (ok(attempt)) {
            if (hadCode && attempt.code !== hadCode) problems.push(`key ${s.key}: acknowledged as ${hadCode}, a retry answered ${attempt.code}`);
            if (hadCode && attempt.code === hadCode) summary.submissions.replayedSameCode += 1;
            if (!hadCode) summary.submissions.failedThenAcknowledgedOnRetry += 1;
            s.trackingCode ??= attempt.code ?? null;
            break;
          }
          // 409: the claim of a request the crash cut off has not been taken over yet.
          if (Date.now() > retryDeadline) {
            problems.push(`key ${s.key}: no 2xx on retry before the deadline (last ${attempt.status} ${attempt.code ?? attempt.error ?? ''})`);
            break;
          }
          await sleep(attempt.status === 409 ? 1000 : 300);
        }
      }
    };
    await Promise.all(Array.from({ length: options.clients }, (_, w) => retryer(w)));
    supervising = false;
    await supervisor;
    summary.submissions.keys = submissions.length;
    summary.submissions.acknowledgedFirstTime = submissions.filter((s) => ok(s.attempts[0])).length;
    summary.submissions.failedFirstTime = submissions.length - summary.submissions.acknowledgedFirstTime;
    log(`retries done: ${JSON.stringify(summary.submissions)}`);

    // An instance that died by itself (not our SIGKILL) did not survive the crash.
    const reported = new Set<Instance>();
    const died = (where: string) => {
      for (const instance of instances) {
        if ((instance.child.exitCode === null && instance.child.signalCode === null) || reported.has(instance)) continue;
        reported.add(instance);
        problems.push(`instance ${instance.name} exited by itself (${instance.child.exitCode ?? instance.child.signalCode}) ${where}: ${instance.output.join('').slice(-3000)}`);
      }
    };
    died('during the crash rounds');

    // Connected after the restarts (they cut every connection).
    await db.connect();
    // Every acknowledged code exists once, with its history and audit event; no key filed two cases.
    const cases = await db.query(`
      SELECT g.tracking_code, g.document_id, g.description,
        (SELECT count(*)::int FROM grievance_events_grievance_lnk l JOIN grievance_events e ON e.id = l.grievance_event_id WHERE l.grievance_id = g.id AND e.type = 'received') AS received,
        (SELECT count(*)::int FROM audit_events a WHERE a.entity_id = g.document_id AND a.action = 'grievance.create') AS audited
      FROM grievances g WHERE g.description LIKE 'No water at hand pump crash-%'`);
    const byDescription = new Map<string, any[]>();
    for (const row of cases.rows) byDescription.set(row.description, [...(byDescription.get(row.description) ?? []), row]);
    for (const s of submissions) {
      const rows = byDescription.get(String(s.body.data.description)) ?? [];
      if (rows.length > 1) problems.push(`key ${s.key}: ${rows.length} cases (${rows.map((r) => r.tracking_code).join(', ')})`);
      if (!s.trackingCode) continue;
      const row = rows.find((r) => r.tracking_code === s.trackingCode);
      if (!row) problems.push(`key ${s.key}: acknowledged ${s.trackingCode} is not in the database`);
      else if (row.received !== 1 || row.audited !== 1) problems.push(`case ${s.trackingCode}: ${row.received} received events, ${row.audited} audit events`);
      else summary.submissions.verifiedInDatabase += 1;
    }
    const keys = await db.query(`SELECT state, count(*)::int AS n FROM idempotency_keys WHERE scope = 'submit' GROUP BY state`);
    const inFlight = keys.rows.find((r) => r.state === 'in_flight')?.n ?? 0;
    if (inFlight > 0) problems.push(`${inFlight} idempotency keys still in flight after every retry`);

    // The sweep runs again after the crashes, and escalates a case that is overdue now.
    const candidate = await db.query(`SELECT id FROM grievances WHERE tracking_code = $1 AND case_status = 'acknowledged' AND escalation_level = 1`, [probeCode]);
    const sweepDeadline = Date.now() + 30_000;
    if (candidate.rows.length === 0) problems.push(`the sweep probe ${probeCode} is not an acknowledged case at level 1`);
    else {
      const past = new Date(Date.now() - 3_600_000);
      await db.query('UPDATE grievances SET acknowledge_due_at = $2, resolve_due_at = $2, sla_check_at = $2 WHERE id = $1', [candidate.rows[0].id, past]);
      let level = 1;
      while (level === 1 && Date.now() < sweepDeadline) {
        await sleep(500);
        level = (await db.query('SELECT escalation_level FROM grievances WHERE id = $1', [candidate.rows[0].id])).rows[0].escalation_level;
      }
      if (level > 1) summary.sweep.escalatedAfterCrash = 1;
      else problems.push(`the sweep did not escalate case ${candidate.rows[0].id}, made overdue after the crashes`);
    }
    summary.sweep.occurrencesAfterLastCrash = (await db.query(`SELECT count(*)::int AS n FROM job_runs WHERE job = 'escalation-sweep' AND claimed_at > $1`, [lastRecovery])).rows[0].n;
    if (summary.sweep.occurrencesAfterLastCrash === 0) problems.push('no sweep occurrence was claimed after the last crash');

    // The outbox drains: every row sent (or failed for good, or held while its channel is not
    // configured), every e-mail received once.
    const outboxDeadline = Date.now() + (options.drainSeconds ?? 60) * 1000;
    let open = Infinity;
    while (open > 0 && Date.now() < outboxDeadline) {
      open = (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE status IN ('pending', 'sending')`)).rows[0].n;
      if (open > 0) await sleep(500);
    }
    await sleep(1000);
    const outbox = await db.query('SELECT id, channel, status, dedupe_key, attempts, last_error, created_at, sent_at FROM notifications');
    summary.outbox.rows = outbox.rows.length;
    summary.outbox.sent = outbox.rows.filter((r) => r.status === 'sent').length;
    summary.outbox.failed = outbox.rows.filter((r) => r.status === 'failed').length;
    const stuck = outbox.rows.filter((r) => !['sent', 'failed', 'held'].includes(r.status));
    if (stuck.length) problems.push(`${stuck.length} outbox rows never sent: ${stuck.slice(0, 5).map((r) => `${r.id} ${r.status}`).join(', ')}`);
    for (const r of outbox.rows.filter((row) => row.status === 'failed').slice(0, 5)) problems.push(`outbox row ${r.id} (${r.channel}) failed: ${r.last_error}`);
    const domain = env.EMAIL_MESSAGE_ID_DOMAIN ?? 'grm.local';
    const messageId = (dedupeKey: string) => `<${dedupeKey.replace(/[^a-zA-Z0-9.:_-]/g, '-')}@${domain}>`;
    const counts = new Map<string, number>();
    for (const id of smtp.received) counts.set(id, (counts.get(id) ?? 0) + 1);
    const emails = outbox.rows.filter((r) => r.channel === 'email');
    summary.outbox.emails = emails.length;
    summary.outbox.emailsSent = emails.filter((r) => r.status === 'sent').length;
    summary.outbox.smtpMessages = smtp.received.length;
    const expected = new Set(emails.map((r) => messageId(r.dedupe_key)));
    for (const r of emails.filter((row) => row.status === 'sent')) {
      const n = counts.get(messageId(r.dedupe_key)) ?? 0;
      if (n === 0) problems.push(`outbox row ${r.id} is marked sent but never reached the SMTP server`);
      if (n > 1) summary.outbox.duplicates.push({ id: r.id, deliveries: n, createdAt: new Date(r.created_at).getTime() - started, sentAt: new Date(r.sent_at).getTime() - started });
    }
    // Delivery is at least once: an instance killed after the SMTP server took a message and
    // before the outbox recorded it sends it again once its lease runs out (with the same
    // Message-ID, so mail systems drop the copy). Each instance sends one message at a time, so
    // a kill can cause at most one such copy; anything more is a bug.
    const copies = summary.outbox.duplicates.reduce((n, d) => n + d.deliveries - 1, 0);
    // An instance that died by itself (unexpectedExits) can leave one message behind like a kill.
    const deaths = summary.crashesSurvived.instanceKills + summary.unexpectedExits.length;
    if (copies > deaths) problems.push(`${copies} e-mails sent twice, more than the ${deaths} the instance deaths can cause: ${JSON.stringify(summary.outbox.duplicates)}`);
    for (const id of counts.keys()) if (!expected.has(id)) problems.push(`the SMTP server received ${id}, which is no outbox row`);
    const citizenMail = emails.filter((r) => String(r.dedupe_key).includes(':citizen:')).length;
    if (citizenMail < summary.submissions.verifiedInDatabase) problems.push(`${summary.submissions.verifiedInDatabase} cases filed, but only ${citizenMail} citizen e-mails queued`);

    died('after the crash rounds');
    if (live().length === 0) return summary;
    // The audit chain verifies, asked through the API as the administrator.
    const token = await login(live()[0], 'admin@demo.local', options.password);
    const verify: any = ((await (await fetch(`${live().at(-1)!.url}/audit/verify`, { headers: { Authorization: `Bearer ${token}` } })).json()) as any)?.data;
    summary.audit = { ok: verify?.ok === true, checked: verify?.checked ?? 0 };
    if (!summary.audit.ok) problems.push(`audit chain does not verify: ${JSON.stringify(verify)}`);

    for (const instance of instances) {
      const errors = instance.output.join('').split('\n').filter((l) => /FATAL|Unhandled|uncaught/i.test(l));
      if (errors.length) log(`instance ${instance.name} logged: ${errors.slice(0, 3).join(' | ')}`);
    }
    return summary;
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(instances.map(stopInstance));
    await smtp.stop();
  }
}
