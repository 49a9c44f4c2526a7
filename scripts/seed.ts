/**
 * `npm run seed`: loads the demo data into the configured database (idempotent).
 * GRIEVANCES_PER_PROJECT sets the volume (default 260 per project, 520 in all).
 */
import { bootStrapi, shutDown } from './strapi-app';
import { assertSeedAllowed, seedDemo } from './seed/seed';

async function main() {
  const password = assertSeedAllowed(process.env);
  const strapi = await bootStrapi();
  try {
    const started = Date.now();
    const summary = await seedDemo(strapi, {
      grievancesPerProject: Number(process.env.GRIEVANCES_PER_PROJECT ?? 260),
      password,
      log: (line) => strapi.log.debug(line),
    });
    console.log(
      `Seeded ${summary.projects} projects, ${summary.staff.length} staff accounts, ` +
        `${summary.grievancesCreated} new grievances (${summary.grievancesTotal} in all) in ${((Date.now() - started) / 1000).toFixed(1)} s.`
    );
  } finally {
    await shutDown(strapi);
  }
}

main().catch((error) => {
  console.error(process.env.DEBUG ? error : error instanceof Error ? error.message : error);
  process.exit(1);
});
