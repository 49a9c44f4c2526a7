/**
 * Public figures (GET /api/public-metrics): the KPI module's numbers agree with the cases
 * themselves; sensitive cases never count; small counts are withheld; regions stop at district.
 * Differencing is tested in tests/integration/metrics-differencing.test.ts.
 */
import { DateTime } from 'luxon';
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
  const year = String(DateTime.now().setZone('Asia/Kolkata').year);
  const res = await metrics({ project: 'HWAY', period: year });
  expect(res.status).toBe(200);
  const d = res.body.data;
  expect(d.period).toMatchObject({ label: year, timeZone: 'Asia/Kolkata' });
  const start = DateTime.fromObject({ year: Number(year), month: 1, day: 1 }, { zone: 'Asia/Kolkata' });
  const where = { project: { code: 'HWAY' }, sensitive: false, submittedAt: { $gte: start.toJSDate(), $lt: start.plus({ years: 1 }).toJSDate() } };
  const count = (extra: object) => grievances().count({ where: { ...where, ...extra } });
  expect(d.received).toBe(await count({}));
  // The other counts are shown, or withheld when showing them would give a small one away.
  const shownOrWithheld = async (value: number | null, extra: object) => {
    if (value !== null) expect(value).toBe(await count(extra));
  };
  await shownOrWithheld(d.resolved, { resolvedAt: { $notNull: true } });
  await shownOrWithheld(d.closed, { caseStatus: 'closed' });
  await shownOrWithheld(d.pending, { caseStatus: { $in: ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'] } });
  await shownOrWithheld(d.escalated, { escalationLevel: { $gt: 1 } });
  expect(await grievances().count({ where: { project: { code: 'HWAY' }, sensitive: true } })).toBeGreaterThan(0);
  expect(d.byCategory.map((c: any) => c.code)).not.toContain('HWAY-GBV-SEA');
  const sum = d.byMonth.reduce((s: number, m: any) => s + (m.received ?? 0), 0);
  expect(sum).toBeLessThanOrEqual(d.received);
  expect(d.byMonth.map((m: any) => m.month)).toEqual(Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`));
  expect(d.medianDaysToResolve).toBeGreaterThan(0);
  expect(d.resolutionCompliance).toBeGreaterThanOrEqual(0);
});

it('withholds counts below the project threshold and shows regions only down to district', async () => {
  const res = await metrics({ project: 'DIST' });
  const { data, meta } = res.body;
  const rows = [...data.byCategory, ...data.byMonth, ...data.byRegion];
  const small = rows.flatMap((r: any) => [r.received, r.resolved]).filter((v: any) => v !== null);
  expect(small.every((v: number) => v === 0 || v >= meta.smallCountThreshold)).toBe(true);
  const counts = ['received', 'acknowledged', 'resolved', 'closed', 'pending', 'escalated', 'referred'].map((k) => data[k]);
  expect(meta.suppressed).toBe([...rows.flatMap((r: any) => [r.received, r.resolved]), ...data.byLevel.map((l: any) => l.cases), ...counts].some((v) => v === null));
  expect(data.byRegion.length).toBeGreaterThan(0);
  expect(data.byRegion.every((r: any) => r.level <= 2)).toBe(true);
  expect(JSON.stringify(res.body)).not.toMatch(/citizen|trackingCode|DIST-\d{8}/);
});

it("gives a region what the project's figures by region add up to", async () => {
  const all = (await metrics({ project: 'DIST' })).body.data;
  const res = await metrics({ project: 'DIST', region: 'DIST-D1' });
  expect(res.status).toBe(200);
  const district = res.body.data;
  const cell = all.byRegion.find((r: any) => r.code === 'DIST-D1');
  expect(district.received).toBe(cell ? cell.received : 0);
  expect(district.byRegion.map((r: any) => r.code)).toEqual(cell ? ['DIST-D1'] : []);
  expect(res.body.meta.region).toBe('DIST-D1');
  const village = await metrics({ project: 'DIST', region: 'DIST-B1-V1' });
  expect([village.status, village.body.error.details.code]).toEqual([400, 'VALIDATION']);
});

it('refuses bad parameters and unknown projects with stable codes', async () => {
  expect((await metrics({})).body.error.details.code).toBe('VALIDATION');
  expect((await metrics({ project: 'DIST', from: 'last week', to: '2026-01-31' })).body.error.details.code).toBe('VALIDATION');
  expect((await metrics({ project: 'DIST', period: 'last year' })).body.error.details.code).toBe('VALIDATION');
  expect((await metrics({ project: 'DIST', from: '1990-01-01' })).body.error.details.code).toBe('FIXED_PERIOD_REQUIRED');
  expect((await metrics({ project: 'DIST', 'filters[citizenPhone][$notNull]': 'true' })).body.error.details.code).toBe('VALIDATION');
  const unknown = await metrics({ project: 'NOPE' });
  expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
});
