/**
 * Three application instances on one PostgreSQL database, as behind a load balancer
 * (docs/deployment.md): scheduled jobs run once per occurrence, a live alert reaches a staff
 * member connected to another instance, rate limits are shared, and files go to S3 (a local
 * S3-compatible server, s3rver).
 *
 * Runs in the PostgreSQL pass only (jest.config.js): several instances need a database server;
 * SQLite is one instance by definition.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createPostgresDatabase, DEMO_PASSWORD, ADMIN_ROLES, testEnvironment } from '../helpers/app';
import { Instance, sleep, startInstance, stopInstance } from '../helpers/instances';
import { bootStrapi, shutDown } from '../../scripts/strapi-app';
import { seedDemo } from '../../scripts/seed/seed';
import { SEAL_LOCK_KEY } from '../../plugins/audit/server/src/constants';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

const EVERY_TWO_SECONDS = '*/2 * * * * *';
const TRACK_LIMIT = 6;

let database: { url: string; drop: () => Promise<void> };
let s3: any;
let s3Dir: string;
let s3Url: string;
let instances: Instance[] = [];
let db: Client;

async function login(instance: Instance, email: string): Promise<string> {
  const res = await request(instance.url).post('/admin/login').send({ email, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login as ${email} on ${instance.name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token;
}

beforeAll(async () => {
  database = await createPostgresDatabase();
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grm-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'grm-files' }] });
  s3Url = `http://127.0.0.1:${(await s3.run()).port}`;

  const env: Record<string, string> = {
    ...testEnvironment(),
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: database.url,
    DATABASE_POOL_MIN: '0',
  };
  // The database is seeded once, by this process, before the instances start.
  Object.assign(process.env, env);
  const seeder = await bootStrapi({ logLevel: 'error' });
  await seedDemo(seeder, { grievancesPerProject: 6, password: DEMO_PASSWORD });
  await shutDown(seeder);

  const shared = {
    ...env,
    CRON_ENABLED: 'true',
    ESCALATION_SWEEP_CRON: EVERY_TWO_SECONDS,
    REPORTS_CRON_MONTHLY_PUBLIC: EVERY_TWO_SECONDS,
    REPORTS_CRON_MONTHLY_PERFORMANCE: EVERY_TWO_SECONDS,
    RATE_LIMIT_TRACK_PER_MINUTE: String(TRACK_LIMIT),
    RATE_LIMIT_SUBMIT_PER_MINUTE: '60',
    UPLOAD_PROVIDER: 'aws-s3',
    S3_ENDPOINT: s3Url,
    S3_FORCE_PATH_STYLE: 'true',
    S3_BUCKET: 'grm-files',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_REGION: 'us-east-1',
    S3_ACL: 'private',
  };
  // Instance a dispatches no messages: an alert for a staff member connected to it is sent by b or c.
  instances = await Promise.all([
    startInstance('a', { ...shared, NOTIFICATIONS_DISPATCH_INTERVAL_MS: '0' }),
    startInstance('b', { ...shared, NOTIFICATIONS_DISPATCH_INTERVAL_MS: '300' }),
    startInstance('c', { ...shared, NOTIFICATIONS_DISPATCH_INTERVAL_MS: '300' }),
  ]);
  db = new Client({ connectionString: database.url });
  await db.connect();
}, 300_000);

afterAll(async () => {
  await db?.end();
  await Promise.all(instances.map(stopInstance));
  await s3?.close();
  if (s3Dir) fs.rmSync(s3Dir, { recursive: true, force: true });
  await database?.drop();
}, 60_000);

it('runs each scheduled job once per occurrence, whichever instance claims it', async () => {
  // Wait for several occurrences of the two-second schedules, and for their work to finish.
  const occurrences = async (job: string) => Number((await db.query('SELECT count(*) AS n FROM job_runs WHERE job LIKE $1', [job])).rows[0].n);
  for (let i = 0; i < 120 && ((await occurrences('reports-monthly_public-%')) < 3 || (await occurrences('escalation-sweep')) < 3); i += 1) await sleep(250);
  await sleep(3_000);

  expect(await occurrences('escalation-sweep')).toBeGreaterThanOrEqual(3);

  // However many occurrences fired on three instances, each period's report exists once.
  const reports = await db.query(`
    SELECT r.kind, r.period_label, l.project_id, count(*)::int AS versions
    FROM report_archive r JOIN report_archive_project_lnk l ON l.report_id = r.id
    WHERE r.generated_by = 'schedule'
    GROUP BY r.kind, r.period_label, l.project_id`);
  expect(reports.rows.map((r) => r.kind).sort()).toEqual(expect.arrayContaining(['monthly_performance', 'monthly_public']));
  for (const row of reports.rows) expect(row).toMatchObject({ versions: 1 });
  const audit = await db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'report.generated'");
  expect(audit.rows[0].n).toBe(reports.rows.length);
});

it('stores the report files in S3 and gives the public a link that opens them', async () => {
  const archive = await request(instances[1].url).get('/api/public-reports').query({ project: 'DIST' });
  expect(archive.status).toBe(200);
  const entry = archive.body.data.find((r: any) => r.kind === 'monthly_public');
  expect(entry.pdfUrl.startsWith(`${s3Url}/grm-files/`)).toBe(true);
  // A private bucket: the link is signed for the reader.
  expect(entry.pdfUrl).toContain('X-Amz-Signature=');
  const pdf = await fetch(entry.pdfUrl);
  expect(pdf.status).toBe(200);
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  const xlsx = await fetch(entry.xlsxUrl);
  expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  // Nothing was written to the instances' local upload folder.
  const stored = await db.query("SELECT DISTINCT provider FROM files WHERE ext IN ('.pdf', '.xlsx')");
  expect(stored.rows.map((r) => r.provider)).toEqual(['aws-s3']);
});

it('delivers a live alert to a staff member connected to another instance', async () => {
  const [a, b, c] = instances;
  const officerToken = await login(a, ADMIN_ROLES.officerWater);
  const chunks: string[] = [];
  const stream = http.get(`${a.url}/notifications/alerts/stream`, { headers: { Authorization: `Bearer ${officerToken}`, Accept: 'text/event-stream' } });
  await new Promise<void>((resolve, reject) => {
    stream.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => chunks.push(chunk));
      resolve();
    });
    stream.on('error', reject);
  });
  try {
    const submitted = await request(b.url)
      .post('/api/grievances/submit')
      .send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'No water at the Amarpur hand pump since Monday.' } });
    expect(submitted.status).toBe(201);
    const code = submitted.body.data.trackingCode;
    const { rows } = await db.query('SELECT document_id FROM grievances WHERE tracking_code = $1', [code]);
    const officer = await db.query('SELECT id FROM admin_users WHERE email = $1', [ADMIN_ROLES.officerWater]);

    const headToken = await login(c, ADMIN_ROLES.headWater);
    const act = (body: object) => request(c.url).post(`/workflow/grievances/${rows[0].document_id}/transitions`).set('Authorization', `Bearer ${headToken}`).send(body);
    expect((await act({ action: 'acknowledge', version: 0 })).status).toBe(200);
    expect((await act({ action: 'assign', version: 1, assignee: officer.rows[0].id })).status).toBe(200);

    for (let i = 0; i < 100 && !chunks.join('').includes(code); i += 1) await sleep(100);
    expect(chunks.join('')).toMatch(new RegExp(`event: alert\\ndata: .*${code}`));
    const sender = await db.query("SELECT status FROM notifications WHERE tracking_code = $1 AND channel = 'in_app' AND recipient_user_id = $2", [code, officer.rows[0].id]);
    expect(sender.rows).toEqual([{ status: 'sent' }]);
  } finally {
    stream.destroy();
  }
});

it("uses an administrator's change of an SLA level on every instance, not a copy cached before it", async () => {
  const [a, b, c] = instances;
  // HWAY's first level counts calendar hours: the acknowledgement deadline is exactly that many hours after filing.
  const acknowledgeHours = async (instance: Instance) => {
    const res = await request(instance.url)
      .post('/api/grievances/submit')
      .send({ data: { project: 'HWAY', category: 'HWAY-COMPENSATION', description: 'Compensation for the wall taken by the road works not paid.' } });
    expect(res.status).toBe(201);
    return (Date.parse(res.body.data.acknowledgeBy) - Date.parse(res.body.data.submittedAt)) / 3_600_000;
  };
  // b and c have read the level (and keep it in memory).
  expect(await acknowledgeHours(b)).toBe(24);
  expect(await acknowledgeHours(c)).toBe(24);

  const { rows } = await db.query(`
    SELECT s.document_id FROM sla_levels s
    JOIN sla_levels_project_lnk l ON l.sla_level_id = s.id JOIN projects p ON p.id = l.project_id
    WHERE p.code = 'HWAY' AND s."order" = 1 AND s.locale = 'en'`);
  const token = await login(a, ADMIN_ROLES.superAdmin);
  const saved = await request(a.url)
    .put(`/content-manager/collection-types/api::sla-level.sla-level/${rows[0].document_id}?locale=en`)
    .set('Authorization', `Bearer ${token}`)
    .send({ acknowledgeWithinHours: 6 });
  expect(saved.status).toBe(200);

  // The change reaches the other instances when it commits (a notification, milliseconds);
  // without it they would answer 24 until their copy expired a minute later.
  for (const instance of [b, c]) {
    let hours = await acknowledgeHours(instance);
    for (let i = 0; i < 4 && hours !== 6; i += 1) {
      await sleep(250);
      hours = await acknowledgeHours(instance);
    }
    expect(hours).toBe(6);
  }
});

it('files a case while the audit chain is being sealed elsewhere: no request waits for the chain', async () => {
  const [, b] = instances;
  // A sealer that takes its time: it holds the one lock that orders the chain.
  const sealer = new Client({ connectionString: database.url });
  await sealer.connect();
  try {
    await sealer.query('BEGIN');
    await sealer.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
    const filed = await request(b.url)
      .post('/api/grievances/submit')
      .timeout(10_000)
      .send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Filed while the chain is being sealed.' } });
    expect(filed.status).toBe(201);
    const { rows } = await db.query(
      "SELECT a.seq, a.hash FROM audit_events a JOIN grievances g ON g.document_id = a.entity_id WHERE g.tracking_code = $1 AND a.action = 'grievance.create'",
      [filed.body.data.trackingCode]
    );
    // Committed with the case, waiting for its place in the chain.
    expect(rows).toEqual([{ seq: null, hash: null }]);
    await sealer.query('COMMIT');

    // Then sealed by an instance, with no reader asking.
    let sealedRow: any = null;
    for (let i = 0; i < 50 && !sealedRow?.hash; i += 1) {
      await sleep(100);
      [sealedRow] = (await db.query("SELECT a.seq, a.hash FROM audit_events a JOIN grievances g ON g.document_id = a.entity_id WHERE g.tracking_code = $1 AND a.action = 'grievance.create'", [filed.body.data.trackingCode])).rows;
    }
    expect(sealedRow.hash).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    await sealer.end();
  }
});

it('leaves one chain, with no gap and no duplicate, when three instances write at once', async () => {
  const heads = await Promise.all(instances.map((instance) => login(instance, ADMIN_ROLES.headWater)));
  // Open cases of the head's department to write notes on.
  for (let k = 0; k < 3; k += 1) {
    const filed = await request(instances[0].url)
      .post('/api/grievances/submit')
      .send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: `A case to write notes on, number ${k}.` } });
    expect(filed.status).toBe(201);
  }
  const { rows: open } = await db.query(`
    SELECT g.document_id FROM grievances g
    JOIN grievances_project_lnk p ON p.grievance_id = g.id JOIN projects pr ON pr.id = p.project_id
    JOIN grievances_department_lnk d ON d.grievance_id = g.id JOIN departments dp ON dp.id = d.department_id
    WHERE pr.code = 'DIST' AND dp.code = 'WATER' AND g.case_status NOT IN ('closed', 'resolved', 'rejected') ORDER BY g.id DESC LIMIT 4`);
  expect(open.length).toBe(4);
  const { rows: [before] } = await db.query('SELECT coalesce(max(id), 0)::int AS id FROM audit_events');
  const results = await Promise.all([
    ...instances.flatMap((instance, i) =>
      Array.from({ length: 5 }, (_, k) =>
        request(instance.url)
          .post('/api/grievances/submit')
          .send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: `Written at once on instance ${instance.name}, number ${i * 5 + k}.` } })
      )
    ),
    ...instances.flatMap((instance, i) =>
      open.map((row: any, k: number) =>
        request(instance.url)
          .post(`/cases/grievances/${row.document_id}/transitions`)
          .set('Authorization', `Bearer ${heads[i]}`)
          .send({ action: 'note', note: `Note ${k} from instance ${instance.name}` })
      )
    ),
  ]);
  expect(results.map((r) => r.status).filter((status) => status !== 201 && status !== 200)).toEqual([]);
  const codes = results.filter((r) => r.body?.data?.trackingCode).map((r) => r.body.data.trackingCode);
  expect(codes).toHaveLength(15);

  // A reader seals what has committed, then walks the chain. The instances' cron jobs (every two
  // seconds here) keep writing events meanwhile: those are judged by the same rules below.
  const { rows: [written] } = await db.query('SELECT max(id)::int AS id FROM audit_events');
  const superAdmin = await login(instances[2], ADMIN_ROLES.superAdmin);
  const verified = await request(instances[2].url).get('/audit/verify').set('Authorization', `Bearer ${superAdmin}`);
  expect(verified.status).toBe(200);
  expect(verified.body.data.ok).toBe(true);
  // Every event written before the reader asked is in the chain (one a cron job had not yet
  // committed is sealed just after its COMMIT) ...
  let waiting = -1;
  for (let i = 0; i < 50 && waiting !== 0; i += 1) {
    if (i > 0) await sleep(100);
    waiting = (await db.query('SELECT count(*)::int AS n FROM audit_events WHERE id <= $1 AND hash IS NULL', [written.id])).rows[0].n;
  }
  expect(waiting).toBe(0);
  // ... and the chain has one place per event, from 1 with no gap, and verifies to its end.
  const { rows: [chain] } = await db.query('SELECT count(seq)::int AS sealed, count(DISTINCT seq)::int AS places, min(seq) AS first, max(seq) AS last FROM audit_events');
  expect(chain).toEqual({ sealed: chain.last, places: chain.last, first: 1, last: chain.last });
  expect(chain.last).toBeGreaterThanOrEqual(verified.body.data.checked);
  const again = await request(instances[0].url).get('/audit/verify').set('Authorization', `Bearer ${await login(instances[0], ADMIN_ROLES.superAdmin)}`);
  expect(again.body.data).toMatchObject({ ok: true });
  expect(again.body.data.checked).toBeGreaterThanOrEqual(chain.last);

  // Every case filed has exactly one creation event, and every note its transition event.
  const { rows: created } = await db.query(
    "SELECT g.tracking_code, count(a.id)::int AS n FROM grievances g LEFT JOIN audit_events a ON a.entity_id = g.document_id AND a.action = 'grievance.create' WHERE g.tracking_code = ANY($1) GROUP BY g.tracking_code",
    [codes]
  );
  expect(created).toHaveLength(15);
  expect(created.every((row: any) => row.n === 1)).toBe(true);
  const { rows: notes } = await db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'workflow.note' AND id > $1 AND entity_id = ANY($2)", [
    before.id,
    open.map((row: any) => row.document_id),
  ]);
  expect(notes[0].n).toBe(instances.length * open.length);
});

it('counts a client against one rate limit on every instance', async () => {
  const { rows } = await db.query("SELECT tracking_code FROM grievances WHERE tracking_code IS NOT NULL LIMIT 1");
  const track = (instance: Instance) => request(instance.url).get(`/api/grievances/track/${rows[0].tracking_code}`);
  // A fixed one-minute window: if the minute turns during the round, the round is run again.
  for (let round = 0; round < 3; round += 1) {
    const minute = Math.floor(Date.now() / 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < TRACK_LIMIT + 1; i += 1) statuses.push((await track(instances[i % 3])).status);
    if (Math.floor(Date.now() / 60_000) !== minute) continue;
    // The earlier test's lookups are in the same window on some rounds: count from what we saw.
    const allowed = statuses.filter((s) => s === 200).length;
    expect(statuses.slice(allowed).every((s) => s === 429)).toBe(true);
    expect(allowed).toBeLessThanOrEqual(TRACK_LIMIT);
    expect(statuses[TRACK_LIMIT]).toBe(429);
    return;
  }
  throw new Error('the minute turned in every round');
});

it('keeps the counters in an unlogged table, so counting a request writes no WAL record of its own', async () => {
  // Shared by the three instances above (the previous test), yet never written to the WAL.
  const { rows } = await db.query("SELECT relpersistence FROM pg_class WHERE oid = 'rate_limits'::regclass");
  expect(rows[0].relpersistence).toBe('u');
});
