/** Debian's chromium driven by playwright-core, logging in to the admin panel, and the suite around it. */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startApp, TestApp } from './app';

/** Where browser tests save their screenshots (git-ignored). */
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-output');

/** `extraArgs`, e.g. `--host-resolver-rules=MAP portal.test 127.0.0.1` to reach the app by a hostname. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs],
  });
}

export async function logIn(browser: Browser, baseUrl: string, email: string, viewport = { width: 1440, height: 900 }) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /log ?in/i }).click();
  await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });
  return page;
}

export interface BrowserSuite {
  app: TestApp;
  browser: Browser;
  logIn: (email: string, viewport?: { width: number; height: number }) => Promise<Page>;
  screenshot: (page: Page, name: string) => Promise<unknown>;
}

/** Boots the app with its admin panel and a browser for the suite, and closes both after it. */
export function browserSuite(options: { grievancesPerProject: number }): BrowserSuite {
  // What went wrong in the pages of the current test (server errors, failed requests, script
  // errors): printed after it with a screenshot of each page, so that a failure seen only in CI
  // says what the page showed.
  let pages: Page[] = [];
  let trouble: string[] = [];
  const watch = (page: Page) => {
    pages.push(page);
    page.on('response', (response) => {
      if (response.status() >= 500) trouble.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => {
      // Requests a navigation or a closed stream cut short are not trouble.
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') trouble.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
    });
    page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`));
    return page;
  };
  const suite = {
    logIn: async (email: string, viewport?: { width: number; height: number }) => watch(await logIn(suite.browser, suite.app.baseUrl, email, viewport)),
    screenshot: (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, name) }),
  } as BrowserSuite;
  afterEach(async () => {
    const name = (expect.getState().currentTestName ?? 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    await Promise.all(pages.filter((page) => !page.isClosed()).map((page, i) => page.screenshot({ path: path.join(SCREENSHOTS, `last-${name}-${i}.png`) }).catch(() => undefined)));
    if (trouble.length > 0) console.log(`pages of "${name}" met trouble:\n${trouble.join('\n')}`);
    pages = [];
    trouble = [];
  });
  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    suite.app = await startApp({ ...options, serveAdminPanel: true });
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.app?.stop();
  });
  return suite;
}
