/**
 * The public report PDF as a reader sees it: rendered to PNG with pdftoppm (saved under
 * test-output/), its text read back with pdftotext and compared with the public figures, in
 * English and in Hindi.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { startApp, TestApp } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { asBuffer } from '../helpers/binary';

let app: TestApp;
const period = DateTime.now().setZone('Asia/Kolkata').toFormat('yyyy-MM');

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 120 });
}, 240_000);
afterAll(async () => {
  await app.stop();
});

async function render(project: string, name: string, kind = 'monthly_public') {
  const done = await app.strapi.plugin('reports').service('generator').generate({ kind, project, period, by: 'test' });
  const res = await app.http().get(done.pdf).buffer(true).parse(asBuffer);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  const pdf = path.join(dir, 'report.pdf');
  fs.writeFileSync(pdf, res.body);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(SCREENSHOTS, name)]);
  return execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
}

it('prints the same figures as the public metrics, with the header and page numbers', async () => {
  const text = await render('DIST', 'report-monthly-en');
  const from = DateTime.fromFormat(period, 'yyyy-MM', { zone: 'Asia/Kolkata' });
  const metrics = await app.http().get('/api/public-metrics').query({ project: 'DIST', from: from.toFormat('yyyy-MM-dd'), to: from.endOf('month').toFormat('yyyy-MM-dd') });
  const received = metrics.body.data.received;
  expect(text).toContain('Monthly grievance report');
  expect(text).toMatch(/Audit chain head: #\d+/);
  // A count under 5 is withheld as "—" (early in a month, or a small project): not a word character, so no \b after it.
  expect(text).toMatch(new RegExp(`Received\\s+${received === null ? '—' : received}(?!\\d)`));
  expect(text).toMatch(/Page 1 of \d/);
  expect(text).not.toMatch(/HWAY-GBV|Sexual/);
});

it('renders a Hindi report in Devanagari', async () => {
  await app.strapi.db.query('api::project.project' as any).updateMany({ where: { code: 'HWAY' }, data: { defaultLocale: 'hi' } });
  const text = await render('HWAY', 'report-monthly-hi');
  // Words without a vowel sign written before its consonant or a reph, which text extraction reorders.
  for (const word of ['सारांश', 'प्राप्त', 'स्वीकृत', 'समाधान हुआ']) expect(text).toContain(word);
});

it('renders the internal reports: escalated cases and the performance review', async () => {
  const escalated = await render('DIST', 'report-escalated-en', 'monthly_escalated');
  expect(escalated).toContain('Unresolved escalated cases');
  expect(escalated).toMatch(/Tracking code\s+Category/);
  const performance = await render('DIST', 'report-performance-en', 'monthly_performance');
  expect(performance).toContain('Monthly performance review');
  expect(performance).toMatch(/Project\s+Priority\s+Received\s+Resolved/);
});
