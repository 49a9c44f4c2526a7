/**
 * Browser test: in demo outbox mode the super admin opens Outbox from the main navigation, sees
 * every channel reported as "Demo outbox", and reads a citizen's receipt as it would arrive, in
 * French, by SMS and by e-mail; the Alerts page shows no failed message. A viewer has no Outbox
 * link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';

const SHOT = process.env.OUTBOX_SHOT ?? '/work/shots/outbox.png';
// As `npm run demo` runs: the demo outbox, and links to the demo's own portal.
process.env.NOTIFICATIONS_DELIVERY = 'outbox';
process.env.PORTAL_URL = 'http://localhost:1337/portal';
const suite = browserSuite({ grievancesPerProject: 2 });
afterAll(() => {
  delete process.env.NOTIFICATIONS_DELIVERY;
  delete process.env.PORTAL_URL;
});

it("shows the citizen's receipt, rendered in their language, on the Outbox page", async () => {
  const { app } = suite;
  const res = await app
    .http()
    .post('/api/grievances/submit')
    .send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Pas d’eau au robinet public depuis lundi.', language: 'fr', citizen: { name: 'Anita Devi', phone: '+919800000001', email: 'anita@example.test' } } });
  expect(res.status).toBe(201);
  const code = res.body.data.trackingCode;
  await app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ limit: 1000 });

  const page = await suite.logIn(ADMIN_ROLES.superAdmin, { width: 1440, height: 1400 });
  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByTestId('delivery-health').waitFor({ timeout: 60_000 });
  for (const channel of ['email', 'sms', 'whatsapp']) expect(await page.getByTestId(`health-${channel}`).innerText()).toContain('Demo outbox');

  const sms = page.getByTestId('outbox-message').filter({ hasText: code }).filter({ hasText: 'SMS' });
  await sms.waitFor({ timeout: 30_000 });
  expect(await sms.innerText()).toContain(`Nous avons reçu votre réclamation ${code}`);
  expect(await sms.innerText()).toContain('+919800000001');
  expect(await sms.innerText()).toContain(`http://localhost:1337/portal/#/track/${code}`);
  const email = page.getByTestId('outbox-message').filter({ hasText: `Réclamation ${code} reçue` }).filter({ has: page.locator('iframe') });
  expect(await email.innerText()).toContain('anita@example.test');
  // The e-mail itself, as HTML in a sandboxed frame.
  const frame = email.frameLocator('iframe');
  await frame.getByText(/accusé de réception/).first().waitFor({ timeout: 30_000 });

  fs.mkdirSync(path.dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT, fullPage: false });

  await page.goto(`${app.baseUrl}/admin/plugins/notifications`);
  await page.getByText('Every message was delivered or is still being tried.').waitFor({ timeout: 60_000 });
  expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
});

it('offers no Outbox link to a viewer', async () => {
  const page = await suite.logIn(ADMIN_ROLES.viewer);
  await page.getByRole('link', { name: 'Audit log' }).waitFor({ timeout: 60_000 });
  expect(await page.getByRole('link', { name: 'Outbox' }).count()).toBe(0);
});
