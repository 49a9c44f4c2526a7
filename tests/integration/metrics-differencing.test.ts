/**
 * Public figures cannot be subtracted to reveal a withheld count (docs/public-api.md, "Public
 * figures"): only whole calendar months, quarters and years; within an answer the total minus
 * the shown cells is 0 or at least the threshold; across the periods of a year and between a
 * region and the project, no subtraction isolates a withheld count.
 *
 * The year 2024 of the demo project holds exactly: in March, ten water-supply complaints in the
 * district and one road complaint filed at the province (the case to protect); in April, ten
 * more water-supply complaints in the district.
 */
import { DateTime } from 'luxon';
import { startApp, TestApp } from '../helpers/app';

const T = 5;
const ZONE = 'Asia/Kolkata';
const VICTIM = 'DIST-ROAD-DAMAGE';
let app: TestApp;

const metrics = (query: Record<string, string>) => app.http().get('/api/public-metrics').query({ project: 'DIST', ...query });
const figures = async (query: Record<string, string>) => {
  const res = await metrics(query);
  expect([res.status, res.body.error]).toEqual([200, undefined]);
  return res.body.data;
};

async function file(category: string, region: string, day: string) {
  const res = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category, region, description: 'A complaint for the figures.' } });
  expect(res.status).toBe(201);
  const submittedAt = DateTime.fromISO(`${day}T10:00:00`, { zone: ZONE }).toJSDate();
  await app.strapi.db.query('api::grievance.grievance' as any).update({ where: { trackingCode: res.body.data.trackingCode }, data: { submittedAt } });
}

beforeAll(async () => {
  process.env.RATE_LIMIT_SUBMIT_PER_MINUTE = '1000';
  process.env.RATE_LIMIT_TRACK_PER_MINUTE = '1000';
  app = await startApp({ grievancesPerProject: 0 });
  for (let i = 0; i < 10; i += 1) await file('DIST-WATER-SUPPLY', 'DIST-B1', `2024-03-${String(10 + i).padStart(2, '0')}`);
  await file(VICTIM, 'DIST-P1', '2024-03-01');
  for (let i = 0; i < 10; i += 1) await file('DIST-WATER-SUPPLY', 'DIST-B2', `2024-04-${String(10 + i).padStart(2, '0')}`);
}, 240_000);
afterAll(async () => {
  await app?.stop();
  delete process.env.RATE_LIMIT_SUBMIT_PER_MINUTE;
  delete process.env.RATE_LIMIT_TRACK_PER_MINUTE;
});

it('answers only for whole calendar months, quarters and years', async () => {
  for (const [from, to] of [
    ['2024-03-02', '2024-03-31'],
    ['2024-03-01', '2024-03-30'],
    ['2024-03-01', '2024-04-30'],
    ['2024-02-15', '2024-03-14'],
    ['2023-12-01', '2024-03-31'],
  ]) {
    const res = await metrics({ from, to });
    expect([from, to, res.status, res.body.error?.details?.code]).toEqual([from, to, 400, 'FIXED_PERIOD_REQUIRED']);
  }
  for (const query of [{ from: '2024-03-01' }, { to: '2024-03-31' }]) expect((await metrics(query)).body.error.details.code).toBe('FIXED_PERIOD_REQUIRED');
  for (const period of ['2024-3', '2024-W10', '2024-03-01', '2024-Q0']) expect((await metrics({ period })).body.error.details.code).toBe('VALIDATION');
  // The exact bounds of a period are that period.
  expect((await figures({ from: '2024-03-01', to: '2024-03-31' })).period.label).toBe('2024-03');
  expect((await figures({ from: '2024-01-01', to: '2024-03-31' })).period.label).toBe('2024-Q1');
  expect((await figures({ period: '2024' })).received).toBe(21);
});

it('never lets the total minus the shown cells of an answer give a withheld count away', async () => {
  for (const period of ['2024-03', '2024-Q1', '2024']) {
    const d = await figures({ period });
    expect(d.byCategory.find((c: any) => c.code === VICTIM)?.received).toBeNull();
    for (const [breakdown, rows] of [['byCategory', d.byCategory], ['byRegion', d.byRegion]] as const) {
      if (d.received === null) continue;
      const left = d.received - rows.reduce((s: number, r: any) => s + (r.received ?? 0), 0);
      expect([period, breakdown, left === 0 || left >= T]).toEqual([period, breakdown, true]);
    }
  }
});

it('never lets one period minus others give a withheld count away', async () => {
  const answers = new Map<string, any>();
  for (const period of ['2024', '2024-Q1', '2024-Q2', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']) answers.set(period, await figures({ period }));
  const byKey = (d: any, code: string) => (d.byCategory.find((c: any) => c.code === code) ?? { received: 0 }).received;
  const check = (what: string, parent: number | null, children: Array<number | null>) => {
    if (parent === null) return;
    const left = parent - children.reduce((s: number, v) => s + (v ?? 0), 0);
    const withheld = children.filter((v) => v === null).length;
    // What the parent leaves unexplained is nothing, or at least the threshold spread over two withheld parts or more.
    expect([what, left === 0 || (left >= T && withheld >= 2)]).toEqual([what, true]);
  };
  const months = (q: number) => [1, 2, 3].map((i) => `2024-0${(q - 1) * 3 + i}`);
  for (const code of ['DIST-WATER-SUPPLY', VICTIM]) {
    for (const q of [1, 2]) check(`${code} Q${q}`, byKey(answers.get(`2024-Q${q}`), code), months(q).map((m) => byKey(answers.get(m), code)));
    check(`${code} 2024 by quarter`, byKey(answers.get('2024'), code), [byKey(answers.get('2024-Q1'), code), byKey(answers.get('2024-Q2'), code)]);
  }
  for (const q of [1, 2]) check(`received Q${q}`, answers.get(`2024-Q${q}`).received, months(q).map((m) => answers.get(m).received));
  check('received 2024', answers.get('2024').received, [answers.get('2024-Q1').received, answers.get('2024-Q2').received]);
  // The year's months agree with the months asked for one by one.
  for (const m of answers.get('2024').byMonth.slice(0, 6)) expect([m.month, m.received]).toEqual([m.month, answers.get(m.month).received]);
});

it("gives a region only what the project's figures by region add up to", async () => {
  for (const period of ['2024', '2024-03']) {
    const project = await figures({ period });
    const cell = (code: string) => (project.byRegion.find((r: any) => r.code === code) ?? { received: 0 }).received;
    const district = await figures({ period, region: 'DIST-D1' });
    const province = await figures({ period, region: 'DIST-P1' });
    expect(district.received).toBe(cell('DIST-D1'));
    // The province holds the withheld case filed at province level: its total would give it away.
    expect(province.received).toBeNull();
    for (const d of [district, province]) {
      expect(d.byCategory).toEqual([]);
      expect(d.byLevel).toEqual([]);
      expect([d.acknowledged, d.pending, d.medianDaysToResolve]).toEqual([null, null, null]);
    }
    if (project.received !== null && district.received !== null) {
      const left = project.received - district.received;
      expect(left === 0 || left >= T).toBe(true);
    }
  }
});
