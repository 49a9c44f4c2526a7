/**
 * Browser test: staff meet no developer onboarding. A super admin's home page has no guided tour
 * ("Create your schema", "Deploy your application to Strapi Cloud") and the case list no tour
 * popover, and no release banner; the tour is switched off in the panel's own state, so no build
 * mode brings it back.
 * An alert on the Alerts page is a link that opens its case.
 */
import fs from 'node:fs';
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 2 });
const SHOTS = '/work/shots';

const ONBOARDING = [/Create your schema/i, /Deploy your application to Strapi Cloud/i, /Discover your application/i, /guided tour/i, /Create new entry" button/i, /Introducing the new Media Library/i, /Read blog post/i];

it('a super admin sees no onboarding or guided tour on the home page or the case list', async () => {
  const { app } = suite;
  const page = await suite.logIn(ADMIN_ROLES.superAdmin, { width: 1440, height: 900 });
  await page.getByText(/Hello Asha/i).first().waitFor({ timeout: 60_000 });
  // Widgets load after the greeting; look once the profile widget is in.
  await page.getByText(ADMIN_ROLES.superAdmin).first().waitFor({ timeout: 30_000 });
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/admin-home.png`, fullPage: true });
  const home = await page.locator('body').innerText();
  for (const text of ONBOARDING) expect(home).not.toMatch(text);
  const tour = await page.evaluate(() => JSON.parse(window.localStorage.getItem('STRAPI_GUIDED_TOUR') ?? 'null'));
  expect(tour).toMatchObject({ enabled: false });

  await page.goto(`${app.baseUrl}/admin/content-manager/collection-types/api::grievance.grievance`);
  await page.locator('tbody tr').first().waitFor({ timeout: 60_000 });
  const list = await page.locator('body').innerText();
  for (const text of ONBOARDING) expect(list).not.toMatch(text);
});

it('an alert on the Alerts page opens its case', async () => {
  const { app } = suite;
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Tap dry at the Amarpur school.');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
  await app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ limit: 1000 });
  const { trackingCode } = await caseRow(app, documentId);

  const page = await suite.logIn(ADMIN_ROLES.officerWater, { width: 1440, height: 900 });
  await page.goto(`${app.baseUrl}/admin/plugins/notifications`);
  const link = page.getByRole('link', { name: `Case ${trackingCode} assigned to you` });
  await link.waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/alerts-links.png` });
  await link.click();
  await page.waitForURL(new RegExp(`/admin/content-manager/collection-types/api::grievance.grievance/${documentId}`), { timeout: 30_000 });
  const tracking = page.locator('input[name="trackingCode"]');
  await tracking.waitFor({ timeout: 30_000 });
  expect(await tracking.inputValue()).toBe(trackingCode);
});
