/**
 * The SLA sweep with time injected: at risk, breach and escalation up the ladder, the top level,
 * auto-close, idempotence, and several sweepers at once moving each case exactly once.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

let app: TestApp;
const HOUR = 3_600_000;
const sweep = (now?: Date) => app.strapi.plugin('escalation').service('sweep').sweep({ now });
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 2 });
  // Seeded history is not what these tests are about: close the books on it.
  await grievances().updateMany({ where: {}, data: { caseStatus: 'closed' } });
  // Calendar time makes "80 % used" mean the same on any day of the week; business time is
  // covered by the clock's unit tests and deadlines.test.ts.
  await app.strapi.db.query('api::sla-level.sla-level' as any).updateMany({ where: {}, data: { calendar: 'calendar' } });
});
afterAll(async () => {
  await app.stop();
});

/** A Water case acknowledged and assigned, with its resolve clock started `hoursAgo` and due in `dueInHours`. */
async function runningCase(hoursAgo: number, dueInHours: number) {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
  const now = Date.now();
  await grievances().update({
    where: { documentId },
    data: { slaStartedAt: new Date(now - hoursAgo * HOUR), resolveDueAt: new Date(now + dueInHours * HOUR), acknowledgeDueAt: null },
  });
  return documentId;
}

it('marks a case at risk once 75 % of its time is used, and records the change once', async () => {
  const documentId = await runningCase(80, 20); // 80 % used
  const first = await sweep();
  expect(first).toMatchObject({ ran: true, stateChanges: 1, escalated: 0 });
  expect((await caseRow(app, documentId)).slaState).toBe('at_risk');
  const again = await sweep();
  expect(again.stateChanges).toBe(0);
  const changes = (await caseRow(app, documentId)).events.filter((e: any) => e.type === 'sla_change');
  expect(changes.map((e: any) => e.data)).toEqual([{ from: 'on_track', to: 'at_risk', level: 1 }]);
});

it('escalates a breached case one level, with fresh deadlines, and only once', async () => {
  const documentId = await runningCase(200, -2); // two hours late
  const result = await sweep();
  expect(result.escalated).toBe(1);
  const row = await caseRow(app, documentId);
  expect(row).toMatchObject({ caseStatus: 'escalated', escalationLevel: 2, slaState: 'on_track' });
  expect(Date.parse(row.resolveDueAt)).toBeGreaterThan(Date.now());
  const escalation = row.events.find((e: any) => e.action === 'escalate');
  expect(escalation).toMatchObject({ actorType: 'system', actorLabel: 'SLA sweep' });
  expect((await sweep()).escalated).toBe(0);
});

it('walks a case up to the top level, where it stays breached', async () => {
  const documentId = await runningCase(200, -1);
  for (const level of [2, 3]) {
    await sweep();
    expect((await caseRow(app, documentId)).escalationLevel).toBe(level);
    await grievances().update({ where: { documentId }, data: { resolveDueAt: new Date(Date.now() - HOUR), acknowledgeDueAt: null } });
  }
  const atTop = await sweep();
  expect(atTop.escalated).toBe(0);
  expect(await caseRow(app, documentId)).toMatchObject({ escalationLevel: 3, slaState: 'breached' });
});

it('leaves cases alone when the project has auto-escalation off', async () => {
  const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
  await app.strapi.documents('api::project.project' as any).update({ documentId: project.documentId, locale: 'en', data: { autoEscalation: false } } as any);
  const documentId = await runningCase(200, -1);
  await sweep();
  expect(await caseRow(app, documentId)).toMatchObject({ escalationLevel: 1, slaState: 'breached' });
  await app.strapi.documents('api::project.project' as any).update({ documentId: project.documentId, locale: 'en', data: { autoEscalation: true } } as any);
});

it("auto-closes a resolved case after the project's auto-close days, not before", async () => {
  const documentId = await runningCase(1, 100);
  const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
  await officer.act(documentId, { action: 'start', version: 2 });
  await officer.act(documentId, { action: 'resolve', version: 3, resolution: 'Fixed.' });
  expect((await sweep(new Date(Date.now() + 6 * 24 * HOUR))).autoClosed).toBe(0);
  expect((await sweep(new Date(Date.now() + 7 * 24 * HOUR + HOUR))).autoClosed).toBe(1);
  const row = await caseRow(app, documentId);
  expect(row.caseStatus).toBe('closed');
  expect(row.events.find((e: any) => e.action === 'auto_close')).toMatchObject({ actorType: 'system' });
});

it('three sweepers at once move each overdue case exactly once', async () => {
  const cases = [];
  for (let i = 0; i < 30; i += 1) cases.push(await runningCase(200, -1));
  const results = await Promise.all([sweep(), sweep(), sweep()]);
  expect(results.reduce((sum: number, r: any) => sum + r.escalated, 0)).toBe(30);
  for (const documentId of cases) {
    const row = await caseRow(app, documentId);
    expect(row.escalationLevel).toBe(2);
    expect(row.events.filter((e: any) => e.action === 'escalate')).toHaveLength(1);
  }
});

it('POST /escalation/sweep runs a sweep for administrators only', async () => {
  const adminToken = await app.tokenFor(ADMIN_ROLES.superAdmin);
  const ok = await app.http().post('/escalation/sweep').set('Authorization', `Bearer ${adminToken}`);
  expect(ok.status).toBe(200);
  expect(ok.body.data).toMatchObject({ ran: true, checked: expect.any(Number) });
  const officerToken = await app.tokenFor(ADMIN_ROLES.officerWater);
  const refused = await app.http().post('/escalation/sweep').set('Authorization', `Bearer ${officerToken}`);
  expect([refused.status, refused.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
});
