/**
 * SLA statistics (GET /escalation/statistics): compliance rates, at-risk and breached now, and
 * escalations per level and month, each case counted by one definition, within the caller's scope.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { fileCase, userId, workflowAs } from '../helpers/workflow';

const HOUR = 3_600_000;
let app: TestApp;
let dist: string;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const setDue = (documentId: string, data: Record<string, unknown>) => grievances().update({ where: { documentId }, data });
const stats = async (email: string, query: Record<string, string>) =>
  app.http().get('/escalation/statistics').query(query).set('Authorization', `Bearer ${await app.tokenFor(email)}`);

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 0 });
  dist = (await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } })).documentId;
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
  const officerId = await userId(app, ADMIN_ROLES.officerWater);

  // 1. acknowledged in time, resolved in time.
  const onTime = await fileCase(app, 'DIST-WATER-SUPPLY');
  await head.act(onTime, { action: 'acknowledge', version: 0 });
  await head.act(onTime, { action: 'assign', version: 1, assignee: officerId });
  await officer.act(onTime, { action: 'start', version: 2 });
  await officer.act(onTime, { action: 'resolve', version: 3, resolution: 'Pipe repaired.' });
  // 2. acknowledged late, then escalated by the head of department.
  const late = await fileCase(app, 'DIST-WATER-SUPPLY');
  await setDue(late, { acknowledgeDueAt: new Date(Date.now() - HOUR) });
  await head.act(late, { action: 'acknowledge', version: 0 });
  await head.act(late, { action: 'escalate', version: 1, note: 'Needs the collector.' });
  // 3. never acknowledged, past its deadline: late, and breached now.
  const ignored = await fileCase(app, 'DIST-WATER-SUPPLY');
  await setDue(ignored, { acknowledgeDueAt: new Date(Date.now() - HOUR), slaState: 'breached' });
  // 4. a roads case at risk: outside the water officer's scope.
  const roads = await fileCase(app, 'DIST-ROAD-DAMAGE');
  await setDue(roads, { slaState: 'at_risk' });
}, 120_000);
afterAll(async () => {
  await app.stop();
});

it('gives the project administrator compliance, current risk and escalations for the project', async () => {
  const res = await stats(ADMIN_ROLES.projectAdmin, { project: dist });
  expect(res.status).toBe(200);
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  expect(res.body.data).toMatchObject({
    acknowledgement: { onTime: 1, late: 2, compliance: 0.333 },
    // The never-acknowledged case is overdue now, so it can no longer be resolved on time: late
    // (docs/reports.md#definitions), whether or not the sweep has stamped its breach yet.
    resolution: { onTime: 1, late: 1, compliance: 0.5 },
    now: { atRisk: 1, breached: 1 },
    escalations: [{ month, level: 2, count: 1 }],
  });
});

it("limits an officer to their own departments' cases", async () => {
  const res = await stats(ADMIN_ROLES.officerWater, {});
  expect(res.status).toBe(200);
  expect(res.body.data.now).toEqual({ atRisk: 0, breached: 1 });
});

it('refuses a project outside the scope and bad parameters, with stable codes', async () => {
  const hway = (await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'HWAY', locale: 'en' } })).documentId;
  const outside = await stats(ADMIN_ROLES.projectAdmin, { project: hway });
  expect([outside.status, outside.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const bad = await stats(ADMIN_ROLES.projectAdmin, { from: 'yesterday' });
  expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
  const unknown = await stats(ADMIN_ROLES.projectAdmin, { populate: '*' });
  expect([unknown.status, unknown.body.error.details.code]).toEqual([400, 'VALIDATION']);
});
