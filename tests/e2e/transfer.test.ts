/**
 * Browser test: the Water officer asks to transfer a case to Roads; the Roads head gets the alert,
 * opens the case from the case list (read-only, no "Whoops" page), sees the request in the
 * Workflow panel and approves it there (docs/workflow.md, "Transfers").
 */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 2 });
const HEAD_ROADS = 'head.roads@demo.local';

it('the receiving head opens the case from the list and approves the transfer from the Workflow panel', async () => {
  const { app } = suite;
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Water main leaking under the Dharampur road.');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
  const roads = await app.strapi.db.query('api::department.department' as any).findOne({ where: { code: 'ROADS', locale: 'en' } });
  const asked = await (await workflowAs(app, ADMIN_ROLES.officerWater)).act(documentId, {
    action: 'request_transfer',
    version: 2,
    toDepartment: roads.documentId,
    reason: 'The road must be dug up: a job for Roads.',
  });
  expect(asked.status).toBe(200);
  await app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ limit: 1000 });
  const { trackingCode } = await caseRow(app, documentId);

  const page = await suite.logIn(HEAD_ROADS, { width: 1440, height: 1000 });
  await page.goto(`${app.baseUrl}/admin/plugins/notifications`);
  await page.getByText(`Transfer requested for ${trackingCode}`).first().waitFor({ timeout: 60_000 });
  await suite.screenshot(page, 'transfer-alert.png');

  // The case list shows the case on its way to Roads; opening it shows the case, not an error.
  await page.goto(`${app.baseUrl}/admin/content-manager/collection-types/api::grievance.grievance?page=1&pageSize=100`);
  await page.getByText(trackingCode).first().click({ timeout: 60_000 });
  await page.waitForURL(new RegExp(documentId));
  const status = page.getByTestId('workflow-status');
  await status.waitFor({ timeout: 60_000 });
  expect(await page.getByText(/Whoops/i).count()).toBe(0);
  expect(await status.innerText()).toMatch(/assigned/i);
  await page.getByText(/Transfer to Roads and Public Works requested: The road must be dug up/).waitFor();
  await page.getByTestId('workflow-read-only').waitFor();
  // Deciding the transfer is all this head may do here.
  await page.getByRole('button', { name: 'Approve transfer' }).waitFor();
  expect(await page.getByRole('button', { name: 'Deny transfer' }).count()).toBe(1);
  for (const other of ['Assign', 'Escalate', 'Add note']) expect(await page.getByRole('button', { name: other, exact: true }).count()).toBe(0);
  await suite.screenshot(page, 'transfer-receiving-head.png');

  await page.getByRole('button', { name: 'Approve transfer' }).click();
  await page.getByTestId('workflow-status').filter({ hasText: /acknowledged/i }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Assign', exact: true }).waitFor({ timeout: 30_000 });
  await suite.screenshot(page, 'transfer-approved.png');

  const row = await caseRow(app, documentId);
  expect(row).toMatchObject({ caseStatus: 'acknowledged', assignee: null });
  expect(row.department.code).toBe('ROADS');
});
