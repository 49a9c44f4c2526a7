/**
 * `npm run restore -- <backup dir> [--force]`: checks the manifest's checksums, restores the
 * database into the configured target and the uploads into the uploads folder, then checks the
 * result: the grievance count and the audit chain head equal the manifest's, and the audit chain
 * verifies up to that head. Refuses a target that already holds data unless --force.
 * Exit codes: 0 restored and checked, 1 refused or failed. See docs/operations.md#backups-and-restore.
 */
import path from 'node:path';
import { readState, restoreDatabase, targetInUse } from './backup/database';
import { checkFiles, readManifest } from './backup/manifest';
import { databaseSettings, loadEnvironment, uploadProvider, uploadsDirectory } from './backup/settings';
import { extractUploads, holdsUploads } from './backup/uploads';

class Refusal extends Error {}

function parseArguments(argv: string[]) {
  const force = argv.includes('--force');
  const rest = argv.filter((a) => a !== '--force');
  const unknown = rest.filter((a) => a.startsWith('--'));
  if (unknown.length > 0 || rest.length !== 1) {
    throw new Refusal('Usage: npm run restore -- <backup directory> [--force]');
  }
  return { dir: path.resolve(process.cwd(), rest[0]), force };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function main() {
  const { dir, force } = parseArguments(process.argv.slice(2));
  loadEnvironment();
  const manifest = readManifest(dir);

  // Everything that can refuse is checked before anything is written.
  const problems = await checkFiles(dir, manifest);
  if (problems.length > 0) throw new Refusal(`The backup in ${dir} is damaged or altered; nothing was restored:\n  ${problems.join('\n  ')}`);
  const settings = databaseSettings();
  if (settings.client !== manifest.database.client) {
    throw new Refusal(`The backup holds a ${manifest.database.client} database but DATABASE_CLIENT is ${settings.client}; nothing was restored.`);
  }
  const inUse = await targetInUse(settings);
  if (inUse && !force) throw new Refusal(`Refusing to restore: ${inUse}. Restore into an empty database, or add --force to replace it.`);
  const uploadsDir = uploadsDirectory();
  const restoreUploads = manifest.uploads.file != null;
  if (restoreUploads && holdsUploads(uploadsDir) && !force) {
    throw new Refusal(`Refusing to restore: the uploads folder ${uploadsDir} already holds files. Use an empty folder (UPLOADS_DIR), or add --force to add the backup's files to it.`);
  }
  if (restoreUploads && uploadProvider().provider !== 'local') {
    console.warn(`Note: UPLOAD_PROVIDER is ${uploadProvider().provider}; the backup's local uploads go to ${uploadsDir} and must be copied to the bucket by hand.`);
  }

  await restoreDatabase(settings, path.join(dir, manifest.database.file));
  console.log(`Database restored (${manifest.database.client}) from ${manifest.database.file}.`);
  if (restoreUploads) {
    const count = await extractUploads(path.join(dir, manifest.uploads.file!), uploadsDir);
    if (count !== (manifest.uploads as { count: number }).count) {
      throw new Error(`The uploads archive holds ${count} files, the manifest says ${(manifest.uploads as { count: number }).count}.`);
    }
    console.log(`${count} uploaded file(s) restored into ${uploadsDir}.`);
  } else {
    console.log((manifest.uploads as { note: string }).note);
  }

  // The restored data, before the app touches it: the same cases and the same last audit event.
  const state = await readState(settings);
  const mismatches: string[] = [];
  if (state.grievances !== manifest.grievances) mismatches.push(`${state.grievances} grievances, the manifest says ${manifest.grievances}`);
  if (!same(state.auditHead, manifest.auditHead)) mismatches.push(`audit chain head ${JSON.stringify(state.auditHead)}, the manifest says ${JSON.stringify(manifest.auditHead)}`);
  if (mismatches.length > 0) throw new Error(`The restored database does not match the backup: ${mismatches.join('; ')}.`);

  // Then the chain itself, with the audit plugin's own verify, anchored at the manifest's head.
  // The app boots with its scheduled jobs and notification dispatch off: a check must not act.
  process.env.CRON_ENABLED = 'false';
  process.env.NOTIFICATIONS_DISPATCH_INTERVAL_MS = '0';
  const { bootStrapi, shutDown } = await import('./strapi-app');
  const strapi = await bootStrapi({ logLevel: 'error' });
  try {
    const result = await strapi.plugin('audit').service('audit').verify(manifest.auditHead ?? undefined);
    if (!result.ok) throw new Error(`The restored audit chain does not verify: ${JSON.stringify(result.brokenAt)}.`);
    console.log(JSON.stringify({ restored: dir, grievances: state.grievances, auditHead: manifest.auditHead, auditEventsChecked: result.checked, ok: true }));
  } finally {
    await shutDown(strapi);
  }
}

main().catch((error) => {
  const refused = error instanceof Refusal;
  console.error(`${refused ? '' : 'Restore failed: '}${error instanceof Error ? (process.env.DEBUG && !refused ? error.stack : error.message) : error}`);
  process.exit(1);
});
