/**
 * In-app alerts lead to their case and say what happened: each alert carries the path of its case
 * in the admin panel, the appeal alert carries the citizen's reason, and the workflow's refusals
 * read as sentences.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { resolvedCitizenCase, workflowAs } from '../helpers/workflow';

let app: TestApp;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const outbox = () => app.strapi.db.query('plugin::notifications.notification' as any);

beforeAll(async () => {
  process.env.RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE = '1000';
  app = await startApp({ grievancesPerProject: 0 });
}, 180_000);
afterAll(async () => {
  await app.stop();
  delete process.env.RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE;
});

async function alertsOf(email: string) {
  const token = await app.tokenFor(email);
  const res = await app.http().get('/notifications/alerts').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  return res.body.data as Array<{ id: number; event: string; subject: string; body: string; trackingCode: string; documentId: string | null; casePath: string | null }>;
}


it('an assignment alert links to its case in the admin panel', async () => {
  const { trackingCode, documentId } = await resolvedCitizenCase(app);
  const alerts = await alertsOf(ADMIN_ROLES.officerWater);
  const assigned = alerts.find((a) => a.event === 'assigned' && a.trackingCode === trackingCode);
  expect(assigned).toMatchObject({
    documentId,
    casePath: `/content-manager/collection-types/api::grievance.grievance/${documentId}`,
  });
});

it("the appeal alert carries the citizen's reason and links to the case", async () => {
  const { trackingCode, caseSecret, documentId } = await resolvedCitizenCase(app);
  const reason = 'The pipe leaks again at the same joint.';
  const res = await app.http().post(`/api/grievances/track/${trackingCode}/appeal`).send({ data: { caseSecret, reason } });
  expect(res.status).toBe(200);

  const row = await grievances().findOne({ where: { documentId } });
  const queued = await outbox().findMany({ where: { grievanceId: row.id, event: 'appeal_received', channel: 'in_app', audience: 'level_for_action' } });
  expect(queued.length).toBeGreaterThan(0);
  for (const alert of queued) {
    expect(alert.text).toBe(`The citizen has appealed the resolution of ${trackingCode}: ${reason}`);
  }
  // Read through the API by the person who must act on it.
  const recipient = await app.strapi.db.query('admin::user').findOne({ where: { id: queued[0].recipientUserId } });
  const seen = (await alertsOf(recipient.email)).find((a) => a.event === 'appeal_received' && a.trackingCode === trackingCode);
  expect(seen).toMatchObject({ body: `The citizen has appealed the resolution of ${trackingCode}: ${reason}`, casePath: `/content-manager/collection-types/api::grievance.grievance/${documentId}` });
  // The same alert by e-mail says the same.
  const mail = await outbox().findOne({ where: { grievanceId: row.id, event: 'appeal_received', channel: 'email', audience: 'level_for_action' } });
  expect(mail.text).toContain(reason);
});

describe('refusals read as sentences', () => {
  it('names the action in plain words when it is not the staff member’s to take', async () => {
    const { documentId } = await resolvedCitizenCase(app);
    const viewer = await workflowAs(app, ADMIN_ROLES.viewer);
    const res = await viewer.act(documentId, { action: 'note', note: 'Looked at it.', version: 4 });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('You may not add a note to this case.');
  });

  it('and when the case is not in a state for it', async () => {
    const { documentId } = await resolvedCitizenCase(app);
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const res = await head.act(documentId, { action: 'approve_transfer', version: 4 });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('You cannot approve the transfer of a case that is resolved.');
  });

  it('counts a one-day appeal window in the singular', async () => {
    const { trackingCode, caseSecret, documentId } = await resolvedCitizenCase(app);
    const row = await grievances().findOne({ where: { documentId }, populate: { project: true } });
    await app.strapi.db.query('api::project.project' as any).updateMany({ where: { documentId: row.project.documentId }, data: { appealWindowDays: 1 } });
    try {
      await app.http().post(`/api/grievances/track/${trackingCode}/accept`).send({ data: { caseSecret } });
      await grievances().update({ where: { documentId }, data: { closedAt: new Date(Date.now() - 3 * 86_400_000) } });
      const refused = await app.http().post(`/api/grievances/track/${trackingCode}/appeal`).send({ data: { caseSecret, reason: 'Still broken.' } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toBe('The appeal window of 1 day has passed.');
    } finally {
      await app.strapi.db.query('api::project.project' as any).updateMany({ where: { documentId: row.project.documentId }, data: { appealWindowDays: 14 } });
    }
  });
});
