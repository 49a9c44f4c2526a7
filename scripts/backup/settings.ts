/**
 * What `npm run backup` and `npm run restore` read from the environment: the same variables as
 * the app (config/database.ts, config/plugins.ts), from `.env` when the shell does not set them.
 * No Strapi here, so a backup does not boot the app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { Client, type ClientConfig } from 'pg';

// Compiled into dist/scripts/backup/ (operator commands) or run from source (tests).
export const APP_DIR = path.basename(path.resolve(__dirname, '..', '..')) === 'dist'
  ? path.resolve(__dirname, '..', '..', '..')
  : path.resolve(__dirname, '..', '..');

/** Loads `.env` like Strapi does: variables already in the environment win. */
export function loadEnvironment(): void {
  dotenv.config({ path: path.join(APP_DIR, '.env'), quiet: true } as any);
}

const env = (name: string, fallback = '') => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
};
const bool = (name: string, fallback: boolean) => {
  const value = env(name, '');
  return value === '' ? fallback : value === 'true';
};

export type DatabaseSettings =
  | { client: 'sqlite'; filename: string }
  | { client: 'postgres'; pg: ClientConfig; schema: string; ssl: { enabled: boolean; rejectUnauthorized: boolean; ca?: string } };

export function databaseSettings(): DatabaseSettings {
  const client = env('DATABASE_CLIENT', 'sqlite');
  if (client === 'sqlite') {
    // Relative to the working directory, as in config/database.ts.
    return { client, filename: path.resolve(process.cwd(), env('DATABASE_FILENAME', '.tmp/data.db')) };
  }
  if (client !== 'postgres') throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres", got "${client}".`);
  const ssl = { enabled: bool('DATABASE_SSL', false), rejectUnauthorized: bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true), ca: env('DATABASE_SSL_CA') || undefined };
  const nodeSsl = ssl.enabled ? { rejectUnauthorized: ssl.rejectUnauthorized, ca: ssl.ca } : false;
  const url = env('DATABASE_URL');
  if (url) return { client, pg: { connectionString: url, ssl: nodeSsl }, schema: 'public', ssl };
  return {
    client,
    pg: {
      host: env('DATABASE_HOST', '127.0.0.1'),
      port: Number(env('DATABASE_PORT', '5432')),
      database: env('DATABASE_NAME', 'grm'),
      user: env('DATABASE_USERNAME', 'postgres'),
      password: env('DATABASE_PASSWORD'),
      ssl: nodeSsl,
    },
    schema: env('DATABASE_SCHEMA', 'public'),
    ssl,
  };
}

/**
 * The libpq environment for pg_dump and pg_restore: the password travels in PGPASSWORD, never on
 * a command line (visible to every user in `ps`) or in a log. The caller removes `cleanup()`'s
 * temporary CA file.
 */
export function libpqEnvironment(settings: Extract<DatabaseSettings, { client: 'postgres' }>): { env: NodeJS.ProcessEnv; database: string; cleanup: () => void } {
  // pg parses DATABASE_URL exactly as the app does; read the result back from the client.
  const parsed = new Client(settings.pg) as any;
  const out: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: String(parsed.host ?? ''),
    PGPORT: String(parsed.port ?? ''),
    PGUSER: String(parsed.user ?? ''),
    PGDATABASE: String(parsed.database ?? ''),
  };
  // No password configured: leave PGPASSWORD or ~/.pgpass to libpq, as pg does for the app.
  if (typeof parsed.password === 'string' && parsed.password !== '') out.PGPASSWORD = parsed.password;
  let caDir: string | null = null;
  const urlMode = settings.pg.connectionString ? new URL(settings.pg.connectionString).searchParams.get('sslmode') : null;
  if (settings.ssl.enabled) {
    out.PGSSLMODE = settings.ssl.rejectUnauthorized ? 'verify-full' : 'require';
    if (settings.ssl.ca) {
      caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grm-pgca-'));
      const file = path.join(caDir, 'root.crt');
      fs.writeFileSync(file, settings.ssl.ca, { mode: 0o600 });
      out.PGSSLROOTCERT = file;
    }
  } else if (urlMode) {
    out.PGSSLMODE = urlMode;
  }
  return {
    env: out,
    database: out.PGDATABASE!,
    cleanup: () => {
      if (caDir) fs.rmSync(caDir, { recursive: true, force: true });
    },
  };
}

/** Where the local upload provider keeps files: `<app>/public/uploads`, or UPLOADS_DIR. */
export function uploadsDirectory(): string {
  const configured = env('UPLOADS_DIR');
  return configured ? path.resolve(process.cwd(), configured) : path.join(APP_DIR, 'public', 'uploads');
}

export function uploadProvider(): { provider: string; bucket: string | null } {
  const provider = env('UPLOAD_PROVIDER', 'local');
  return { provider, bucket: provider === 'aws-s3' ? env('S3_BUCKET') || null : null };
}

export function backupRoot(): string {
  return path.resolve(process.cwd(), env('BACKUP_DIR', './backups'));
}

export function appVersion(): { name: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'package.json'), 'utf8'));
  return { name: pkg.name, version: pkg.version };
}
