/**
 * Staff export of the case list: the same scope as the content manager (an officer gets their
 * assigned cases, a department head their department's), CSV, Excel and PDF, no citizen contact
 * data, and each export audited.
 */
import ExcelJS from 'exceljs';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmList } from '../helpers/content-manager';
import { asBuffer } from '../helpers/binary';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 40 });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const exportAs = async (email: string, query: Record<string, string>) =>
  app.http().get('/reports/export').query(query).set('Authorization', `Bearer ${await app.tokenFor(email)}`).buffer(true).parse(asBuffer);
const csvCodes = (body: Buffer) => body.toString('utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);

it('exports exactly the cases the content manager shows each staff member', async () => {
  for (const email of [ADMIN_ROLES.officerWater, ADMIN_ROLES.headWater, ADMIN_ROLES.projectAdmin]) {
    const res = await exportAs(email, { format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const list = await cmList(app, email, 'api::grievance.grievance', { pageSize: 1000 });
    const visible = list.body.results.map((r: any) => r.trackingCode).sort();
    expect(csvCodes(res.body).sort()).toEqual(visible);
  }
});

it('filters, writes Excel with typed dates and frozen headers, and never exports contact data', async () => {
  const res = await exportAs(ADMIN_ROLES.projectAdmin, { format: 'xlsx', status: 'closed' });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as any);
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(header).toEqual(['Tracking code', 'Project', 'Category', 'Department', 'Status', 'Priority', 'SLA', 'Level', 'Received', 'Resolve by', 'Resolved']);
  expect(sheet.rowCount).toBeGreaterThan(1);
  for (let i = 2; i <= sheet.rowCount; i += 1) expect(sheet.getRow(i).getCell(5).value).toBe('closed');
  expect(sheet.getRow(2).getCell(9).value).toBeInstanceOf(Date);
  const csv = await exportAs(ADMIN_ROLES.projectAdmin, { format: 'csv' });
  expect(csv.body.toString()).not.toMatch(/@demo|citizen|\+91/);
});

it('exports a PDF, audits every export, and refuses bad parameters', async () => {
  const pdf = await exportAs(ADMIN_ROLES.headWater, { format: 'pdf' });
  expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  await new Promise((r) => setTimeout(r, 200));
  const audited = await app.strapi.db.query('plugin::audit.audit-event' as any).findMany({ where: { action: 'cases.exported' } });
  expect(audited.length).toBeGreaterThanOrEqual(3);
  const bad = await exportAs(ADMIN_ROLES.headWater, { format: 'docx' });
  expect(JSON.parse(bad.body.toString()).error.details.code).toBe('VALIDATION');
  const sneaky = await exportAs(ADMIN_ROLES.headWater, { format: 'csv', 'filters[citizenPhone][$notNull]': 'true' });
  expect(sneaky.status).toBe(400);
});
