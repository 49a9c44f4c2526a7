/**
 * The public portal on a phone: a citizen files a complaint, keeps the code and secret, tracks
 * it, and rates the resolution; the figures page and the Hindi form render. Screenshots at
 * 390×844 under test-output/.
 */
import fs from 'node:fs';
import { browserSuite, launchBrowser } from '../helpers/browser';
import { resolveAsWaterStaff } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 30 });
const PHONE = { width: 390, height: 844 };

it('files, tracks and rates a complaint from a phone', async () => {
  const { app } = suite;
  const page = await suite.browser.newPage({ viewport: PHONE, locale: 'en-GB' });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(`${app.baseUrl}/portal/`);
  await page.getByRole('heading', { name: 'Tell us about a problem' }).waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'File a complaint' }).first().click();
  await page.getByLabel('What is it about?').waitFor();
  await page.getByLabel('Office or project').selectOption('DIST');
  await page.getByLabel('What is it about?').selectOption('DIST-WATER-SUPPLY');
  await page.getByLabel('Describe the problem').fill('The hand pump near the Amarpur school has been dry since Monday. <b>Urgent</b>');
  await page.getByLabel('Where? (optional)').selectOption('DIST-B1-V1');
  await page.getByLabel('Phone (for SMS updates)').fill('not a phone');
  await page.getByRole('button', { name: 'Send complaint' }).click();
  // A field-level message, announced and focused.
  await page.getByText('Not a phone number.').waitFor();
  expect(await page.getByLabel('Phone (for SMS updates)').getAttribute('aria-invalid')).toBe('true');
  await suite.screenshot(page, 'portal-phone-error.png');

  await page.getByLabel('Phone (for SMS updates)').fill('+91 98000 00077');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('Photos or documents (optional)').setInputFiles({ name: 'pump.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Send complaint' }).click();
  const code = (await page.getByTestId('tracking-code').innerText({ timeout: 30_000 })).trim();
  const secret = (await page.getByTestId('case-secret').innerText()).trim();
  expect(code).toMatch(/^DIST-\d{8}-/);
  await suite.screenshot(page, 'portal-phone-submitted.png');

  // The receipt comes by a POST with the secret in the body: no URL the page asks for holds it.
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the receipt (PDF)' }).click()]);
  expect(download.suggestedFilename()).toBe(`receipt-${code}.pdf`);
  const saved = await download.path();
  expect(fs.readFileSync(saved!).subarray(0, 5).toString()).toBe('%PDF-');
  expect(urls.some((u) => u.endsWith(`/api/grievances/track/${code}/receipt`))).toBe(true);
  expect(urls.filter((u) => u.includes(secret))).toEqual([]);
  const row = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode: code }, populate: { attachments: true } });
  expect(row.attachments.map((f: any) => f.mime)).toEqual(['image/png']);
  expect(row).toMatchObject({ channel: 'web', citizenPhone: '+91 98000 00077', description: 'The hand pump near the Amarpur school has been dry since Monday. <b>Urgent</b>' });

  await page.getByRole('link', { name: 'Follow this case' }).click();
  await page.getByTestId('case-status').filter({ hasText: 'Received' }).waitFor();

  // Staff work on it and resolve it.
  await resolveAsWaterStaff(app, row.documentId, 'Pump repaired.', { visibility: 'public' });

  await page.goto(`${app.baseUrl}/portal/#/track/${code}/feedback`);
  await page.getByTestId('case-status').filter({ hasText: 'Resolved' }).waitFor();
  await page.getByLabel('Case secret').fill('wrong-secret-000');
  await page.getByLabel('4 of 5').check({ force: true });
  await page.getByRole('button', { name: 'Send rating' }).click();
  await page.locator('#feedback').getByText('The case secret does not match.').waitFor();
  await page.getByLabel('Case secret').fill(secret);
  await page.getByRole('button', { name: 'Send rating' }).click();
  // Shown in the form, and announced to screen readers through the live region.
  await page.locator('#feedback').getByText('Thank you for your feedback.').waitFor();
  expect(await page.locator('#status').innerText()).toBe('Thank you for your feedback.');
  await suite.screenshot(page, 'portal-phone-rated.png');
  expect((await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode: code } })).rating).toBe(4);
  expect(problems).toEqual([]);
  await page.close();
});

it('shows public figures and the form in Hindi on a phone', async () => {
  const { app } = suite;
  const page = await suite.browser.newPage({ viewport: PHONE });
  await page.goto(`${app.baseUrl}/portal/#/figures/DIST`);
  await page.getByTestId('figures').waitFor({ timeout: 30_000 });
  await page.locator('svg.chart').waitFor();
  await suite.screenshot(page, 'portal-phone-figures.png');
  await page.getByLabel('Language').selectOption('hi');
  await page.goto(`${app.baseUrl}/portal/#/submit`);
  await page.getByLabel('शिकायत किस बारे में है?').waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('hi');
  await suite.screenshot(page, 'portal-phone-form-hi.png');
  await page.close();
});

it('opens and files a complaint over plain HTTP on a hostname (an insecure context, no crypto.randomUUID)', async () => {
  const { app } = suite;
  // portal.test resolves to the app: http on a name other than localhost is not a secure context.
  const browser = await launchBrowser(['--host-resolver-rules=MAP portal.test 127.0.0.1']);
  try {
    const page = await browser.newPage({ viewport: PHONE, locale: 'en-GB' });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`http://portal.test:${new URL(app.baseUrl).port}/portal/#/submit`);
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.randomUUID])).toEqual([false, 'undefined']);
    await page.getByLabel('What is it about?').waitFor({ timeout: 30_000 });
    await page.getByLabel('Office or project').selectOption('DIST');
    await page.getByLabel('What is it about?').selectOption('DIST-WATER-SUPPLY');
    await page.getByLabel('Describe the problem').fill('Filed from a plain-HTTP portal: the standpipe on Station Road leaks.');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/grievances/submit'));
    await page.getByRole('button', { name: 'Send complaint' }).click();
    const key = (await sent).headers()['idempotency-key'];
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const code = (await page.getByTestId('tracking-code').innerText({ timeout: 30_000 })).trim();
    expect(code).toMatch(/^DIST-\d{8}-/);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
