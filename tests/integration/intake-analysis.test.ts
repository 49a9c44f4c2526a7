/**
 * Intake intelligence on every path: priority from the category, its keyword rules and the tone
 * of the description, explained on the case; likely duplicates among recent cases with a score;
 * staff link a duplicate to its original and each complainant keeps their own code.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';

let app: TestApp;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const submit = async (data: object) => {
  const res = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', ...data } });
  expect(res.status).toBe(201);
  return grievances().findOne({ where: { trackingCode: res.body.data.trackingCode } });
};

beforeAll(async () => {
  process.env.RATE_LIMIT_SUBMIT_PER_MINUTE = '1000';
  app = await startApp({ grievancesPerProject: 0 });
  await app.strapi.db.query('api::category.category' as any).updateMany({
    where: { code: 'DIST-WATER-SUPPLY' },
    data: { priorityRules: [{ keywords: ['cholera', 'diarrhoea'], priority: 'urgent' }] },
  });
}, 120_000);
afterAll(async () => {
  await app.stop();
  delete process.env.RATE_LIMIT_SUBMIT_PER_MINUTE;
});

it('raises the priority on a keyword rule and says why', async () => {
  const row = await submit({ description: 'Three children in Belgaon have cholera after drinking from the tap.' });
  expect(row.priority).toBe('urgent');
  expect(row.intakeAnalysis.priorityReasons).toEqual(expect.arrayContaining([expect.stringContaining('Keyword "cholera"')]));
  expect(row.intakeAnalysis.routing).toMatch(/Department "Water/);
});

it('raises the priority one step for a distressed description, in English only', async () => {
  // Road damage starts at normal priority.
  const angry = await submit({ category: 'DIST-ROAD-DAMAGE', description: 'Terrible, disgusting road. We are desperate and angry, nobody helps, horrible.' });
  expect(angry.intakeAnalysis.sentiment).toBeLessThanOrEqual(-6);
  expect(angry.priority).toBe('high');
  const calm = await submit({ category: 'DIST-ROAD-DAMAGE', description: 'The road in ward 2 has a pothole near the bus stop.' });
  expect(calm.priority).toBe('normal');
  const hindi = await submit({ category: 'DIST-ROAD-DAMAGE', description: 'सड़क बहुत खराब है', language: 'hi' });
  expect(hindi.priority).toBe('normal');
  expect(hindi.intakeAnalysis.sentiment).toBeNull();
});

it('shows likely duplicates with a score, and staff can link one to its original', async () => {
  const first = await submit({ description: 'Hand pump near Amarpur primary school broken since Monday, no drinking water.' });
  const second = await submit({ description: 'No drinking water: the hand pump at Amarpur primary school is broken since Monday.' });
  const other = await submit({ description: 'Water tanker never came to the Dharampur temple area.' });
  expect(second.intakeAnalysis.duplicates[0]).toMatchObject({ trackingCode: first.trackingCode, score: expect.any(Number) });
  expect(second.intakeAnalysis.duplicates[0].score).toBeGreaterThan(0.45);
  expect(other.intakeAnalysis.duplicates.map((d: any) => d.trackingCode)).not.toContain(first.trackingCode);

  const head = await cmAs(app, ADMIN_ROLES.headWater);
  const linked = await head.update('api::grievance.grievance', second.documentId, { duplicateOf: { connect: [{ documentId: first.documentId }] } });
  expect(linked.status).toBe(200);
  const row = await grievances().findOne({ where: { id: second.id }, populate: { duplicateOf: true } });
  expect(row.duplicateOf.trackingCode).toBe(first.trackingCode);
  // Each complainant keeps their own code, status page and updates.
  expect(row.trackingCode).not.toBe(first.trackingCode);
  expect((await app.http().get(`/api/grievances/track/${row.trackingCode}`)).status).toBe(200);
});
