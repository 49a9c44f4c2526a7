/** What-if preview of an edited SLA level: which open cases would change, before saving. */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { caseRow, fileCase, workflowAs } from '../helpers/workflow';

let app: TestApp;
const HOUR = 3_600_000;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 2 });
  await app.strapi.db.query('api::grievance.grievance' as any).updateMany({ where: {}, data: { caseStatus: 'closed' } });
});
afterAll(async () => {
  await app.stop();
});

const preview = async (email: string, body: object) =>
  app.http().post('/escalation/sla-levels/preview').set('Authorization', `Bearer ${await app.tokenFor(email)}`).send(body);

it('lists the open cases an edit would put at risk, breach or escalate, and changes nothing', async () => {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
  await (await workflowAs(app, ADMIN_ROLES.headWater)).act(documentId, { action: 'acknowledge', version: 0 });
  const level = await app.strapi.db.query('api::sla-level.sla-level' as any).findOne({ where: { project: { code: 'DIST' }, order: 1 }, populate: { project: true } });
  const asSaved = { project: level.project.documentId, order: 1, acknowledgeWithinHours: 48, resolveWithinHours: 168, remindBeforeHours: 24, calendar: 'business' };

  const unchanged = await preview(ADMIN_ROLES.projectAdmin, asSaved);
  expect(unchanged.status).toBe(200);
  expect(unchanged.body.data).toMatchObject({ checked: 1, affected: 0 });

  // The case started ten hours ago; a one-hour calendar deadline would breach and escalate it.
  await app.strapi.db.query('api::grievance.grievance' as any).update({ where: { documentId }, data: { slaStartedAt: new Date(Date.now() - 10 * HOUR) } });
  const tighter = await preview(ADMIN_ROLES.projectAdmin, { ...asSaved, resolveWithinHours: 1, remindBeforeHours: 0, calendar: 'calendar' });
  expect(tighter.body.data).toMatchObject({ affected: 1, breached: 1, escalated: 1 });
  expect(tighter.body.data.cases[0]).toMatchObject({ documentId, from: { slaState: 'on_track' }, to: { slaState: 'breached', escalate: true } });
  expect(await caseRow(app, documentId)).toMatchObject({ slaState: 'on_track', escalationLevel: 1 });
});

it('is for administrators of the project, and checks its input', async () => {
  const level = await app.strapi.db.query('api::sla-level.sla-level' as any).findOne({ where: { project: { code: 'DIST' }, order: 1 }, populate: { project: true } });
  const draft = { project: level.project.documentId, order: 1, resolveWithinHours: 24, calendar: 'business' };
  expect((await preview(ADMIN_ROLES.officerWater, draft)).body.error.details.code).toBe('NOT_ALLOWED');
  expect((await preview('piu.admin@demo.local', draft)).body.error.details.code).toBe('NOT_ALLOWED');
  const bad = await preview(ADMIN_ROLES.superAdmin, { ...draft, calendar: 'lunar', extra: 1 });
  expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
  const unknown = await preview(ADMIN_ROLES.superAdmin, { ...draft, project: 'abcdefghijklmnopqrstuvwx' });
  expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
});
