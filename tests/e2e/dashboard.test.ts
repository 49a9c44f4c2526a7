/**
 * Browser test: the project administrator opens the Dashboard, sees the project's figures and
 * charts, and takes them away as a PDF (rendered to PNG under test-output/) and a workbook.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_ROLES } from '../helpers/app';
import { asBuffer } from '../helpers/binary';
import { browserSuite, SCREENSHOTS } from '../helpers/browser';

const suite = browserSuite({ grievancesPerProject: 60 });

it('shows the Dashboard with figures and charts', async () => {
  const { app } = suite;
  const page = await suite.logIn(ADMIN_ROLES.projectAdmin, { width: 1440, height: 1400 });
  await page.goto(`${app.baseUrl}/admin/plugins/reports`);
  const received = page.getByTestId('kpi-received');
  await received.waitFor({ timeout: 60_000 });
  const api = await app.http().get('/reports/dashboard').set('Authorization', `Bearer ${await app.tokenFor(ADMIN_ROLES.projectAdmin)}`);
  expect(await received.innerText()).toContain(String(api.body.data.overview.received));
  await page.locator('.recharts-surface').first().waitFor();
  expect(await page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(5);
  await suite.screenshot(page, 'dashboard.png');

  await page.getByRole('button', { name: 'Report (PDF and Excel)' }).click();
  const links = page.getByTestId('report-links');
  await links.waitFor({ timeout: 60_000 });
  const href = await links.getByRole('link', { name: 'PDF' }).getAttribute('href');
  const pdf = (await app.http().get(href!).buffer(true).parse(asBuffer)).body as Buffer;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'custom-')), 'report.pdf');
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, path.join(SCREENSHOTS, 'report-custom-en')]);
  // The PDF says what the dashboard says, for the same period and scope.
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  expect(text).toMatch(new RegExp(`Received\\s+${api.body.data.overview.received}\\b`));
  expect(text).toContain('Staff figures, sensitive complaints included.');
  await suite.screenshot(page, 'dashboard-report.png');
});
