/**
 * Applies database/migrations after each schema sync. Strapi runs migrations before the sync,
 * so on a fresh database the tables they index do not exist yet; the migrations are idempotent,
 * so running them again here is safe and makes a fresh install match an upgraded one.
 *
 * Instances started together (a deployment, or every instance coming back after an outage) would
 * run the same DDL at once, and PostgreSQL refuses concurrent `CREATE OR REPLACE FUNCTION` on one
 * function ("tuple concurrently updated"): the instance exits. An advisory lock makes them take
 * turns; it is held by a session, so an instance that dies holding it frees it.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The key of the PostgreSQL advisory lock held while one instance applies the migrations. */
const MIGRATIONS_LOCK_KEY = 7_740_313;

async function oneInstanceAtATime(work: () => Promise<void>): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return work();
  const client = (strapi.db.connection as any).client;
  const connection = await client.acquireConnection();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    try {
      await work();
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

export function registerIndexMigrations(): void {
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    const dir = path.join(strapi.dirs.app.root, 'database', 'migrations');
    if (!fs.existsSync(dir)) return;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
    const knex = strapi.db.connection;
    await oneInstanceAtATime(async () => {
      for (const file of files) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const migration = require(path.join(dir, file));
        await migration.up(knex);
      }
    });
  });
}
