/**
 * Browser test: a project's compliance officer opens the Audit log, filters by a case, sees its
 * events, verifies the chain, and a screenshot is saved.
 */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { fileCase, userId, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 10 });

it('the project admin filters the audit log by a case and verifies the chain', async () => {
  const { app } = suite;
  const documentId = await fileCase(app, 'DIST-WATER-QUALITY', 'Yellow water in ward 9.');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });

  const page = await suite.logIn(ADMIN_ROLES.projectAdmin);
  await page.goto(`${app.baseUrl}/admin/plugins/audit`);
  const filter = page.locator('input[name="entity"]');
  await filter.waitFor({ timeout: 60_000 });
  await filter.fill(documentId);
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  // The filtered list: the header counts exactly this case's three events.
  await page.waitForURL(new RegExp(`entity=${documentId}`));
  await page.getByText('3 events', { exact: true }).waitFor({ timeout: 30_000 });
  await page.locator('tbody tr').nth(2).waitFor();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('tbody tr').length === 3);
  const actions = await page.locator('tbody tr td:nth-child(4)').allInnerTexts();
  expect(actions).toEqual(['workflow.assign', 'workflow.acknowledge', 'grievance.create']);

  await page.getByRole('button', { name: 'Verify the chain' }).click();
  const result = page.getByTestId('audit-verify-result');
  await result.waitFor({ timeout: 30_000 });
  expect(await result.innerText()).toMatch(/^Intact: \d+ events, head #\d+/);
  await suite.screenshot(page, 'audit-log-filtered-by-case.png');
});
