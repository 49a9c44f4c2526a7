/**
 * Browser test: the Dashboard says which period its figures are for. The From and To fields hold
 * the period's first and last days (also the default period, when nobody chose one), a sentence
 * states the period in words, and both follow a period the manager applies.
 */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';

const suite = browserSuite({ grievancesPerProject: 20 });

/** The first and last local days of a period as the server gives it (`to` is the start of the day after). */
function days(period: { from: string; to: string; timeZone: string }) {
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: period.timeZone }).format(new Date(ms));
  return { from: day(Date.parse(period.from)), to: day(Date.parse(period.to) - 1) };
}
const inWords = (day: string) => new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));

it('fills the date fields with the period shown and states it in words', async () => {
  const { app } = suite;
  const token = await app.tokenFor(ADMIN_ROLES.projectAdmin);
  const page = await suite.logIn(ADMIN_ROLES.projectAdmin, { width: 1440, height: 1000 });
  await page.goto(`${app.baseUrl}/admin/plugins/reports`);
  await page.getByTestId('kpi-received').waitFor({ timeout: 60_000 });

  const api = await app.http().get('/reports/dashboard').set('Authorization', `Bearer ${token}`);
  const shown = days(api.body.data.period);
  const from = page.getByLabel('From');
  const to = page.getByLabel('To', { exact: true });
  expect([await from.inputValue(), await to.inputValue()]).toEqual([shown.from, shown.to]);
  const sentence = page.getByTestId('dashboard-period');
  expect(await sentence.innerText()).toBe(`Figures for ${inWords(shown.from)} to ${inWords(shown.to)} (both days included, ${api.body.data.period.timeZone} time).`);
  await suite.screenshot(page, 'dashboard-period.png');

  // A period the manager applies: the figures, the fields and the sentence all follow it.
  await from.fill('2026-01-01');
  await to.fill('2026-03-31');
  const answered = page.waitForResponse((r) => r.url().includes('/reports/dashboard?') && r.url().includes('from=2026-01-01'));
  await page.getByRole('button', { name: 'Apply' }).click();
  await answered;
  await sentence.filter({ hasText: 'January 1, 2026' }).waitFor();
  expect(await sentence.innerText()).toContain('January 1, 2026 to March 31, 2026');
  expect([await from.inputValue(), await to.inputValue()]).toEqual(['2026-01-01', '2026-03-31']);
  const chosen = await app.http().get('/reports/dashboard').query({ from: '2026-01-01', to: '2026-03-31' }).set('Authorization', `Bearer ${token}`);
  expect(await page.getByTestId('kpi-received').innerText()).toContain(String(chosen.body.data.overview.received));
  await page.close();
});
