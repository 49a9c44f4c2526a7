/**
 * Applies database/migrations after each schema sync. Strapi runs migrations before the sync,
 * so on a fresh database the tables they index do not exist yet; the migrations are idempotent,
 * so running them again here is safe and makes a fresh install match an upgraded one.
 */
import fs from 'node:fs';
import path from 'node:path';

export function registerIndexMigrations(): void {
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    const dir = path.join(strapi.dirs.app.root, 'database', 'migrations');
    if (!fs.existsSync(dir)) return;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
    const knex = strapi.db.connection;
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const migration = require(path.join(dir, file));
      await migration.up(knex);
    }
  });
}
