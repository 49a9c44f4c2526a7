/**
 * Browser smoke test: a department head logs in to the admin panel, opens the grievance list
 * and sees only their department's cases. Drives Debian's chromium with playwright-core.
 */
import { browserSuite } from '../helpers/browser';

const suite = browserSuite({ grievancesPerProject: 60 });

it("a department head sees only their department's grievances in the admin panel", async () => {
  const page = await suite.logIn('head.water@demo.local');

  await page.goto(`${suite.app.baseUrl}/admin/content-manager/collection-types/api::grievance.grievance?page=1&pageSize=100&sort=trackingCode:ASC`);
  const rows = page.locator('tbody tr');
  await rows.first().waitFor({ timeout: 60_000 });
  await suite.screenshot(page, 'admin-grievances-head-water.png');

  const shown = (await page.locator('tbody tr').allInnerTexts()).map((text) => text.match(/[A-Z]{2,10}-\d{8}-[0-9A-Z]{9}/)?.[0]);
  const water = await suite.app.strapi.db.query('api::grievance.grievance' as any).findMany({
    where: { department: { code: 'WATER' } },
    select: ['trackingCode'],
  });
  const waterCodes = new Set(water.map((g: { trackingCode: string }) => g.trackingCode));
  expect(shown.length).toBe(Math.min(100, waterCodes.size));
  for (const code of shown) expect(waterCodes.has(code!)).toBe(true);
  await page.getByText(new RegExp(`${waterCodes.size} entr(y|ies) found`, 'i')).waitFor({ timeout: 10_000 });

  // Opening a case: the form shows the status and tracking code but does not let them change.
  await page.getByText(shown[0]!, { exact: true }).click();
  const trackingCode = page.locator('input[name="trackingCode"]');
  await trackingCode.waitFor({ timeout: 30_000 });
  expect(await trackingCode.inputValue()).toBe(shown[0]);
  expect(await trackingCode.isDisabled()).toBe(true);
  expect(await page.locator('input[name="version"]').isDisabled()).toBe(true);
  expect(await page.locator('textarea[name="description"]').isDisabled()).toBe(false);
  await suite.screenshot(page, 'admin-grievance-edit-head-water.png');
});

it('an intake clerk who saves a complaint without project and category is told what is missing', async () => {
  const page = await suite.logIn('intake@demo.local');

  const before = await suite.app.strapi.db.query('api::grievance.grievance' as any).count({});
  await page.goto(`${suite.app.baseUrl}/admin/content-manager/collection-types/api::grievance.grievance/create`);
  const description = page.locator('textarea[name="description"]');
  await description.waitFor({ timeout: 30_000 });
  await description.fill('Complaint received by post: no water in ward 7 for a week.');
  await page.getByRole('button', { name: /^save$/i }).click();
  await page.getByText(/must belong to a project/i).first().waitFor({ timeout: 15_000 });
  await suite.screenshot(page, 'admin-grievance-create-refused.png');
  expect(await suite.app.strapi.db.query('api::grievance.grievance' as any).count({})).toBe(before);
});
