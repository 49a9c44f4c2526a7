/**
 * `npm run bench [-- --cases 1000000 --duration 10 --connections 32 --only intake,tracking --overdue 1000 --reuse --profile DIR]`:
 * the product under load on PostgreSQL, measured (never asserted).
 *
 * 1. Creates a scratch database (BENCH_DATABASE_URL, or `grm_bench` on TEST_PG_ADMIN_URL's
 *    server, dropped and made again), seeds the demo configuration and bulk-inserts N cases with
 *    realistic spreads (a year of submissions, statuses, priorities, categories, regions, varied
 *    descriptions).
 * 2. Starts the production build (`strapi start`) on it, and drives each scenario with
 *    autocannon at fixed concurrency for a fixed time; single-shot jobs (sweep, report, export)
 *    are timed as one request. The server's peak memory is read from /proc per scenario.
 * 3. Measures a raw PostgreSQL baseline with the same driver and row shapes (intake as one
 *    transaction inserting the case, its event, its audit event and its outbox row; lookup by
 *    tracking code) and prints the product's ratio to it.
 * Prints one table and writes the figures to bench/results/<time>.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { APP_DIR, bootStrapi, shutDown } from '../strapi-app';
import { DEFAULT_DEMO_PASSWORD, seedDemo } from '../seed/seed';
import { startMailSink } from '../../tests/helpers/mail';
import { cloneCase } from './bulk-cases';

const DAY = 86_400_000;
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const CASES = Number(arg('cases', '100000'));
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '32'));
const ONLY = arg('only', '').split(',').filter(Boolean);
const PORT = Number(arg('port', '1399'));
/** Cases made overdue for the sweep scenario (default 10 % of all cases). */
const OVERDUE = args.includes('--overdue') ? Number(arg('overdue', '0')) : null;
/** Run on the cases a previous run generated (grm_bench, or BENCH_DATABASE_URL), adding none. */
const REUSE = args.includes('--reuse');
/** Where the server writes a V8 CPU profile (`.cpuprofile`, open in Chrome's DevTools) when it stops. */
const PROFILE_DIR = args.includes('--profile') ? path.resolve(arg('profile', 'bench/profiles')) : null;
const BASE = `http://127.0.0.1:${PORT}`;

interface Result {
  scenario: string;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  peakRssMb: number | null;
  target?: string;
}

const WORDS = ['hand pump', 'water supply', 'pothole', 'street light', 'garbage', 'drain', 'ration card', 'pension', 'land record', 'school', 'health centre', 'electricity', 'bridge', 'compensation', 'dust', 'noise'];
const PLACES = ['Amarpur', 'Belgaon', 'Chandanpur', 'the market', 'ward 4', 'the bus stand', 'the temple road', 'the primary school'];
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
const description = () => `The ${pick(WORDS)} near ${pick(PLACES)} has been a problem since ${Math.floor(Math.random() * 28) + 1} days. ${randomBytes(4).toString('hex')} Please act on the ${pick(WORDS)}.`;

function reusedDatabase(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/grm_bench';
  return url.toString();
}

async function scratchDatabase(): Promise<string> {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const admin = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS grm_bench WITH (FORCE)');
  await client.query('CREATE DATABASE grm_bench');
  await client.end();
  const url = new URL(admin);
  url.pathname = '/grm_bench';
  return url.toString();
}

/** Demo configuration plus N cases copied from the seeded ones, spread like a real year. */
async function generate(databaseUrl: string) {
  Object.assign(process.env, { DATABASE_CLIENT: 'postgres', DATABASE_URL: databaseUrl });
  const strapi = await bootStrapi();
  try {
    await seedDemo(strapi, { grievancesPerProject: 4, password: DEFAULT_DEMO_PASSWORD });
    const knex = strapi.db.connection;
    const templates: Array<{ document_id: string }> = await knex('grievances').select('document_id');
    const per = Math.ceil(Math.max(CASES - templates.length, 0) / templates.length);
    const now = Date.now();
    const started = Date.now();
    for (const t of templates) {
      await cloneCase(strapi, t.document_id, per, () => {
        const submitted = new Date(now - Math.random() * 365 * DAY);
        const roll = Math.random();
        // A year's mix: most cases closed or resolved, a tenth still open at various steps.
        const status = roll < 0.55 ? 'closed' : roll < 0.8 ? 'resolved' : roll < 0.85 ? 'rejected' : pick(['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated']);
        const open = !['closed', 'resolved', 'rejected'].includes(status);
        const acknowledged = status === 'submitted' ? null : new Date(submitted.getTime() + Math.random() * 3 * DAY);
        // A case stays resolved only until the project's auto-close days (7) have passed.
        const resolved = status === 'resolved'
          ? new Date(now - Math.random() * 6 * DAY)
          : status === 'closed' ? new Date(Math.min(submitted.getTime() + (1 + Math.random() * 30) * DAY, now - 8 * DAY)) : null;
        return {
          description: description(),
          case_status: status,
          priority: pick(['low', 'normal', 'normal', 'normal', 'high', 'urgent']),
          submitted_at: resolved && resolved < submitted ? new Date(resolved.getTime() - DAY) : submitted,
          acknowledged_at: acknowledged,
          resolved_at: resolved,
          closed_at: status === 'closed' && resolved ? new Date(resolved.getTime() + 7 * DAY) : null,
          escalation_level: Math.random() < 0.08 ? 2 : 1,
          acknowledge_due_at: new Date(submitted.getTime() + 3 * DAY),
          resolve_due_at: new Date(submitted.getTime() + 30 * DAY),
          // Open cases are next looked at in the future: the empty sweep finds nothing due.
          sla_check_at: open ? new Date(now + 30 * DAY) : null,
          sla_state: open ? 'on_track' : null,
          version: status === 'submitted' ? 0 : 3,
        };
      });
    }
    // As autovacuum leaves a live database: statistics and visibility maps current.
    await knex.raw('VACUUM ANALYZE');
    const total = Number((await knex('grievances').count({ n: '*' }))[0].n);
    console.log(`generated ${total} cases in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return total;
  } finally {
    await shutDown(strapi);
  }
}

function startServer(databaseUrl: string): Promise<ChildProcess> {
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const server = spawn(process.execPath, [...profile, path.join(APP_DIR, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      CRON_ENABLED: 'false',
      STRAPI_TELEMETRY_DISABLED: 'true',
      STRAPI_HIDE_UPDATE_MESSAGE: 'true',
      // One load generator is one client address: the limits would measure themselves.
      RATE_LIMIT_SUBMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_TRACK_PER_MINUTE: '100000000',
      RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (d) => process.stderr.write(`[server] ${d}`));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 180_000;
    const poll = async () => {
      try {
        const res = await fetch(`${BASE}/api/projects`);
        if (res.status < 500) return resolve(server);
      } catch {
        // not up yet
      }
      if (server.exitCode !== null || Date.now() > deadline) return reject(new Error('the server did not start'));
      setTimeout(poll, 500);
    };
    poll();
  });
}

/** Peak resident memory of the server since the last reset (Linux /proc). */
const peak = {
  reset(pid: number) {
    try {
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // not permitted: the peak is then since start
    }
  },
  read(pid: number): number | null {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : null;
    } catch {
      return null;
    }
  },
};

async function load(name: string, pid: number, options: autocannon.Options, target?: string): Promise<Result> {
  peak.reset(pid);
  // Every response's own time, for exact percentiles (autocannon's summary has no p95).
  const latencies: number[] = [];
  const r = await autocannon({
    connections: CONNECTIONS,
    duration: DURATION,
    ...options,
    setupClient: (client: any) => client.on('response', (_status: number, _bytes: number, time: number) => latencies.push(time)),
  });
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 10) / 10;
  return {
    scenario: name,
    requests: r.requests.total,
    throughput: r.requests.total / (r.duration || DURATION),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: r.errors + r.timeouts + r.non2xx,
    peakRssMb: peak.read(pid),
    target,
  };
}

async function once(name: string, pid: number, run: () => Promise<Response>, target?: string): Promise<Result> {
  peak.reset(pid);
  const start = performance.now();
  const res = await run();
  await res.arrayBuffer();
  const ms = Math.round(performance.now() - start);
  return { scenario: name, requests: 1, throughput: 1000 / ms, p50: ms, p95: ms, p99: ms, errors: res.ok ? 0 : 1, peakRssMb: peak.read(pid), target };
}

async function login(email: string): Promise<string> {
  const res = await fetch(`${BASE}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEFAULT_DEMO_PASSWORD }) });
  const body: any = await res.json();
  if (!body?.data?.token) throw new Error(`login of ${email} failed: ${res.status}`);
  return body.data.token;
}

/** The raw baseline: C workers for the same time, same driver, same rows. */
async function baseline(pool: Pool, name: string, work: () => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const start = performance.now();
        try {
          await work();
          latencies.push(performance.now() - start);
        } catch {
          errors += 1;
        }
      }
    })
  );
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  return { scenario: name, requests: latencies.length, throughput: latencies.length / DURATION, p50: at(0.5), p95: at(0.95), p99: at(0.99), errors, peakRssMb: null };
}

async function rawBaselines(databaseUrl: string, codes: string[]): Promise<Result[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  try {
    const tables = ['grievances', 'grievance_events', 'audit_events', 'notifications'];
    for (const t of tables) {
      await pool.query(`DROP TABLE IF EXISTS bench_${t}`);
      await pool.query(`CREATE TABLE bench_${t} (LIKE ${t} INCLUDING DEFAULTS INCLUDING INDEXES)`);
    }
    const shape = async (t: string) => (await pool.query(`SELECT * FROM ${t} ORDER BY id DESC LIMIT 1`)).rows[0];
    const rows = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await shape(t)])));
    const insert = async (client: any, table: string, row: Record<string, unknown>, fresh: Record<string, unknown>) => {
      const { id: _id, ...rest } = { ...row, ...fresh };
      const keys = Object.keys(rest);
      await client.query(`INSERT INTO bench_${table} (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, keys.map((k) => {
        const v = (rest as any)[k];
        return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
      }));
    };
    const intake = await baseline(pool, 'raw intake transaction', async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const doc = randomUUID().replace(/-/g, '').slice(0, 24);
        await insert(client, 'grievances', rows.grievances, { document_id: doc, tracking_code: `B-${randomUUID()}`, description: description(), submitted_at: new Date() });
        if (rows.grievance_events) await insert(client, 'grievance_events', rows.grievance_events, { document_id: randomUUID().slice(0, 24) });
        if (rows.audit_events) await insert(client, 'audit_events', rows.audit_events, { document_id: randomUUID().slice(0, 24), seq: null, hash: randomBytes(32).toString('hex') }).catch(() => undefined);
        if (rows.notifications) await insert(client, 'notifications', rows.notifications, { document_id: randomUUID().slice(0, 24), dedupe_key: randomUUID() });
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    });
    const lookup = await baseline(pool, 'raw lookup by tracking code', async () => {
      await pool.query('SELECT id, tracking_code, case_status, submitted_at, acknowledge_due_at, resolve_due_at FROM grievances WHERE tracking_code = $1', [pick(codes)]);
    });
    for (const t of tables) await pool.query(`DROP TABLE IF EXISTS bench_${t}`);
    return [intake, lookup];
  } finally {
    await pool.end();
  }
}

async function main() {
  const databaseUrl = REUSE ? reusedDatabase() : await scratchDatabase();
  const total = REUSE ? null : await generate(databaseUrl);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const cases = total ?? Number((await db.query('SELECT count(*) AS n FROM grievances')).rows[0].n);
  const codes = (await db.query('SELECT tracking_code FROM grievances ORDER BY random() LIMIT 2000')).rows.map((r) => r.tracking_code);
  // Messages go to a loopback SMTP server, as they would to a relay: the outbox works as deployed.
  const mail = await startMailSink();
  Object.assign(process.env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mail.port), EMAIL_FROM: 'grm@bench.local' });
  const server = await startServer(databaseUrl);
  const pid = server.pid!;
  const results: Result[] = [];
  const want = (name: string) => ONLY.length === 0 || ONLY.includes(name);
  try {
    const head = await login('head.water@demo.local');
    const projectAdmin = await login('project.admin@demo.local');
    const superAdmin = await login('admin@demo.local');
    if (want('intake')) {
      results.push(await load('intake POST /api/grievances/submit', pid, {
        url: `${BASE}/api/grievances/submit`,
        method: 'POST',
        requests: [{
          setupRequest: (req: any) => ({
            ...req,
            headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            body: JSON.stringify({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', region: 'DIST-B1-V1', description: description() } }),
          }),
        }],
      }, '≥ 500 req/s, p95 ≤ 50 ms'));
    }
    if (want('tracking')) {
      results.push(await load('tracking GET /api/grievances/track/:code', pid, {
        url: BASE,
        requests: [{ setupRequest: (req: any) => ({ ...req, path: `/api/grievances/track/${pick(codes)}` }) }],
      }, '≥ 2,000 req/s, p95 ≤ 20 ms'));
    }
    const cm = '/content-manager/collection-types/api::grievance.grievance';
    if (want('list')) {
      results.push(await load('staff list (department + status, by due time, 25)', pid, {
        url: `${BASE}${cm}?page=1&pageSize=25&sort=resolveDueAt:ASC&filters[$and][0][department][code][$eq]=WATER&filters[$and][1][caseStatus][$eq]=in_progress`,
        headers: { authorization: `Bearer ${head}` },
      }, 'p95 ≤ 50 ms at 1M'));
    }
    if (want('search')) {
      // What an officer types: a word from one complaint (a name, a place, a reference). Words
      // are taken from the hex token each generated description carries.
      const words = (await db.query(`SELECT substring(description from '[0-9a-f]{8}') AS w FROM grievances WHERE description ~ '[0-9a-f]{8}' ORDER BY random() LIMIT 500`)).rows.map((r) => r.w);
      results.push(await load('search descriptions (a word from one case)', pid, {
        url: BASE,
        headers: { authorization: `Bearer ${head}` },
        requests: [{ setupRequest: (req: any) => ({ ...req, path: `${cm}?page=1&pageSize=25&filters[description][$containsi]=${encodeURIComponent(pick(words))}` }) }],
      }, 'p95 ≤ 150 ms at 1M'));
      // A word in one case of eight: every match is counted for the pager.
      results.push(await load('search descriptions (a common place name)', pid, {
        url: BASE,
        headers: { authorization: `Bearer ${head}` },
        requests: [{ setupRequest: (req: any) => ({ ...req, path: `${cm}?page=1&pageSize=25&filters[description][$containsi]=${encodeURIComponent(pick(PLACES))}` }) }],
      }));
    }
    if (want('queue')) {
      // The staff queue (GET /cases/queue): what the staff workspace and integrations page through.
      const queue = (name: string, query: () => string, target?: string) =>
        load(name, pid, { url: BASE, headers: { authorization: `Bearer ${head}` }, requests: [{ setupRequest: (req: any) => ({ ...req, path: `/cases/queue?${query()}` }) }] }, target);
      results.push(await queue('queue: department view, first page', () => 'view=department&pageSize=25', 'p95 ≤ 50 ms at 1M'));
      results.push(await queue('queue: all in scope, first page', () => 'view=all&pageSize=25', 'p95 ≤ 50 ms at 1M'));
      results.push(await queue('queue search: a tracking code', () => `q=${encodeURIComponent(pick(codes))}`, 'p95 ≤ 150 ms at 1M'));
      const words = (await db.query(`SELECT substring(description from '[0-9a-f]{8}') AS w FROM grievances WHERE description ~ '[0-9a-f]{8}' ORDER BY random() LIMIT 500`)).rows.map((r) => r.w);
      results.push(await queue('queue search: a word from one case', () => `q=${encodeURIComponent(pick(words))}`, 'p95 ≤ 150 ms at 1M'));
      results.push(await queue('queue search: a common place name', () => `q=${encodeURIComponent(pick(PLACES))}`, 'p95 ≤ 150 ms at 1M'));
    }
    // The sweeps run before the transitions: acknowledging generated (backdated) cases gives them
    // deadlines already past, which the "nothing due" sweep would then escalate.
    if (want('sweep')) {
      const sweep = () => fetch(`${BASE}/escalation/sweep`, { method: 'POST', headers: { authorization: `Bearer ${superAdmin}` } });
      results.push(await once('escalation sweep, nothing due', pid, sweep));
      const open = await db.query(`SELECT count(*)::int AS n FROM grievances WHERE case_status IN ('submitted','acknowledged','assigned','in_progress','escalated')`);
      const overdue = OVERDUE ?? Math.round(cases / 10);
      await db.query(`UPDATE grievances SET resolve_due_at = now() - interval '1 hour', sla_check_at = now() - interval '1 hour'
        WHERE id IN (SELECT id FROM grievances WHERE case_status IN ('acknowledged','assigned','in_progress','escalated') ORDER BY id LIMIT $1)`, [overdue]);
      results.push(await once(`escalation sweep, ${Math.min(overdue, open.rows[0].n)} overdue`, pid, sweep, '10,000 overdue ≤ 10 s'));
    }
    if (want('transition')) {
      const pool = (await db.query(`SELECT g.document_id FROM grievances g JOIN grievances_department_lnk l ON l.grievance_id = g.id JOIN departments d ON d.id = l.department_id
        WHERE g.case_status = 'submitted' AND d.code = 'WATER' LIMIT 50000`)).rows.map((r) => r.document_id);
      let next = 0;
      results.push(await load('workflow transition (acknowledge)', pid, {
        url: BASE,
        method: 'POST',
        headers: { authorization: `Bearer ${head}`, 'content-type': 'application/json' },
        requests: [{ setupRequest: (req: any) => ({ ...req, path: `/cases/grievances/${pool[next++ % pool.length]}/transitions`, body: JSON.stringify({ action: 'acknowledge', version: 0 }) }) }],
      }));
    }
    if (want('report')) {
      const period = new Date().toISOString().slice(0, 7);
      results.push(await once('monthly report (PDF + XLSX)', pid, () => fetch(`${BASE}/reports/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${superAdmin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'monthly_public', project: 'DIST', period }),
      }), '≤ 30 s, ≤ 512 MB at 1M'));
    }
    if (want('export')) {
      results.push(await once('export CSV of every case in scope', pid, () => fetch(`${BASE}/reports/export?format=csv`, { headers: { authorization: `Bearer ${projectAdmin}` } })));
      results.push(await once('queue export CSV, view=all (keyset SQL)', pid, () => fetch(`${BASE}/cases/queue/export?format=csv&view=all`, { headers: { authorization: `Bearer ${projectAdmin}` } }), '≤ 15 s, ≤ 512 MB at 1M'));
    }
    if (want('baseline')) results.push(...(await rawBaselines(databaseUrl, codes)));
  } finally {
    // Waited for: a profile (--profile) is written as the server exits.
    const exited = server.exitCode !== null ? Promise.resolve() : new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    await db.end();
    await mail.stop();
  }

  const intake = results.find((r) => r.scenario.startsWith('intake'));
  const track = results.find((r) => r.scenario.startsWith('tracking'));
  const rawIntake = results.find((r) => r.scenario === 'raw intake transaction');
  const rawLookup = results.find((r) => r.scenario === 'raw lookup by tracking code');
  const ratios = {
    intakeThroughput: intake && rawIntake ? intake.throughput / rawIntake.throughput : null,
    trackingThroughput: track && rawLookup ? track.throughput / rawLookup.throughput : null,
  };
  console.log(`\n${cases.toLocaleString('en')} cases, ${CONNECTIONS} connections, ${DURATION} s per scenario\n`);
  console.log(['scenario'.padEnd(48), 'req/s'.padStart(8), 'p50'.padStart(7), 'p95'.padStart(7), 'p99'.padStart(7), 'errors'.padStart(7), 'peak MB'.padStart(8), '  target'].join(' '));
  for (const r of results) {
    console.log([r.scenario.padEnd(48), r.throughput.toFixed(r.throughput < 10 ? 2 : 0).padStart(8), `${r.p50}`.padStart(7), `${r.p95}`.padStart(7), `${r.p99}`.padStart(7), String(r.errors).padStart(7), String(r.peakRssMb ?? '—').padStart(8), `  ${r.target ?? ''}`].join(' '));
  }
  console.log(`\nproduct ÷ raw PostgreSQL: intake ${ratios.intakeThroughput?.toFixed(2) ?? '—'}, tracking ${ratios.trackingThroughput?.toFixed(2) ?? '—'} (throughput)`);
  const dir = path.join(APP_DIR, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ cases, connections: CONNECTIONS, durationSeconds: DURATION, results, ratios, node: process.version }, null, 2));
  console.log(`written ${path.relative(APP_DIR, file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
