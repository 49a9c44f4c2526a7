/**
 * The public portal says nothing wrong in any of its languages: no "null" or "undefined" on a
 * tracking page, whatever the case's status (a closed case included); every validation message in
 * the portal's language; regions listed top-down as the hierarchy reads; no category chosen for
 * the citizen; a file picker big enough for a thumb. Screenshots at 375 px wide under /work/shots
 * (or $PORTAL_SHOTS).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { stepUp } from '../helpers/step-up';
import { userId, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 10 });
const PHONE = { width: 375, height: 812 };
const SHOTS = process.env.PORTAL_SHOTS ?? '/work/shots';
const LANGUAGES = ['en', 'fr', 'hi'] as const;
const NOTHING = /\b(null|undefined|NaN)\b|\[object /i;

beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

async function portal(browser: Browser, lang: string): Promise<Page> {
  const page = await browser.newPage({ viewport: PHONE });
  await page.addInitScript((l) => localStorage.setItem('grm-portal-lang', l), lang);
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `portal-${name}.png`), fullPage: true });

async function submit(category: string, description: string) {
  const res = await suite.app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category, description, region: 'DIST-B1-V1' } });
  expect(res.status).toBe(201);
  const row = await suite.app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode: res.body.data.trackingCode } });
  return { code: res.body.data.trackingCode as string, secret: res.body.data.caseSecret as string, documentId: row.documentId as string };
}

/** Staff take a case through `actions`, each at the version the last one left. */
async function drive(documentId: string, actions: object[]) {
  const head = await workflowAs(suite.app, ADMIN_ROLES.headWater);
  const officer = await workflowAs(suite.app, ADMIN_ROLES.officerWater);
  let version = 0;
  for (const step of actions as Array<{ action: string }>) {
    const actor = ['start', 'resolve'].includes(step.action) ? officer : head;
    const res = await actor.act(documentId, { ...step, version });
    expect({ step, status: res.status, error: res.body?.error }).toEqual({ step, status: 200, error: undefined });
    version += 1;
  }
}

it('shows no "null" or "undefined" on a tracking page, in any language and any status, nor once a case is closed', async () => {
  const officer = await userId(suite.app, ADMIN_ROLES.officerWater);
  const toResolve = [{ action: 'acknowledge' }, { action: 'assign', assignee: officer }, { action: 'start' }, { action: 'resolve', resolution: 'Pump repaired.', visibility: 'public' }];
  const cases: Record<string, { code: string; secret: string; documentId: string }> = {
    submitted: await submit('DIST-WATER-SUPPLY', 'The hand pump is dry.'),
    sensitive: await submit('DIST-GBV', 'Harassment at the ration shop.'),
    escalated: await submit('DIST-WATER-SUPPLY', 'No water for ten days.'),
    rejected: await submit('DIST-WATER-SUPPLY', 'Not a grievance at all.'),
    resolved: await submit('DIST-WATER-SUPPLY', 'The standpipe leaks.'),
  };
  await drive(cases.escalated.documentId, [{ action: 'acknowledge' }, { action: 'escalate', note: 'Needs the head office.' }]);
  // Rejecting asks the head of department for a second factor.
  await stepUp(suite.app, ADMIN_ROLES.headWater);
  await drive(cases.rejected.documentId, [{ action: 'reject', reason: 'Outside the mandate of the programme.' }]);
  await drive(cases.resolved.documentId, toResolve);
  const found: string[] = [];
  const check = async (page: Page, name: string) => {
    const text = await page.locator('body').innerText();
    if (NOTHING.test(text)) found.push(`${name}: ${text.match(NOTHING)![0]} in ${JSON.stringify(text.slice(0, 400))}`);
    expect((await page.getByTestId('case-status').innerText()).trim()).not.toBe('');
  };

  for (const lang of LANGUAGES) {
    const page = await portal(suite.browser, lang);
    for (const [status, c] of Object.entries(cases)) {
      await page.goto(`${suite.app.baseUrl}/portal/#/track/${c.code}`);
      await page.getByTestId('case-status').waitFor({ timeout: 30_000 });
      await page.locator('.timeline li').first().waitFor();
      await check(page, `${lang} ${status}`);
      await shot(page, `track-${lang}-${status}`);
    }
    await page.close();
  }

  // The citizen accepts the resolution in Hindi: the page redraws as a closed case, in every language.
  const page = await portal(suite.browser, 'hi');
  await page.goto(`${suite.app.baseUrl}/portal/#/track/${cases.resolved.code}/feedback`);
  await page.getByLabel('मामले का गुप्त कोड').fill(cases.resolved.secret);
  await page.getByRole('button', { name: 'मैं समाधान स्वीकार करता/करती हूँ' }).click();
  await page.getByTestId('case-status').filter({ hasText: 'बंद' }).waitFor({ timeout: 30_000 });
  await page.locator('#feedback').waitFor();
  expect(await page.getByRole('button', { name: 'मैं समाधान स्वीकार करता/करती हूँ' }).count()).toBe(0);
  await check(page, 'hi closed after accepting');
  await shot(page, 'track-hi-closed');
  await page.close();
  for (const lang of ['en', 'fr']) {
    const again = await portal(suite.browser, lang);
    await again.goto(`${suite.app.baseUrl}/portal/#/track/${cases.resolved.code}`);
    await again.locator('#feedback').waitFor({ timeout: 30_000 });
    await check(again, `${lang} closed`);
    await shot(again, `track-${lang}-closed`);
    await again.close();
  }
  expect(found).toEqual([]);
});

/** The messages beside the fields, in the order of the form. */
const fieldErrors = (page: Page) => page.locator('p.error[id$="-error"]').evaluateAll((els) => els.map((e) => e.textContent ?? '').filter((t) => t !== ''));

it('speaks every validation message in the language of the form, before anything is sent', async () => {
  const expected = {
    en: { choose: 'Choose a category', form: ['Choose a category.', 'Describe the problem.', 'Not a phone number.', 'Not an e-mail address.'], secret: 'Enter the case secret from your receipt.', rating: 'Choose a rating from 1 to 5.', reason: 'Say why you appeal.' },
    fr: { choose: 'Choisissez une catégorie', form: ['Choisissez une catégorie.', 'Décrivez le problème.', 'Ce n’est pas un numéro de téléphone.', 'Ce n’est pas une adresse électronique.'], secret: 'Saisissez le code secret figurant sur votre récépissé.', rating: 'Choisissez une note de 1 à 5.', reason: 'Indiquez pourquoi vous faites appel.' },
    hi: { choose: 'श्रेणी चुनें', form: ['कृपया एक श्रेणी चुनें।', 'कृपया समस्या बताएँ।', 'यह फ़ोन नंबर नहीं है।', 'यह ई-मेल पता नहीं है।'], secret: 'अपनी पावती पर दिया गया गुप्त कोड लिखें।', rating: '1 से 5 के बीच रेटिंग चुनें।', reason: 'बताएँ कि आप अपील क्यों कर रहे हैं।' },
  };
  const resolved = await submit('DIST-WATER-QUALITY', 'The water is brown.');
  await drive(resolved.documentId, [{ action: 'acknowledge' }, { action: 'assign', assignee: await userId(suite.app, ADMIN_ROLES.officerWater) }, { action: 'start' }, { action: 'resolve', resolution: 'Pipe flushed.' }]);
  const resolvedStatus = (await suite.app.http().get(`/api/grievances/track/${resolved.code}`)).body.data.status;

  for (const lang of LANGUAGES) {
    const words = expected[lang];
    const page = await portal(suite.browser, lang);
    const sent: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') sent.push(r.url()); });
    await page.goto(`${suite.app.baseUrl}/portal/#/submit`);
    const category = page.locator('#f-category');
    await category.locator('option').nth(1).waitFor({ state: 'attached', timeout: 30_000 });
    // Nothing is chosen for the citizen: the first entry asks for a choice.
    expect(await category.inputValue()).toBe('');
    expect((await category.locator('option:checked').innerText()).trim()).toBe(words.choose);
    await page.locator('#f-phone').fill('not a phone');
    await page.locator('#f-email').fill('not an address');
    await page.locator('form button[type="submit"]').click();
    await page.locator('#f-category-error').filter({ hasText: words.form[0] }).waitFor();
    expect(await fieldErrors(page)).toEqual(words.form);
    expect(await page.locator('#f-category').getAttribute('aria-invalid')).toBe('true');
    if (lang === 'hi') for (const message of await fieldErrors(page)) expect(message).not.toMatch(/[A-Za-z]/);
    await shot(page, `form-errors-${lang}`);
    expect(sent).toEqual([]);

    // The citizen's answer to a resolution: the secret, the rating and the reason.
    if (resolvedStatus === 'resolved') {
      await page.goto(`${suite.app.baseUrl}/portal/#/track/${resolved.code}`);
      await page.locator('#feedback').waitFor({ timeout: 30_000 });
      await page.locator('#feedback button').first().click();
      expect(await fieldErrors(page)).toEqual([words.secret, words.rating]);
      await page.locator('#f-secret').fill(resolved.secret);
      await page.locator('#feedback button').last().click();
      expect(await fieldErrors(page)).toEqual([words.reason]);
      await shot(page, `answer-errors-${lang}`);
      expect(sent).toEqual([]);
    }
    await page.close();
  }
  expect(resolvedStatus).toBe('resolved');
});

it('lists regions top-down as a hierarchy, each under its parent', async () => {
  const rows = await suite.app.strapi.db.query('api::region.region' as any).findMany({ where: { locale: 'en', project: { code: 'DIST' } }, populate: { parent: true } });
  const parentOf = new Map<string, string | null>(rows.map((r: any) => [r.code, r.parent?.code ?? null]));
  const page = await portal(suite.browser, 'en');
  await page.goto(`${suite.app.baseUrl}/portal/#/submit`);
  const options = page.locator('#f-region option');
  await options.nth(rows.length).waitFor({ state: 'attached', timeout: 30_000 });
  const listed = await options.evaluateAll((els) => els.map((e) => ({ code: (e as HTMLOptionElement).value, label: e.textContent ?? '' })));
  expect(listed[0].code).toBe('');
  const regions = listed.slice(1);
  expect(regions.map((r) => r.code).sort()).toEqual([...parentOf.keys()].sort());
  const depth = (code: string): number => (parentOf.get(code) ? 1 + depth(parentOf.get(code)!) : 0);
  const indent = (label: string) => label.length - label.trimStart().length;
  // Top-down: every region comes after its parent, deeper in, and the regions between the two
  // are the parent's other descendants (the list is the tree read from the top).
  expect(regions[0].code).toBe('DIST-P1');
  regions.forEach((r, i) => {
    const parent = parentOf.get(r.code);
    if (!parent) return expect(indent(r.label)).toBe(0);
    const at = regions.findIndex((x) => x.code === parent);
    expect({ code: r.code, after: at < i }).toEqual({ code: r.code, after: true });
    expect(indent(r.label)).toBeGreaterThan(indent(regions[at].label));
    for (const between of regions.slice(at + 1, i)) expect(depth(between.code)).toBeGreaterThan(depth(parent));
  });
  // A closed select shows one line: open it out as a list for the picture.
  await page.locator('#f-region').evaluate((el) => el.setAttribute('size', String(Math.min((el as HTMLSelectElement).options.length, 20))));
  await page.locator('#f-region').scrollIntoViewIfNeeded();
  await page.locator('#f-region').screenshot({ path: path.join(SHOTS, 'portal-regions-en.png') });
  await page.close();
});

it('gives the file picker a touch target of at least 44 px on a 375 px phone, in the portal\'s language', async () => {
  const page = await portal(suite.browser, 'hi');
  await page.goto(`${suite.app.baseUrl}/portal/#/submit`);
  const button = page.getByTestId('file-button');
  await button.waitFor({ timeout: 30_000 });
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  expect(box.width).toBeGreaterThanOrEqual(PHONE.width - 2 * 16 - 2);
  expect(await button.innerText()).toBe('फ़ोटो या दस्तावेज़ चुनें');
  expect(await page.getByTestId('file-names').innerText()).toBe('कोई फ़ाइल नहीं चुनी गई।');
  // The button opens the picker (the input it labels), and the chosen names show beside it.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles({ name: 'pump.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
  await page.getByTestId('file-names').filter({ hasText: 'pump.png' }).waitFor();
  await shot(page, 'file-button-hi');
  await page.close();
});
