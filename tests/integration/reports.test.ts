/**
 * Public reports: a scheduled run with an injected clock creates the archive entry (PDF and
 * workbook through the upload provider), an audit event and an e-mail with both files (a real
 * loopback SMTP server); the workbook's figures equal independent counts; a rerun adds nothing;
 * an on-demand run adds a version; the public archive lists them.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { startMailSink, MailSink } from '../helpers/mail';

let app: TestApp;
let mail: MailSink;
const ZONE = 'Asia/Kolkata';
// The first of next month, 02:00 in the project's zone: the schedule reports on this month.
const now = DateTime.now().setZone(ZONE).startOf('month').plus({ months: 1, hours: 2 }).toJSDate();
const period = DateTime.now().setZone(ZONE).toFormat('yyyy-MM');

beforeAll(async () => {
  mail = await startMailSink();
  Object.assign(process.env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mail.port), EMAIL_FROM: 'grm@district.test' });
  app = await startApp({ grievancesPerProject: 60 });
}, 180_000);
afterAll(async () => {
  await app.stop();
  await mail.stop();
  for (const key of ['SMTP_HOST', 'SMTP_PORT', 'EMAIL_FROM']) delete process.env[key];
});

const generator = () => app.strapi.plugin('reports').service('generator');
const reports = () => app.strapi.db.query('plugin::reports.report' as any);

it('runs the monthly schedule: archive entry, files, audit event and an e-mail with both files', async () => {
  const done = await generator().scheduled('monthly_public', now);
  const dist = done.find((d: any) => d.title.includes('Riverside'));
  expect(dist).toMatchObject({ period, version: 1, recipients: 1 });
  const entry = await reports().findOne({ where: { documentId: dist.documentId }, populate: { pdf: true, xlsx: true, project: true } });
  expect(entry).toMatchObject({ kind: 'monthly_public', public: true, generatedBy: 'schedule', project: { code: 'DIST' } });
  expect(entry.pdf.mime).toBe('application/pdf');
  expect(entry.auditHead).toMatch(/^#\d+ [0-9a-f]{16}$/);
  const audit = await app.strapi.db.query('plugin::audit.audit-event' as any).findOne({ where: { action: 'report.generated', entityId: dist.documentId } });
  expect(audit).not.toBeNull();

  // Send everything due (the seeded history left many in-app alerts in the queue).
  for (let i = 0; i < 50; i += 1) {
    const r = await app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ limit: 500 });
    if (r.sent + r.retried + r.failed + r.held === 0) break;
  }
  const outboxRow = await app.strapi.db.query('plugin::notifications.notification' as any).findOne({ where: { event: 'report' } });
  expect(outboxRow).toMatchObject({ status: 'sent' });
  const message = mail.messages.find((m) => m.subject === dist.title);
  expect(message?.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);

  // The workbook attached says what the cases say.
  const xlsx = message!.attachments.find((a) => a.contentType.includes('spreadsheet'))!;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.content as any);
  const summary = workbook.worksheets[0];
  const cell = (label: string) => summary.getColumn(1).values.findIndex((v) => v === label);
  const from = DateTime.fromFormat(period, 'yyyy-MM', { zone: ZONE }).toJSDate();
  const to = DateTime.fromFormat(period, 'yyyy-MM', { zone: ZONE }).plus({ months: 1 }).toJSDate();
  const received = await app.strapi.db.query('api::grievance.grievance' as any).count({ where: { project: { code: 'DIST' }, sensitive: false, submittedAt: { $gte: from, $lt: to } } });
  const shown = summary.getRow(cell('Received')).getCell(2).value;
  expect(shown).toBe(received >= 5 || received === 0 ? received : '—');
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'By category', 'By area', 'By month', 'Escalated by level']);
  expect(workbook.worksheets[1].views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
});

it('adds nothing when the schedule runs again, and a new version when asked on demand', async () => {
  expect(await generator().scheduled('monthly_public', now)).toEqual([]);
  const token = await app.tokenFor(ADMIN_ROLES.projectAdmin);
  const res = await app.http().post('/reports/generate').set('Authorization', `Bearer ${token}`).send({ kind: 'monthly_public', project: 'DIST', period });
  expect(res.status).toBe(201);
  expect(res.body.data).toMatchObject({ version: 2, period });
  const other = await app.http().post('/reports/generate').set('Authorization', `Bearer ${token}`).send({ kind: 'monthly_public', project: 'HWAY', period });
  expect([other.status, other.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const bad = await app.http().post('/reports/generate').set('Authorization', `Bearer ${token}`).send({ kind: 'monthly_public', project: 'DIST', period: '2026-Q1' });
  expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
  expect(await reports().count({ where: { kind: 'monthly_public', periodLabel: period, project: { code: 'DIST' } } })).toBe(2);
});

it('lists the archive publicly, every version kept, the latest marked', async () => {
  const res = await app.http().get('/api/public-reports').query({ project: 'DIST' });
  expect(res.status).toBe(200);
  const mine = res.body.data.filter((r: any) => r.period === period && r.kind === 'monthly_public');
  expect(mine.map((r: any) => [r.version, r.latest])).toEqual([[2, true], [1, false]]);
  expect(mine[0].pdfUrl).toMatch(/\.pdf$/);
  const pdf = await app.http().get(mine[0].pdfUrl);
  expect(pdf.status).toBe(200);
});

it('makes the internal reports for the administrators: escalated cases and the performance review', async () => {
  const escalated = await generator().generate({ kind: 'monthly_escalated', project: 'DIST', period, by: 'test', now });
  const performance = await generator().generate({ kind: 'monthly_performance', project: 'DIST', period, by: 'test', now });
  const entries = await reports().findMany({ where: { documentId: { $in: [escalated.documentId, performance.documentId] } }, populate: { xlsx: true } });
  expect(entries.every((e: any) => e.public === false)).toBe(true);
  const open = await app.strapi.db.query('api::grievance.grievance' as any).count({ where: { project: { code: 'DIST' }, escalationLevel: { $gt: 1 }, caseStatus: { $in: ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'] } } });
  expect(entries.find((e: any) => e.kind === 'monthly_escalated').figures).toEqual({ rows: open });
  // The performance review's workbook has Project and Priority columns and adds up to the month's cases.
  const file = entries.find((e: any) => e.kind === 'monthly_performance').xlsx;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path.join(app.strapi.dirs.static.public, file.url));
  const sheet = workbook.worksheets[0];
  expect((sheet.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['Project', 'Priority', 'Received', 'Resolved']);
  let total = 0;
  for (let i = 2; i <= sheet.rowCount; i += 1) total += Number(sheet.getRow(i).getCell(3).value);
  const from = DateTime.fromFormat(period, 'yyyy-MM', { zone: ZONE }).toJSDate();
  const to = DateTime.fromFormat(period, 'yyyy-MM', { zone: ZONE }).plus({ months: 1 }).toJSDate();
  expect(total).toBe(await app.strapi.db.query('api::grievance.grievance' as any).count({ where: { project: { code: 'DIST' }, submittedAt: { $gte: from, $lt: to } } }));
  // Never in the public archive.
  const archive = await app.http().get('/api/public-reports').query({ project: 'DIST' });
  expect(archive.body.data.map((r: any) => r.kind)).not.toContain('monthly_escalated');
});
