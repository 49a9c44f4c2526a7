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
    async drop() {
      const dropper = new Client({ connectionString: adminUrl() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
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

async function freshDatabase(): Promise<() => Promise<void>> {
  if ((process.env.TEST_DB ?? 'sqlite') === 'postgres') {
    const { url, drop } = await createPostgresDatabase();
    process.env.DATABASE_CLIENT = 'postgres';
    process.env.DATABASE_URL = url;
    process.env.DATABASE_POOL_MIN = '0';
    return drop;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grm-test-'));
  process.env.DATABASE_CLIENT = 'sqlite';
  process.env.DATABASE_FILENAME = path.join(dir, 'test.db');
  return async () => fs.rmSync(dir, { recursive: true, force: true });
}

/** `env` overrides the test environment for this instance (e.g. `NODE_ENV: 'production'`); set back on stop. */
export async function startApp(options: { grievancesPerProject?: number; serveAdminPanel?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  Object.assign(process.env, testEnvironment());
  const overridden = Object.fromEntries(Object.keys(options.env ?? {}).map((key) => [key, process.env[key]]));
  Object.assign(process.env, options.env ?? {});
  const dropDatabase = await freshDatabase();
  const strapi = await bootStrapi({ logLevel: 'error', serveAdminPanel: options.serveAdminPanel });
  await seedDemo(strapi, { grievancesPerProject: options.grievancesPerProject ?? 40, password: DEMO_PASSWORD });
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
      await dropDatabase();
      for (const [key, value] of Object.entries(overridden)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
