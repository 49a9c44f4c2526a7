/**
 * Public figures (GET /api/public-metrics): the KPI module's numbers agree with the cases
 * themselves; sensitive cases never count; small counts are withheld; regions stop at district.
 */
import { startApp, TestApp } from '../helpers/app';

let app: TestApp;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 60 });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const metrics = (query: Record<string, string>) => app.http().get('/api/public-metrics').query(query);

it('counts what the cases say, without the sensitive ones', async () => {
  const res = await metrics({ project: 'HWAY', from: '2024-01-01' });
  expect(res.status).toBe(200);
  const d = res.body.data;
  const where = { project: { code: 'HWAY' }, sensitive: false };
  const count = (extra: object) => grievances().count({ where: { ...where, ...extra } });
  expect(d.received).toBe(await count({}));
  expect(d.resolved).toBe(await count({ resolvedAt: { $notNull: true } }));
  expect(d.closed).toBe(await count({ caseStatus: 'closed' }));
  expect(d.pending).toBe(await count({ caseStatus: { $in: ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'] } }));
  expect(d.escalated).toBe(await count({ escalationLevel: { $gt: 1 } }));
  expect(await grievances().count({ where: { project: { code: 'HWAY' }, sensitive: true } })).toBeGreaterThan(0);
  expect(d.byCategory.map((c: any) => c.code)).not.toContain('HWAY-GBV-SEA');
  const sum = d.byMonth.reduce((s: number, m: any) => s + (m.received ?? 0), 0);
  expect(sum).toBeLessThanOrEqual(d.received);
  expect(d.medianDaysToResolve).toBeGreaterThan(0);
  expect(d.resolutionCompliance).toBeGreaterThanOrEqual(0);
});

it('withholds counts below the project threshold and shows regions only down to district', async () => {
  const res = await metrics({ project: 'DIST', from: '2024-01-01' });
  const { data, meta } = res.body;
  const small = [...data.byCategory, ...data.byMonth].flatMap((r: any) => [r.received, r.resolved]).filter((v: any) => v !== null);
  expect(small.every((v: number) => v === 0 || v >= meta.smallCountThreshold)).toBe(true);
  expect(meta.suppressed).toBe([...data.byCategory, ...data.byMonth, ...data.byRegion].some((r: any) => r.received === null || r.resolved === null));
  expect(data.byRegion.length).toBeGreaterThan(0);
  expect(data.byRegion.every((r: any) => r.level <= 2)).toBe(true);
  expect(JSON.stringify(res.body)).not.toMatch(/citizen|trackingCode|DIST-\d{8}/);
});

it('limits figures to a region and its sub-regions', async () => {
  const all = (await metrics({ project: 'DIST', from: '2024-01-01' })).body.data;
  const district = (await metrics({ project: 'DIST', from: '2024-01-01', region: 'DIST-D1' })).body.data;
  expect(district.received).toBeLessThanOrEqual(all.received);
  const village = await metrics({ project: 'DIST', region: 'DIST-B1-V1' });
  expect([village.status, village.body.error.details.code]).toEqual([400, 'VALIDATION']);
});

it('refuses bad parameters and unknown projects with stable codes', async () => {
  expect((await metrics({})).body.error.details.code).toBe('VALIDATION');
  expect((await metrics({ project: 'DIST', from: 'last week' })).body.error.details.code).toBe('VALIDATION');
  expect((await metrics({ project: 'DIST', from: '1990-01-01' })).body.error.details.code).toBe('VALIDATION');
  expect((await metrics({ project: 'DIST', 'filters[citizenPhone][$notNull]': 'true' })).body.error.details.code).toBe('VALIDATION');
  const unknown = await metrics({ project: 'NOPE' });
  expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
});
