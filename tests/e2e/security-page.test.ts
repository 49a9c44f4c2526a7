/**
 * Browser test: a department head sets up an authenticator on the Security page (QR code and
 * first code) and confirms it is them with password and a fresh code. What the step-up then
 * allows, per session, is proven in tests/integration/step-up.test.ts.
 */
import { codeAt } from '../../plugins/security/server/src/domain/totp';
import { ADMIN_ROLES, DEMO_PASSWORD } from '../helpers/app';
import { browserSuite } from '../helpers/browser';

const suite = browserSuite({ grievancesPerProject: 4 });

it('the head sets up an authenticator and confirms it is them', async () => {
  const { app } = suite;
  const page = await suite.logIn(ADMIN_ROLES.headWater);
  await page.goto(`${app.baseUrl}/admin/plugins/security`);
  await page.getByText('No authenticator yet').waitFor({ timeout: 60_000 });
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Show the QR code' }).click();
  const qr = page.getByAltText('QR code for your authenticator app');
  await qr.waitFor({ timeout: 30_000 });
  expect(await qr.evaluate((img: any) => img.naturalWidth)).toBeGreaterThan(0);
  const key = await page.getByText(/Or enter this key by hand:/).innerText();
  const secret = key.split(':').pop()!.trim();
  await suite.screenshot(page, 'security-set-up.png');

  await page.locator('input[name="code"]').fill(codeAt(secret, Date.now()));
  await page.getByRole('button', { name: 'Finish set-up' }).click();
  await page.getByText('Authenticator set up').waitFor({ timeout: 30_000 });

  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('input[name="code"]').fill(codeAt(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.getByText(/Confirmed until/).waitFor({ timeout: 30_000 });
  await suite.screenshot(page, 'security-confirmed.png');
});
