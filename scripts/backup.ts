/**
 * `npm run backup`: writes BACKUP_DIR/<UTC time>/ with the database (pg_dump custom format, or
 * SQLite's online backup), the local uploads as uploads.tar.gz and manifest.json (checksums,
 * grievance count, audit chain head). Prints the directory. The directory is written under a
 * hidden temporary name and renamed at the end, so a directory with the final name is complete.
 * See docs/operations.md#backups-and-restore.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dumpDatabase } from './backup/database';
import { describeFile, FORMAT, Manifest, MANIFEST } from './backup/manifest';
import { appVersion, backupRoot, databaseSettings, loadEnvironment, uploadProvider, uploadsDirectory } from './backup/settings';
import { archiveUploads } from './backup/uploads';

const UPLOADS_ARCHIVE = 'uploads.tar.gz';

/** 2026-05-01T02-00-00Z: sortable, and no colons (which some file systems and tools refuse). */
const stamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');

async function main() {
  loadEnvironment();
  const settings = databaseSettings();
  const root = backupRoot();
  const created = new Date();
  const final = path.join(root, stamp(created));
  if (fs.existsSync(final)) throw new Error(`${final} already exists: wait a second and run the backup again.`);
  fs.mkdirSync(root, { recursive: true });
  const work = fs.mkdtempSync(path.join(root, `.partial-${stamp(created)}-`));
  try {
    const database = await dumpDatabase(settings, work);
    const { provider, bucket } = uploadProvider();
    let uploads: Manifest['uploads'];
    if (provider === 'local') {
      const count = await archiveUploads(uploadsDirectory(), path.join(work, UPLOADS_ARCHIVE));
      uploads = { provider, file: UPLOADS_ARCHIVE, count };
    } else {
      uploads = {
        provider,
        file: null,
        note: `Uploaded files are in the S3 bucket${bucket ? ` ${bucket}` : ''}, not in this backup: the bucket's versioning or replication is their backup (docs/operations.md#backups-and-restore).`,
      };
    }
    const names = [database.file, ...(uploads.file ? [uploads.file] : [])];
    const manifest: Manifest = {
      format: FORMAT,
      createdAt: created.toISOString(),
      app: appVersion(),
      database: { client: settings.client, file: database.file },
      uploads,
      files: await Promise.all(names.map((name) => describeFile(work, name))),
      grievances: database.grievances,
      auditHead: database.auditHead,
    };
    fs.writeFileSync(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(work, final);
  } catch (error) {
    fs.rmSync(work, { recursive: true, force: true });
    throw error;
  }
  console.log(final);
}

main().catch((error) => {
  console.error(`Backup failed: ${error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : error}`);
  process.exit(1);
});
