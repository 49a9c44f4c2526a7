/** Browser test: the project administrator opens the Dashboard and sees the project's figures and charts. */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';

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
});
