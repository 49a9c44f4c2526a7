/**
 * The citizen's actions on their case with its secret: feedback, accept, appeal within the
 * window; a wrong secret is refused and attempts on a case are limited.
 */
import { startApp, TestApp } from '../helpers/app';
import { resolvedCitizenCase } from '../helpers/workflow';

let app: TestApp;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const post = (code: string, action: string, data: object) => app.http().post(`/api/grievances/track/${code}/${action}`).send({ data });

beforeAll(async () => {
  // The per-address limit out of the way, so the per-case limit is what this suite meets.
  process.env.RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE = '1000';
  // Requests name their client address in X-Forwarded-For (one trusted proxy hop).
  process.env.TRUSTED_PROXY_HOPS = '1';
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);
afterAll(async () => {
  await app.stop();
  delete process.env.RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE;
  delete process.env.TRUSTED_PROXY_HOPS;
});


it('takes feedback once, with the secret, after resolution', async () => {
  const { trackingCode, caseSecret, documentId } = await resolvedCitizenCase(app);
  const wrong = await post(trackingCode, 'feedback', { caseSecret: 'not-the-secret', rating: 1 });
  expect([wrong.status, wrong.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const bad = await post(trackingCode, 'feedback', { caseSecret, rating: 7 });
  expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
  const ok = await post(trackingCode, 'feedback', { caseSecret, rating: 4, comment: 'Quick <b>fix</b>, thanks.' });
  expect([ok.status, ok.body.data]).toEqual([200, { rating: 4 }]);
  const again = await post(trackingCode, 'feedback', { caseSecret, rating: 5 });
  expect([again.status, again.body.error.details.code]).toEqual([409, 'ALREADY_RATED']);
  const row = await grievances().findOne({ where: { documentId }, populate: { events: true } });
  expect(row).toMatchObject({ rating: 4, feedback: 'Quick <b>fix</b>, thanks.' });
  expect(row.events.find((e: any) => e.action === 'feedback')).toMatchObject({ actorType: 'citizen', data: { rating: 4 } });
});

it('lets the citizen accept a resolution, which closes the case', async () => {
  const { trackingCode, caseSecret, documentId } = await resolvedCitizenCase(app);
  const res = await post(trackingCode, 'accept', { caseSecret });
  expect([res.status, res.body.data.status]).toEqual([200, 'closed']);
  const row = await grievances().findOne({ where: { documentId }, populate: { events: true } });
  expect(row.events.find((e: any) => e.action === 'accept')).toMatchObject({ actorType: 'citizen', toStatus: 'closed' });
});

it('takes an appeal with a reason within the window, and refuses it after', async () => {
  const { trackingCode, caseSecret, documentId } = await resolvedCitizenCase(app);
  const noReason = await post(trackingCode, 'appeal', { caseSecret });
  expect(noReason.body.error.details.code).toBe('VALIDATION');
  const res = await post(trackingCode, 'appeal', { caseSecret, reason: 'The pipe leaks again.' });
  expect(res.body.data).toEqual({ status: 'escalated', escalationLevel: 2 });

  const late = await resolvedCitizenCase(app);
  await post(late.trackingCode, 'accept', { caseSecret: late.caseSecret });
  await grievances().update({ where: { documentId: late.documentId }, data: { closedAt: new Date(Date.now() - 30 * 86_400_000) } });
  const refused = await post(late.trackingCode, 'appeal', { caseSecret: late.caseSecret, reason: 'Still broken.' });
  expect([refused.status, refused.body.error.details.code]).toEqual([422, 'ILLEGAL_TRANSITION']);
  expect(refused.body.error.message).toMatch(/appeal window/);
  expect((await grievances().findOne({ where: { documentId } })).caseStatus).toBe('escalated');
});

it('refuses feedback before resolution', async () => {
  const res = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Low pressure.' } });
  const refused = await post(res.body.data.trackingCode, 'feedback', { caseSecret: res.body.data.caseSecret, rating: 3 });
  expect([refused.status, refused.body.error.details.code]).toEqual([422, 'ILLEGAL_TRANSITION']);
});

it('limits guessing from one address, without locking the citizen out', async () => {
  const { trackingCode, caseSecret } = await resolvedCitizenCase(app);
  const guess = (i: number) => `Guess-number-${String(i).padStart(11, '0')}`;
  const statuses: number[] = [];
  for (let i = 0; i < 10; i += 1) statuses.push((await post(trackingCode, 'accept', { caseSecret: guess(i) })).status);
  expect(statuses).toEqual(Array(10).fill(403));
  const blocked = await post(trackingCode, 'accept', { caseSecret: guess(10) });
  expect([blocked.status, blocked.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  // From another address the citizen's secret still works (tests/integration/lockout-resistance.test.ts).
  const accepted = await app.http().post(`/api/grievances/track/${trackingCode}/accept`).set('X-Forwarded-For', '198.51.100.77').send({ data: { caseSecret } });
  expect([accepted.status, accepted.body.data?.status]).toEqual([200, 'closed']);
});
