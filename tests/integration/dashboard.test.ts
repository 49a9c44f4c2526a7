/**
 * The dashboard's figures (GET /reports/dashboard): what independent counts say, within the
 * requester's scope; officers are not managers.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 60 });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const dashboard = async (email: string, query: Record<string, string> = {}) =>
  app.http().get('/reports/dashboard').query(query).set('Authorization', `Bearer ${await app.tokenFor(email)}`);

it('gives the project administrator figures that agree with the cases', async () => {
  const res = await dashboard(ADMIN_ROLES.projectAdmin, { from: '2024-01-01' });
  expect(res.status).toBe(200);
  const d = res.body.data;
  const from = new Date(d.period.from);
  const to = new Date(d.period.to);
  const count = (extra: object) => app.strapi.db.query('api::grievance.grievance' as any).count({ where: { project: { code: 'DIST' }, submittedAt: { $gte: from, $lt: to }, ...extra } });
  expect(d.overview.received).toBe(await count({}));
  expect(d.overview.resolved).toBe(await count({ resolvedAt: { $notNull: true } }));
  expect(d.departments.reduce((s: number, x: any) => s + x.received, 0)).toBe(await count({ department: { id: { $notNull: true } } }));
  expect(d.satisfaction.total).toBe(await count({ rating: { $notNull: true } }));
  expect(d.satisfaction.counts.find((c: any) => c.rating === 5).count).toBe(await count({ rating: 5 }));
  expect(d.trends.reduce((s: number, m: any) => s + m.received, 0)).toBe(d.overview.received);
  for (const cell of d.heatmap) expect(cell.breached).toBeLessThanOrEqual(cell.cases);
  expect(d.officers.every((o: any) => typeof o.name === 'string' && o.resolved > 0)).toBe(true);
});

it('limits a department head to their departments, and refuses officers and other projects', async () => {
  const head = await dashboard(ADMIN_ROLES.headWater, { from: '2024-01-01' });
  expect(head.body.data.scope).toBe('departments');
  expect(head.body.data.departments.map((x: any) => x.name)).toEqual(['Water Supply and Sanitation']);
  const officer = await dashboard(ADMIN_ROLES.officerWater);
  expect([officer.status, officer.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const other = await dashboard(ADMIN_ROLES.projectAdmin, { project: 'HWAY' });
  expect([other.status, other.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const bad = await dashboard(ADMIN_ROLES.projectAdmin, { populate: '*' });
  expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
});
