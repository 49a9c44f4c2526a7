/**
 * `npm run bench:reports`: what reports and exports cost, measured (never asserted).
 * - a monthly public report (PDF + XLSX) over BENCH_REPORT_CASES cases of one month (default 100,000);
 * - a CSV and an Excel export of all those cases by a super admin.
 * Prints time and the peak resident memory of the process. Use a scratch database
 * (DATABASE_URL / DATABASE_FILENAME): it seeds demo data and adds cases that cannot be deleted.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DateTime } from 'luxon';
import { bootStrapi, shutDown } from '../strapi-app';
import { seedDemo, DEFAULT_DEMO_PASSWORD } from '../seed/seed';
import { cloneCase } from './bulk-cases';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const strapi = await bootStrapi();
  const target = Number(process.env.BENCH_REPORT_CASES ?? 100_000);
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    await seedDemo(strapi, { grievancesPerProject: 5, password: DEFAULT_DEMO_PASSWORD });
    const category = await strapi.db.query('api::category.category' as any).findOne({ where: { code: 'DIST-WATER-SUPPLY', locale: 'en' }, populate: { project: true } });
    const template = await strapi.documents('api::grievance.grievance' as any).create({
      data: { project: category.project.documentId, category: category.documentId, description: 'No water in the ward since Monday.' },
    } as any);
    const existing = await strapi.db.query('api::grievance.grievance' as any).count({});
    let start = process.hrtime.bigint();
    await cloneCase(strapi, template.documentId, Math.max(target - existing, 0));
    const insertMs = ms(start);
    const period = DateTime.now().setZone('Asia/Kolkata').toFormat('yyyy-MM');

    peak = process.memoryUsage().rss;
    start = process.hrtime.bigint();
    await strapi.plugin('reports').service('generator').generate({ kind: 'monthly_public', project: 'DIST', period, by: 'bench' });
    const reportMs = ms(start);
    const reportPeak = peak;

    const admin = await strapi.db.query('admin::user').findOne({ where: { email: 'admin@demo.local' }, populate: { roles: true } });
    const ability = await strapi.service('admin::permission').engine.generateUserAbility(admin);
    const sink = () => new Writable({ write(_chunk, _enc, done) { done(); } });
    const results: Array<[string, string]> = [];
    for (const format of ['csv', 'xlsx'] as const) {
      peak = process.memoryUsage().rss;
      start = process.hrtime.bigint();
      const { body, rows } = await strapi.plugin('reports').service('export').export(ability, format, {});
      await pipeline(body, sink());
      const count = await rows;
      results.push([`export ${format} (${count} rows, ms)`, `${ms(start).toFixed(0)} (peak ${(peak / 1048576).toFixed(0)} MB)`]);
    }
    const total = await strapi.db.query('api::grievance.grievance' as any).count({});
    const table: Array<[string, string]> = [
      ['database', strapi.db.dialect.client],
      ['cases', String(total)],
      ['bulk insert (ms)', insertMs.toFixed(0)],
      ['monthly public report PDF + XLSX (ms)', `${reportMs.toFixed(0)} (peak ${(reportPeak / 1048576).toFixed(0)} MB)`],
      ...results,
    ];
    for (const [k, v] of table) console.log(`${k.padEnd(40)} ${v}`);
  } finally {
    clearInterval(sample);
    await shutDown(strapi);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
