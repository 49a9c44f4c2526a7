/**
 * Removes stored files that nothing uses (docs/security.md#files): a citizen's upload never sent
 * with a complaint, a media-library upload never attached, a file detached from its case. Such a
 * file is somebody's photo or document kept for no purpose. A file is an orphan when no record
 * links it (the upload plugin's link table covers every media field: case attachments,
 * resolution documents, report files) and it is older than UPLOAD_ORPHAN_MAX_AGE_HOURS, which
 * must stay above the day a citizen's upload reference is valid.
 *
 * Safe with several instances and to run twice: the schedule runs it on one instance per
 * occurrence, each file is checked again just before it goes, and removing a removed file is a
 * no-op.
 */
import { columnOf, tableOf } from './tables';
import { fileSettings } from './stored-files';

const FILE = 'plugin::upload.file';
const BATCH = 200;

function linkTable(): { table: string; fileColumn: string } {
  const join = (strapi.db.metadata.get(FILE as any).attributes as any).related.joinTable;
  return { table: join.name, fileColumn: join.joinColumn.name };
}

async function orphanIds(cutoff: Date, limit: number, ids?: number[]): Promise<number[]> {
  const knex = strapi.db.connection;
  const files = tableOf(FILE);
  const { table, fileColumn } = linkTable();
  const query = knex(files)
    .select(`${files}.id`)
    .where(`${files}.${columnOf(FILE, 'createdAt')}`, '<', cutoff)
    .whereNotExists(knex(table).select(knex.raw('1')).whereRaw('??.?? = ??.id', [table, fileColumn, files]))
    .orderBy(`${files}.id`)
    .limit(limit);
  if (ids) query.whereIn(`${files}.id`, ids);
  return (await query).map((row: { id: number }) => Number(row.id));
}

/** Removes orphans (files and their image formats, in storage and database); the count removed. */
export async function removeOrphanFiles(now = Date.now()): Promise<{ removed: number }> {
  const cutoff = new Date(now - fileSettings().orphanMaxAgeHours * 3_600_000);
  const upload = strapi.plugin('upload').service('upload');
  let removed = 0;
  for (;;) {
    const batch = await orphanIds(cutoff, BATCH);
    if (batch.length === 0) break;
    for (const id of batch) {
      // Linked meanwhile (a staff member attaching an old media-library file): keep it.
      if ((await orphanIds(cutoff, 1, [id])).length === 0) continue;
      const file = await strapi.db.query(FILE).findOne({ where: { id } });
      if (!file) continue;
      await upload.remove(file);
      removed += 1;
    }
    if (batch.length < BATCH) break;
  }
  return { removed };
}
