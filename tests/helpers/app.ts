/**
 * Integration harness: boots the compiled app against a fresh database (a temporary SQLite
 * file, or a PostgreSQL database created here and dropped afterwards when TEST_DB=postgres),
 * seeds a small demo, and speaks HTTP with supertest.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { Client } from 'pg';
import request from 'supertest';
import { bootStrapi, shutDown } from '../../scripts/strapi-app';
import { DEFAULT_DEMO_PASSWORD, seedDemo } from '../../scripts/seed/seed';

export const DEMO_PASSWORD = DEFAULT_DEMO_PASSWORD;
export const ADMIN_ROLES = {
  superAdmin: 'admin@demo.local',
  projectAdmin: 'project.admin@demo.local',
  headWater: 'head.water@demo.local',
  headPiu: 'head.piu@demo.local',
  officerWater: 'officer.water@demo.local',
  officerRoads: 'officer.roads@demo.local',
  intake: 'intake@demo.local',
  viewer: 'viewer@demo.local',
} as const;

export interface TestApp {
  strapi: Core.Strapi;
  /** Where the app listens (127.0.0.1, a free port). */
  baseUrl: string;
  http: () => ReturnType<typeof request>;
  /** A bearer token for a demo staff account (logged in once per suite). */
  tokenFor: (email: string) => Promise<string>;
  stop: () => Promise<void>;
}

const secret = () => randomBytes(16).toString('base64');
const adminUrl = () => process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new, empty PostgreSQL database on the server of TEST_PG_ADMIN_URL, and how to drop it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `grm_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropPostgresDatabase(name),
  };
}

/** The environment every test instance of the app gets: fresh secrets, no telemetry. */
export function testEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_HIDE_UPDATE_MESSAGE: 'true',
    APP_KEYS: `${secret()},${secret()}`,
    ADMIN_JWT_SECRET: secret(),
    API_TOKEN_SALT: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    JWT_SECRET: secret(),
    ENCRYPTION_KEY: secret(),
    CITIZEN_DATA_KEYS: `t1:${randomBytes(32).toString('base64')}`,
    CITIZEN_INDEX_KEY: randomBytes(32).toString('base64'),
    // A suite steps up each account once (tests/helpers/step-up.ts); expiry is tested by moving the grant's clock.
    STEP_UP_WINDOW_MINUTES: '120',
    // Tests drive the notification dispatcher by hand.
    NOTIFICATIONS_DISPATCH_INTERVAL_MS: '0',
  };
}

/** Where a new suite database goes: its connection settings, and how to drop it afterwards. */
interface SuiteDatabase {
  env: Record<string, string>;
  drop: () => Promise<void>;
}

const usesPostgres = () => (process.env.TEST_DB ?? 'sqlite') === 'postgres';

async function freshDatabase(): Promise<SuiteDatabase> {
  if (usesPostgres()) {
    const { url, drop } = await createPostgresDatabase();
    return { env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url, DATABASE_POOL_MIN: '0' }, drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grm-test-'));
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'test.db') },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Seeded template databases. Booting an empty database and seeding it takes 13-17 s, booting a
 * seeded one under a second, so within one jest run (tests/helpers/global-setup.ts makes the
 * directory) each demo size is seeded once and every suite starts from a copy. The secrets the
 * seed sealed citizen data with travel with the template. A template is re-seeded after
 * TEMPLATE_MAX_AGE_MS so the demo's clock-relative data (ages, deadlines) stays near "now".
 */
const TEMPLATE_MAX_AGE_MS = 30 * 60_000;

interface Template {
  createdAt: number;
  env: Record<string, string>;
  /** SQLite: the seeded file; PostgreSQL: the seeded database's name. */
  source: string;
}

const STALE_LOCK_MS = 3 * 60_000;

async function withLock<T>(dir: string, name: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, `${name}.lock`);
  const owner = path.join(lock, randomBytes(6).toString('hex'));
  for (let i = 0; ; i += 1) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(owner, '');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || i > 2400) throw error;
      // A suite whose set-up timed out while seeding leaves its lock behind: seeding takes seconds.
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    // Only our own lock: if it was taken over as stale, the new holder's stays.
    if (fs.existsSync(owner)) fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function seededTemplate(dir: string, grievancesPerProject: number): Promise<Template> {
  const name = `${usesPostgres() ? 'postgres' : 'sqlite'}-${grievancesPerProject}`;
  return withLock(dir, name, async () => {
    const file = path.join(dir, `${name}.json`);
    if (fs.existsSync(file)) {
      const template = JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
      if (Date.now() - template.createdAt < TEMPLATE_MAX_AGE_MS) return template;
    }
    const env = testEnvironment();
    const database = await freshDatabase();
    Object.assign(process.env, env, database.env);
    const strapi = await bootStrapi({ logLevel: 'error' });
    await seedDemo(strapi, { grievancesPerProject, password: DEMO_PASSWORD });
    await shutDown(strapi);
    let source: string;
    if (usesPostgres()) {
      source = new URL(database.env.DATABASE_URL).pathname.slice(1);
    } else {
      source = path.join(dir, `${name}-${Date.now()}.db`);
      fs.copyFileSync(database.env.DATABASE_FILENAME, source);
      await database.drop();
    }
    const template: Template = { createdAt: Date.now(), env, source };
    // Older templates of this size stay until the run ends: a suite may be copying one.
    fs.appendFileSync(path.join(dir, 'sources.txt'), `${source}\n`);
    fs.writeFileSync(file, JSON.stringify(template));
    return template;
  });
}

async function copyOf(template: Template): Promise<SuiteDatabase> {
  if (usesPostgres()) {
    const name = `grm_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template.source}`);
    await admin.end();
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(), DATABASE_POOL_MIN: '0' },
      drop: () => dropPostgresDatabase(name),
    };
  }
  const database = await freshDatabase();
  fs.copyFileSync(template.source, database.env.DATABASE_FILENAME);
  return database;
}

async function dropPostgresDatabase(name: string): Promise<void> {
  const dropper = new Client({ connectionString: adminUrl() });
  await dropper.connect();
  await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await dropper.end();
}

/** Drops what seededTemplate left in `dir` (called once per jest run, by the global teardown). */
export async function dropTemplates(dir: string): Promise<void> {
  const list = path.join(dir, 'sources.txt');
  const sources = fs.existsSync(list) ? fs.readFileSync(list, 'utf8').split('\n').filter(Boolean) : [];
  for (const source of sources) {
    if (source.startsWith('grm_test_')) await dropPostgresDatabase(source);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `env` overrides the test environment for this instance (e.g. `NODE_ENV: 'production'`); set back on stop. */
export async function startApp(options: { grievancesPerProject?: number; serveAdminPanel?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const grievancesPerProject = options.grievancesPerProject ?? 40;
  const templates = process.env.GRM_TEST_TEMPLATES;
  let database: SuiteDatabase;
  if (templates) {
    const template = await seededTemplate(templates, grievancesPerProject);
    database = await copyOf(template);
    Object.assign(process.env, template.env, database.env);
  } else {
    database = await freshDatabase();
    Object.assign(process.env, testEnvironment(), database.env);
  }
  const overridden = Object.fromEntries(Object.keys(options.env ?? {}).map((key) => [key, process.env[key]]));
  Object.assign(process.env, options.env ?? {});
  const strapi = await bootStrapi({ logLevel: 'error', serveAdminPanel: options.serveAdminPanel });
  if (!templates) await seedDemo(strapi, { grievancesPerProject, password: DEMO_PASSWORD });
  strapi.server.mount();
  // Listen once: supertest would otherwise open a listener per request, which breaks under load.
  const httpServer = strapi.server.httpServer;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const http = () => request(baseUrl);
  const tokens = new Map<string, string>();
  return {
    strapi,
    baseUrl,
    http,
    async tokenFor(email) {
      if (!tokens.has(email)) {
        const res = await http().post('/admin/login').send({ email, password: DEMO_PASSWORD });
        if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
        tokens.set(email, res.body.data.token);
      }
      return tokens.get(email)!;
    },
    async stop() {
      await new Promise((resolve) => httpServer.close(resolve));
      await shutDown(strapi);
      await database.drop();
      for (const [key, value] of Object.entries(overridden)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
