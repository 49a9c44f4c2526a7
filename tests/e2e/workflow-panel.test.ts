/**
 * Browser test: the Water officer starts and resolves an assigned case through the Workflow
 * panel of the grievance edit view.
 */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 10 });

it('the Water officer starts and resolves an assigned case from the Workflow panel', async () => {
  const { app } = suite;
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Hand pump in Amarpur broken since Friday.');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });

  const page = await suite.logIn(ADMIN_ROLES.officerWater, { width: 1440, height: 1000 });

  await page.goto(`${app.baseUrl}/admin/content-manager/collection-types/api::grievance.grievance/${documentId}`);
  const status = page.getByTestId('workflow-status');
  await status.waitFor({ timeout: 60_000 });
  expect(await status.innerText()).toMatch(/assigned/i);
  // Exactly the actions this officer may take now.
  await page.getByRole('button', { name: 'Start work' }).waitFor();
  await suite.screenshot(page, 'workflow-panel-officer-assigned.png');
  expect(await page.getByRole('button', { name: 'Resolve', exact: true }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Assign', exact: true }).count()).toBe(0);

  await page.getByRole('button', { name: 'Start work' }).click();
  await page.getByRole('button', { name: 'Resolve' }).waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('workflow-status').innerText()).toMatch(/in progress/i);

  await page.getByRole('button', { name: 'Resolve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.locator('textarea[name="resolution"]').fill('Pump washer replaced; water flowing again.');
  await dialog.getByRole('button', { name: 'Resolve' }).click();
  await page.getByTestId('workflow-status').filter({ hasText: /resolved/i }).waitFor({ timeout: 30_000 });
  await page.getByText('Pump washer replaced; water flowing again.').first().waitFor();
  await suite.screenshot(page, 'workflow-panel-officer-resolved.png');

  const row = await caseRow(app, documentId);
  expect(row).toMatchObject({ caseStatus: 'resolved', resolution: 'Pump washer replaced; water flowing again.' });
  expect(row.events.map((e: any) => e.action)).toEqual(expect.arrayContaining(['start', 'resolve']));

  // The same panel in Hindi, as a staff member who chose Hindi for the admin panel sees it.
  await page.evaluate(() => (globalThis as any).localStorage.setItem('strapi-admin-language', 'hi'));
  await page.reload();
  await page.getByTestId('workflow-status').filter({ hasText: 'समाधान हुआ' }).waitFor({ timeout: 30_000 });
  await page.getByText('कार्यप्रवाह').first().waitFor();
  await page.getByText('समयरेखा').first().waitFor();
  await suite.screenshot(page, 'workflow-panel-officer-resolved-hi.png');
});

it('shows the head of department a likely duplicate, with its score and a link', async () => {
  const { app } = suite;
  const first = await fileCase(app, 'DIST-WATER-SUPPLY', 'Hand pump near Chandanpur market broken since Friday, no drinking water.');
  const second = await fileCase(app, 'DIST-WATER-SUPPLY', 'No drinking water: the hand pump near Chandanpur market is broken since Friday.');
  const original = await caseRow(app, first);
  const page = await suite.logIn(ADMIN_ROLES.headWater, { width: 1440, height: 1000 });
  await page.goto(`${app.baseUrl}/admin/content-manager/collection-types/api::grievance.grievance/${second}`);
  const analysis = page.getByTestId('intake-analysis');
  await analysis.waitFor({ timeout: 60_000 });
  expect(await analysis.innerText()).toMatch(new RegExp(`Possible duplicate of ${original.trackingCode} \\(\\d+ % similar\\)`));
  await suite.screenshot(page, 'workflow-panel-duplicate.png');
  await analysis.getByRole('link', { name: 'Open' }).first().click();
  await page.waitForURL(new RegExp(first));
});
