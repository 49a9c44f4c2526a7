/**
 * `npm run crash-test -- --rounds 5 --clients 16 --seconds 20`: the crash drill of
 * scripts/crash/driver.ts against a scratch database it creates (and drops afterwards) on the
 * local PostgreSQL server, which it restarts once per round: run it as root (or the postgres
 * user) on a machine where nobody else needs that server. Prints a JSON summary; exits 1 if any
 * promise was broken. CRASH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * names the server.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_DEMO_PASSWORD } from '../seed/seed';
import { runCrashScenario } from './driver';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

async function main() {
  const rounds = option('rounds', 5);
  const clients = option('clients', 16);
  const seconds = option('seconds', 20);
  const drainSeconds = option('drain-seconds', 180);
  const adminUrl = process.env.CRASH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `grm_crash_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const secret = () => randomBytes(16).toString('base64');
  const started = Date.now();
  try {
    const summary = await runCrashScenario({
      databaseUrl: url.toString(),
      // Fresh secrets for the scratch database; anything else (e.g. citizen data keys) comes from the environment.
      env: {
        NODE_ENV: 'test',
        STRAPI_TELEMETRY_DISABLED: 'true',
        STRAPI_HIDE_UPDATE_MESSAGE: 'true',
        APP_KEYS: `${secret()},${secret()}`,
        ADMIN_JWT_SECRET: secret(),
        API_TOKEN_SALT: secret(),
        TRANSFER_TOKEN_SALT: secret(),
        JWT_SECRET: secret(),
        ENCRYPTION_KEY: secret(),
        CITIZEN_DATA_KEYS: `crash:${randomBytes(32).toString('base64')}`,
        CITIZEN_INDEX_KEY: randomBytes(32).toString('base64'),
      },
      password: process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
      rounds,
      clients,
      seconds,
      drainSeconds,
      log: (message) => console.error(`[crash ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`),
    });
    console.log(JSON.stringify({ ...summary, seconds: Math.round((Date.now() - started) / 1000) }, null, 2));
    process.exitCode = summary.problems.length ? 1 : 0;
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
