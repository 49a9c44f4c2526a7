/**
 * The database half of a backup: a consistent copy plus the two facts a restore is checked
 * against (the grievance count and the audit chain head), read from the same snapshot as the copy.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DatabaseSettings, libpqEnvironment } from './settings';

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface DatabaseState {
  grievances: number;
  auditHead: AuditHead | null;
}

/** A connected client; a refused connection says which database could not be reached. */
async function connect(settings: Extract<DatabaseSettings, { client: 'postgres' }>): Promise<Client> {
  const client = new Client(settings.pg);
  try {
    await client.connect();
  } catch (error: any) {
    throw new Error(`Cannot connect to PostgreSQL database "${client.database}" on ${client.host}:${client.port}: ${error.message}`);
  }
  return client;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs pg_dump / pg_restore; the error carries their own message (never the environment). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error: any) =>
      reject(new Error(error.code === 'ENOENT' ? `${command} was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client).` : `${command}: ${error.message}`))
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim() || 'no message'}`))));
  });
}

async function postgresState(query: (sql: string) => Promise<any[]>, schema: string): Promise<DatabaseState> {
  const [tables] = await query(
    `SELECT to_regclass('${quoteIdent(schema)}.grievances') IS NOT NULL AS grievances, to_regclass('${quoteIdent(schema)}.audit_events') IS NOT NULL AS audit`
  );
  if (!tables.grievances || !tables.audit) {
    throw new Error('The database has no grievances or audit_events table: is DATABASE_* pointing at the app\'s database, and has the app started on it once?');
  }
  const [count] = await query(`SELECT COUNT(*) AS n FROM ${quoteIdent(schema)}.grievances`);
  const [head] = await query(`SELECT seq, hash FROM ${quoteIdent(schema)}.audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  return { grievances: Number(count.n), auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null };
}

function sqliteState(filename: string): DatabaseState {
  const db = new Database(filename, { readonly: true, fileMustExist: true });
  try {
    const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (!has('grievances') || !has('audit_events')) {
      throw new Error(`${filename} has no grievances or audit_events table: is DATABASE_FILENAME the app's database, and has the app started on it once?`);
    }
    const count = db.prepare('SELECT COUNT(*) AS n FROM grievances').get() as any;
    const head = db.prepare('SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1').get() as any;
    return { grievances: Number(count.n), auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null };
  } finally {
    db.close();
  }
}

/**
 * Copies the database into `dir` and returns the copy's file name and state. PostgreSQL: pg_dump
 * runs on a snapshot exported by a transaction that also reads the state, so a case filed or an
 * audit event written during the dump is in neither. SQLite: the online backup API, then the state
 * is read from the copy itself.
 */
export async function dumpDatabase(settings: DatabaseSettings, dir: string): Promise<DatabaseState & { file: string }> {
  if (settings.client === 'sqlite') {
    if (!fs.existsSync(settings.filename)) throw new Error(`The SQLite database ${settings.filename} does not exist (DATABASE_FILENAME).`);
    const file = 'database.sqlite';
    const source = new Database(settings.filename, { readonly: true, fileMustExist: true });
    try {
      await source.backup(path.join(dir, file));
    } finally {
      source.close();
    }
    return { file, ...sqliteState(path.join(dir, file)) };
  }

  const file = 'database.dump';
  const libpq = libpqEnvironment(settings);
  const client = await connect(settings).catch((error) => {
    libpq.cleanup();
    throw error;
  });
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query('SELECT pg_export_snapshot() AS snapshot');
    const state = await postgresState(async (sql) => (await client.query(sql)).rows, settings.schema);
    await run('pg_dump', ['--format=custom', `--snapshot=${rows[0].snapshot}`, `--file=${path.join(dir, file)}`], libpq.env);
    await client.query('COMMIT');
    return { file, ...state };
  } finally {
    libpq.cleanup();
    await client.end().catch(() => undefined);
  }
}

/** The state of the configured database as it is now (for checking a restore). */
export async function readState(settings: DatabaseSettings): Promise<DatabaseState> {
  if (settings.client === 'sqlite') return sqliteState(settings.filename);
  const client = await connect(settings);
  try {
    return await postgresState(async (sql) => (await client.query(sql)).rows, settings.schema);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Why the configured target must not be overwritten without --force, or null when it is free:
 * PostgreSQL, a grievances table with rows; SQLite, an existing file.
 */
export async function targetInUse(settings: DatabaseSettings): Promise<string | null> {
  if (settings.client === 'sqlite') {
    return fs.existsSync(settings.filename) ? `the SQLite file ${settings.filename} already exists` : null;
  }
  const client = await connect(settings);
  try {
    const grievances = `${quoteIdent(settings.schema)}.grievances`;
    const { rows } = await client.query(`SELECT to_regclass('${grievances}') IS NOT NULL AS present`);
    if (!rows[0].present) return null;
    const { rows: count } = await client.query(`SELECT COUNT(*) AS n FROM ${grievances}`);
    const n = Number(count[0].n);
    return n > 0 ? `the database ${client.database} already holds ${n} grievance(s)` : null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Puts the copy in place. PostgreSQL: pg_restore in one transaction (all or nothing), objects
 * owned by the configured user. SQLite: copied beside the target and renamed over it, so a
 * reader never sees half a file; a stale -wal/-shm of the old file is removed with it.
 */
export async function restoreDatabase(settings: DatabaseSettings, file: string): Promise<void> {
  if (settings.client === 'sqlite') {
    fs.mkdirSync(path.dirname(settings.filename), { recursive: true });
    const partial = `${settings.filename}.restoring-${process.pid}`;
    try {
      fs.copyFileSync(file, partial);
      for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(settings.filename + suffix, { force: true });
      fs.renameSync(partial, settings.filename);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    return;
  }
  const libpq = libpqEnvironment(settings);
  try {
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${libpq.database}`, file], libpq.env);
  } finally {
    libpq.cleanup();
  }
}
