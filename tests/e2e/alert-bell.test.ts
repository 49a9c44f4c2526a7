/**
 * Browser test: an officer sees the alert bell count up when a case is assigned to them, opens
 * Alerts, reads the assignment and marks it read.
 */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 2 });

it('shows the unread count on the bell and the assignment on the Alerts page', async () => {
  const { app } = suite;
  const dispatch = () => app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ limit: 1000 });
  await dispatch();
  const page = await suite.logIn(ADMIN_ROLES.officerWater, { width: 1440, height: 900 });
  await page.goto(`${app.baseUrl}/admin/plugins/notifications`);
  await page.getByRole('button', { name: 'Mark all as read' }).waitFor({ timeout: 60_000 });
  if (await page.getByRole('button', { name: 'Mark all as read' }).isEnabled()) await page.getByRole('button', { name: 'Mark all as read' }).click();
  await page.getByTestId('alert-count').waitFor({ state: 'detached', timeout: 30_000 });

  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Leaking main near the Belgaon school.');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
  await dispatch();
  const { trackingCode } = await caseRow(app, documentId);

  // The live stream brings the alert in without a reload.
  const badge = page.getByTestId('alert-count');
  await badge.waitFor({ timeout: 30_000 });
  expect(await badge.innerText()).toBe('1');
  await page.reload();
  await page.getByText(`Case ${trackingCode} assigned to you`).waitFor({ timeout: 30_000 });
  await suite.screenshot(page, 'alerts-bell-unread.png');

  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await badge.waitFor({ state: 'detached', timeout: 30_000 });
});
