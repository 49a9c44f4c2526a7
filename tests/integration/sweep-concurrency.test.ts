/**
 * Several sweepers at once (as several application instances would run the cron) against
 * 2,000 overdue cases: each case escalates exactly once. On PostgreSQL the sweepers use
 * separate pooled connections and the advisory lock; on SQLite they interleave on one
 * connection and the conditional, versioned updates alone keep them apart.
 */
import { startApp, TestApp, ADMIN_ROLES } from '../helpers/app';
import { cloneCase } from '../../scripts/bench/bulk-cases';
import { fileCase, workflowAs } from '../helpers/workflow';

const CASES = 2_000;
const HOUR = 3_600_000;
let app: TestApp;

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 0 });
  await app.strapi.db.query('api::sla-level.sla-level' as any).updateMany({ where: {}, data: { calendar: 'calendar' } });
}, 120_000);
afterAll(async () => {
  await app.stop();
});

it(`three sweepers at once escalate each of ${CASES} overdue cases exactly once`, async () => {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
  await (await workflowAs(app, ADMIN_ROLES.headWater)).act(documentId, { action: 'acknowledge', version: 0 });
  const grievances = app.strapi.db.query('api::grievance.grievance' as any);
  await grievances.update({
    where: { documentId },
    data: { resolveDueAt: new Date(Date.now() - HOUR), acknowledgeDueAt: null, slaCheckAt: new Date(Date.now() - HOUR) },
  });
  const ids = [(await grievances.findOne({ where: { documentId } })).id, ...(await cloneCase(app.strapi, documentId, CASES - 1))];

  const results = await Promise.all([0, 1, 2].map(() => app.strapi.plugin('escalation').service('sweep').sweep({ batchSize: 100 })));

  expect(results.reduce((sum: number, r: any) => sum + r.escalated, 0)).toBe(CASES);
  const levels = await grievances.findMany({ where: { id: { $in: ids } }, select: ['escalationLevel', 'caseStatus'] });
  expect(levels.filter((r: any) => r.escalationLevel === 2 && r.caseStatus === 'escalated')).toHaveLength(CASES);
  const escalations = await app.strapi.db.connection('grievance_events').where({ action: 'escalate' }).count({ n: '*' });
  expect(Number(escalations[0].n)).toBe(CASES);
  // The audit trail saw each escalation once and still verifies.
  const audit = await app.strapi.plugin('audit').service('audit').verify();
  expect(audit.ok).toBe(true);
}, 600_000);
