/**
 * `npm run bench:sweep`: what the SLA sweep costs, measured (never asserted).
 * - an empty sweep over BENCH_SWEEP_OPEN open cases (default 100,000) none of which is due a check;
 * - a sweep in which BENCH_SWEEP_OVERDUE of them (default 10,000) are overdue and escalate.
 * Uses the configured database; point DATABASE_URL (PostgreSQL) or DATABASE_FILENAME (SQLite)
 * at a scratch database: it seeds demo data and adds cases that can never be deleted.
 */
import { bootStrapi, shutDown } from '../strapi-app';
import { seedDemo, DEFAULT_DEMO_PASSWORD } from '../seed/seed';
import { cloneCase } from './bulk-cases';

const HOUR = 3_600_000;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const strapi = await bootStrapi();
  const open = Number(process.env.BENCH_SWEEP_OPEN ?? 100_000);
  const overdue = Number(process.env.BENCH_SWEEP_OVERDUE ?? 10_000);
  const sweep = (now?: Date) => strapi.plugin('escalation').service('sweep').sweep({ now });
  try {
    await seedDemo(strapi, { grievancesPerProject: 5, password: DEFAULT_DEMO_PASSWORD });
    // Clocks on calendar time so that "overdue" does not depend on the day the bench runs.
    await strapi.db.query('api::sla-level.sla-level' as any).updateMany({ where: {}, data: { calendar: 'calendar' } });
    const head = await strapi.db.query('admin::user').findOne({ where: { email: 'head.water@demo.local' }, populate: { roles: true } });
    const ability = await strapi.service('admin::permission').engine.generateUserAbility(head);
    const category = await strapi.db.query('api::category.category' as any).findOne({ where: { code: 'DIST-WATER-SUPPLY', locale: 'en' }, populate: { project: true } });
    const template = await strapi.documents('api::grievance.grievance' as any).create({
      data: { project: category.project.documentId, category: category.documentId, description: 'No water in the ward since Monday.' },
    } as any);
    await strapi.plugin('cases').service('workflow').transition(head, ability, template.documentId, { action: 'acknowledge', version: 0 });
    // Sweep the seeded cases once so that only the copies are left to measure.
    await sweep();

    const existing = await strapi.db.query('api::grievance.grievance' as any).count({ where: { caseStatus: { $in: ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'] } } });
    const toAdd = Math.max(open - existing, 0);
    let start = process.hrtime.bigint();
    const ids = await cloneCase(strapi, template.documentId, toAdd);
    const insertMs = ms(start);

    start = process.hrtime.bigint();
    const empty = await sweep();
    const emptyMs = ms(start);

    const knex = strapi.db.connection;
    const past = new Date(Date.now() - HOUR);
    const dueIds = ids.slice(0, overdue);
    for (let i = 0; i < dueIds.length; i += 1000) {
      const slice = dueIds.slice(i, i + 1000);
      await knex('grievances')
        .whereIn('id', slice)
        .update(strapi.db.dialect.client === 'postgres' ? { resolve_due_at: past, sla_check_at: past } : { resolve_due_at: past.getTime(), sla_check_at: past.getTime() });
    }
    start = process.hrtime.bigint();
    const busy = await sweep();
    const busyMs = ms(start);
    const rss = process.memoryUsage().rss;

    const rows = [
      ['database', strapi.db.dialect.client],
      ['open cases', String(existing + toAdd)],
      ['bulk insert of copies (ms)', insertMs.toFixed(0)],
      ['empty sweep (ms)', emptyMs.toFixed(1)],
      ['empty sweep checked', String(empty.checked)],
      ['overdue cases', String(dueIds.length)],
      ['sweep with overdue cases (ms)', busyMs.toFixed(0)],
      ['escalated', String(busy.escalated)],
      ['per escalation (ms)', (busyMs / Math.max(busy.escalated, 1)).toFixed(2)],
      ['peak RSS (MB)', (rss / 1048576).toFixed(0)],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(32)} ${v}`);
  } finally {
    await shutDown(strapi);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
