/**
 * Custom staff reports (POST /reports/generate with kind custom): any range of days and filters, inside the
 * requester's scope; the figures agree with the dashboard and with independent counts; both
 * files are archived as an internal report (a new version on each run), audited, and never
 * listed publicly.
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { asBuffer } from '../helpers/binary';

let app: TestApp;
const ZONE = 'Asia/Kolkata';
const today = DateTime.now().setZone(ZONE).toISODate()!;

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 60 });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const as = async (email: string) => {
  const token = await app.tokenFor(email);
  return {
    custom: (body: object) => app.http().post('/reports/generate').set('Authorization', `Bearer ${token}`).send({ kind: 'custom', ...body }),
    dashboard: (query: Record<string, string>) => app.http().get('/reports/dashboard').query(query).set('Authorization', `Bearer ${token}`),
  };
};
const count = (where: object) => app.strapi.db.query('api::grievance.grievance' as any).count({ where });
const download = async (url: string) => (await app.http().get(url).buffer(true).parse(asBuffer)).body as Buffer;
const workbookOf = async (url: string) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await download(url)) as any);
  return workbook;
};
const summaryValue = (workbook: ExcelJS.Workbook, label: string) => {
  const summary = workbook.getWorksheet('Summary')!;
  return summary.getRow(summary.getColumn(1).values.findIndex((v) => v === label)).getCell(2).value;
};

it('gives a project administrator the dashboard’s figures for any range, as PDF and Excel', async () => {
  const admin = await as(ADMIN_ROLES.projectAdmin);
  const res = await admin.custom({ project: 'DIST', from: '2024-01-01', to: today });
  expect(res.status).toBe(201);
  const dashboard = await admin.dashboard({ project: 'DIST', from: '2024-01-01', to: today });
  expect(res.body.data.figures).toEqual(dashboard.body.data.overview);
  expect(res.body.data).toMatchObject({ kind: 'custom', period: `2024-01-01…${today}`, version: 1, recipients: 0 });

  expect((await download(res.body.data.pdf)).subarray(0, 5).toString()).toBe('%PDF-');
  const workbook = await workbookOf(res.body.data.xlsx);
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'By category', 'By department', 'By priority', 'By area', 'By month', 'Escalated by level']);
  expect(summaryValue(workbook, 'Received')).toBe(res.body.data.figures.received);
  const byPriority = workbook.getWorksheet('By priority')!;
  const rows = byPriority.getSheetValues().slice(2).map((r: any) => ({ name: r[1], received: r[2] }));
  expect(rows.reduce((n, r) => n + r.received, 0)).toBe(res.body.data.figures.received);
  const from = DateTime.fromISO('2024-01-01', { zone: ZONE }).toJSDate();
  const urgent = await count({ project: { code: 'DIST' }, priority: 'urgent', submittedAt: { $gte: from } });
  expect(rows.find((r) => r.name === 'Urgent')?.received ?? 0).toBe(urgent);

  // Archived for staff only; each run is a new version; audited with its filters.
  const again = await admin.custom({ project: 'DIST', from: '2024-01-01', to: today });
  expect(again.body.data.version).toBe(2);
  const entry = await app.strapi.db.query('plugin::reports.report' as any).findOne({ where: { documentId: again.body.data.documentId } });
  expect(entry).toMatchObject({ kind: 'custom', public: false, periodLabel: `2024-01-01…${today}` });
  const archive = await app.http().get('/api/public-reports').query({ project: 'DIST' });
  expect(archive.body.data.filter((r: any) => r.kind === 'custom')).toEqual([]);
  const audit = await app.strapi.db.query('plugin::audit.audit-event' as any).findOne({ where: { action: 'report.generated', entityId: again.body.data.documentId } });
  expect(audit.diff).toMatchObject({ kind: 'custom', version: 2, filters: {}, scope: 'project' });
});

it('filters by department, category, area, priority and channel, and the counts agree', async () => {
  const admin = await as(ADMIN_ROLES.projectAdmin);
  const from = DateTime.fromISO('2024-01-01', { zone: ZONE }).toJSDate();
  const base = { project: { code: 'DIST' }, submittedAt: { $gte: from } };

  const water = await admin.custom({ project: 'DIST', from: '2024-01-01', to: today, department: 'water', priority: 'normal' });
  expect(water.status).toBe(201);
  expect(water.body.data.figures.received).toBe(await count({ ...base, department: { code: 'WATER' }, priority: 'normal' }));
  expect(water.body.data.filters).toEqual({ department: 'WATER', priority: 'normal' });
  const workbook = await workbookOf(water.body.data.xlsx);
  const notes = workbook.getWorksheet('Summary')!.getColumn(1).values;
  expect(notes).toEqual(expect.arrayContaining(['Department: Water Supply and Sanitation', 'Priority: Normal']));

  const category = await admin.custom({ project: 'DIST', from: '2024-01-01', to: today, category: 'DIST-WATER-SUPPLY', channel: 'web' });
  expect(category.body.data.figures.received).toBe(await count({ ...base, category: { code: 'DIST-WATER-SUPPLY' }, channel: 'web' }));

  // An area counts the cases in it and everywhere below it.
  const block = await app.strapi.db.query('api::region.region' as any).findOne({ where: { code: 'DIST-B1', locale: 'en' } });
  const below = await app.strapi.db.query('api::region.region' as any).findMany({ where: { locale: 'en', $or: [{ id: block.id }, { parent: { id: block.id } }] }, select: ['documentId'] });
  const area = await admin.custom({ project: 'DIST', from: '2024-01-01', to: today, region: 'DIST-B1' });
  expect(area.body.data.figures.received).toBe(await count({ ...base, region: { documentId: { $in: below.map((r: any) => r.documentId) } } }));
  expect(area.body.data.figures.received).toBeGreaterThan(0);
});

it('keeps a department head to their departments', async () => {
  const head = await as(ADMIN_ROLES.headWater);
  const own = await head.custom({ from: '2024-01-01', to: today });
  expect(own.status).toBe(201);
  const dashboard = await head.dashboard({ from: '2024-01-01', to: today });
  expect(own.body.data.figures).toEqual(dashboard.body.data.overview);
  const workbook = await workbookOf(own.body.data.xlsx);
  expect(workbook.getWorksheet('By department')!.getSheetValues().slice(2).map((r: any) => r[1])).toEqual(['Water Supply and Sanitation']);
  const audit = await app.strapi.db.query('plugin::audit.audit-event' as any).findOne({ where: { action: 'report.generated', entityId: own.body.data.documentId } });
  expect(audit.diff.scope).toBe('departments');

  const roads = await head.custom({ from: '2024-01-01', to: today, department: 'ROADS' });
  expect([roads.status, roads.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
});

it('refuses officers, other projects and bad requests with stable codes, and stores nothing', async () => {
  const before = await app.strapi.db.query('plugin::reports.report' as any).count({ where: { kind: 'custom' } });
  const officer = await (await as(ADMIN_ROLES.officerWater)).custom({ from: '2024-01-01', to: today });
  expect([officer.status, officer.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const admin = await as(ADMIN_ROLES.projectAdmin);
  const other = await admin.custom({ project: 'HWAY', from: '2024-01-01', to: today });
  expect([other.status, other.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);

  const bad = await admin.custom({ project: 'DIST', from: '2024-02-30', to: '2024-01-01', priority: 'critical', populate: '*' });
  expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
  expect(bad.body.error.details.errors.map((e: any) => e.path[0]).sort()).toEqual(['from', 'populate', 'priority']);
  const inverted = await admin.custom({ project: 'DIST', from: '2024-03-01', to: '2024-01-01' });
  expect(inverted.body.error.details.errors).toEqual([{ path: ['to'], message: 'On or after from.' }]);
  const unknown = await admin.custom({ project: 'DIST', from: '2024-01-01', to: today, category: 'HWAY-DUST-NOISE' });
  expect([unknown.status, unknown.body.error.details.errors[0].path]).toEqual([400, ['category']]);
  expect(await app.strapi.db.query('plugin::reports.report' as any).count({ where: { kind: 'custom' } })).toBe(before);
});

it('takes a named kind’s period as its first and last days, and makes only the formats asked for', async () => {
  const token = await app.tokenFor(ADMIN_ROLES.projectAdmin);
  const month = DateTime.now().setZone(ZONE).minus({ months: 1 });
  const generate = (body: object) => app.http().post('/reports/generate').set('Authorization', `Bearer ${token}`).send(body);
  const res = await generate({ kind: 'monthly_performance', project: 'DIST', from: month.startOf('month').toISODate(), to: month.endOf('month').toISODate(), formats: ['xlsx'] });
  expect(res.status).toBe(201);
  expect(res.body.data).toMatchObject({ kind: 'monthly_performance', period: month.toFormat('yyyy-MM'), pdf: null });
  expect((await workbookOf(res.body.data.xlsx)).worksheets).toHaveLength(1);
  const entry = await app.strapi.db.query('plugin::reports.report' as any).findOne({ where: { documentId: res.body.data.documentId }, populate: { pdf: true, xlsx: true } });
  expect([entry.pdf, entry.xlsx?.mime]).toEqual([null, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);

  const partial = await generate({ kind: 'monthly_public', project: 'DIST', from: month.startOf('month').toISODate(), to: month.endOf('month').minus({ days: 1 }).toISODate() });
  expect([partial.status, partial.body.error.details.code]).toEqual([400, 'VALIDATION']);
  const wrongFormat = await generate({ kind: 'monthly_public', project: 'DIST', period: month.toFormat('yyyy-MM'), formats: ['docx'] });
  expect([wrongFormat.status, wrongFormat.body.error.details.errors[0].path]).toEqual([400, ['formats']]);
});
