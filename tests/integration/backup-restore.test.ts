/**
 * `npm run backup` and `npm run restore` end to end: cases filed and a file uploaded on a running
 * app are backed up by the compiled script, restored into a new empty database and a new uploads
 * folder, and the app booted on the restored database serves the same cases with the same audit
 * chain. A backup with one byte changed, or a target that already holds cases, is refused.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createPostgresDatabase, startApp, TestApp } from '../helpers/app';
import { APP_DIR, bootStrapi, shutDown } from '../../scripts/strapi-app';

const postgres = (process.env.TEST_DB ?? 'sqlite') === 'postgres';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grm-backup-test-'));
const dropTargets: Array<() => Promise<void>> = [];

/** A database target for a restore: an empty PostgreSQL database, or a SQLite path not yet created. */
async function newTarget(name: string): Promise<Record<string, string>> {
  if (postgres) {
    const { url, drop } = await createPostgresDatabase();
    dropTargets.push(drop);
    return { DATABASE_CLIENT: 'postgres', DATABASE_URL: url };
  }
  return { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(scratch, `${name}.db`) };
}

/** Runs a compiled operator command as an operator would, with the app's environment. */
function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(APP_DIR, 'dist', 'scripts', script), ...args], {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let app: TestApp | null = null;
let providerDir: string;
const filed: string[] = [];
let uploaded: { name: string; bytes: Buffer };
let backupDir: string;
let manifest: any;

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 2 });
  for (const description of ['No water at the Amarpur hand pump since Monday.', 'The drain by the school overflows after rain.', 'Street light on the market road is out.']) {
    const res = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description } });
    expect(res.status).toBe(201);
    filed.push(res.body.data.trackingCode);
  }
  // A file through the upload service, as attachments and reports store theirs: the local
  // provider writes it into <app>/public/uploads, the folder a backup archives.
  const bytes = Buffer.from(`resolution agreement ${Date.now()}\n${'\u00e9\u0000\u00ff'.repeat(64)}`, 'latin1');
  const source = path.join(scratch, 'agreement.txt');
  fs.writeFileSync(source, bytes);
  const [file] = await app.strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name: 'agreement.txt' } },
    files: { filepath: source, originalFilename: 'agreement.txt', mimetype: 'text/plain', size: bytes.length },
  });
  uploaded = { name: path.basename(file.url), bytes };
  providerDir = path.join(app.strapi.dirs.static.public, 'uploads');
  expect(fs.readFileSync(path.join(providerDir, uploaded.name))).toEqual(bytes);

  // A backup that fails halfway (here: at the uploads, after the dump) says so and leaves nothing.
  const failedDir = path.join(scratch, 'failed-backups');
  const failed = run('backup.js', [], { BACKUP_DIR: failedDir, UPLOADS_DIR: path.join(scratch, 'no-such-folder') });
  expect(failed.status).toBe(1);
  expect(failed.stderr).toMatch(/^Backup failed: The uploads folder .*no-such-folder does not exist/);
  expect(failed.stdout).toBe('');
  expect(fs.readdirSync(failedDir)).toEqual([]);

  // The backup records the chain's head as sealed when it runs; the upload's event is sealed first,
  // so the head below names the same event.
  await app.strapi.plugin('audit').service('audit').seal();
  const backup = run('backup.js', [], { BACKUP_DIR: path.join(scratch, 'backups'), UPLOADS_DIR: providerDir });
  expect(backup.stderr).toBe('');
  expect(backup.status).toBe(0);
  backupDir = backup.stdout.trim();
  manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
  // The manifest describes the database as it was: its cases and its last audit event.
  expect(manifest.grievances).toBe(await app.strapi.db.query('api::grievance.grievance' as any).count({}));
  expect(manifest.auditHead).toEqual(await app.strapi.plugin('audit').service('audit').head().then((h: any) => ({ seq: h.seq, hash: h.hash })));
  // The original database is dropped: what follows sees only the backup.
  await app.stop();
  app = null;
}, 180_000);

afterAll(async () => {
  await app?.stop();
  // Leave the app's uploads folder as it was found.
  if (uploaded) fs.rmSync(path.join(providerDir, uploaded.name), { force: true });
  for (const drop of dropTargets) await drop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

it('writes one complete directory: database, uploads and a manifest with checksums', () => {
  expect(path.dirname(backupDir)).toBe(path.join(scratch, 'backups'));
  expect(path.basename(backupDir)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
  // Nothing half-written is left beside it.
  expect(fs.readdirSync(path.dirname(backupDir))).toEqual([path.basename(backupDir)]);
  const database = postgres ? 'database.dump' : 'database.sqlite';
  expect(manifest).toMatchObject({
    app: { name: 'grm-platform', version: expect.any(String) },
    database: { client: postgres ? 'postgres' : 'sqlite', file: database },
    uploads: { provider: 'local', file: 'uploads.tar.gz' },
  });
  expect(manifest.uploads.count).toBeGreaterThanOrEqual(1);
  expect(manifest.files.map((f: any) => f.name).sort()).toEqual([database, 'uploads.tar.gz']);
  for (const f of manifest.files) expect(f.bytes).toBe(fs.statSync(path.join(backupDir, f.name)).size);
  expect(manifest.auditHead.seq).toBeGreaterThan(0);
  if (postgres) expect(fs.readFileSync(path.join(backupDir, database)).subarray(0, 5).toString()).toBe('PGDMP');
});

it('restores into a new database and uploads folder; the app serves the same cases and audit chain', async () => {
  const target = await newTarget('restored');
  const uploadsDir = path.join(scratch, 'restored-uploads');
  const restore = run('restore.js', [backupDir], { ...target, UPLOADS_DIR: uploadsDir });
  expect(restore.stderr).toBe('');
  expect(restore.status).toBe(0);

  expect(fs.readFileSync(path.join(uploadsDir, uploaded.name))).toEqual(uploaded.bytes);

  // A second restore into the same, now full, target is refused and changes nothing.
  const again = run('restore.js', [backupDir], { ...target, UPLOADS_DIR: path.join(scratch, 'other-uploads') });
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/Refusing to restore: .*already (holds \d+ grievance|exists)/);

  Object.assign(process.env, target);
  const strapi = await bootStrapi({ logLevel: 'error' });
  try {
    strapi.server.mount();
    const server = strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const http = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    for (const code of filed) {
      const res = await http.get(`/api/grievances/track/${code}`);
      expect([res.status, res.body.data?.trackingCode]).toEqual([200, code]);
    }
    const audit = strapi.plugin('audit').service('audit');
    const verified = await audit.verify(manifest.auditHead);
    expect(verified).toMatchObject({ ok: true, head: manifest.auditHead });
    await new Promise((resolve) => server.close(resolve));
  } finally {
    await shutDown(strapi);
  }
});

it('refuses a backup with one byte changed in the dump and restores nothing', async () => {
  const tampered = path.join(scratch, 'tampered');
  fs.cpSync(backupDir, tampered, { recursive: true });
  const dump = path.join(tampered, manifest.database.file);
  const bytes = fs.readFileSync(dump);
  const at = Math.floor(bytes.length / 2);
  bytes[at] ^= 0x01;
  fs.writeFileSync(dump, bytes);

  const target = await newTarget('tampered');
  const uploadsDir = path.join(scratch, 'tampered-uploads');
  const restore = run('restore.js', [tampered], { ...target, UPLOADS_DIR: uploadsDir });
  expect(restore.status).toBe(1);
  expect(restore.stderr).toContain(`${manifest.database.file} does not match its checksum`);
  expect(fs.existsSync(uploadsDir)).toBe(false);
  if (!postgres) expect(fs.existsSync(target.DATABASE_FILENAME)).toBe(false);
  else {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: target.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('public.grievances') AS t");
    await client.end();
    expect(rows[0].t).toBeNull();
  }
});

it('fails a restore whose database does not match the manifest', async () => {
  const edited = path.join(scratch, 'edited');
  fs.cpSync(backupDir, edited, { recursive: true });
  fs.writeFileSync(path.join(edited, 'manifest.json'), JSON.stringify({ ...manifest, grievances: manifest.grievances + 1 }));
  const restore = run('restore.js', [edited], { ...(await newTarget('edited')), UPLOADS_DIR: path.join(scratch, 'edited-uploads') });
  expect(restore.status).toBe(1);
  expect(restore.stderr).toContain(`${manifest.grievances} grievances, the manifest says ${manifest.grievances + 1}`);
});
