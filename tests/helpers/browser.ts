/** Debian's chromium driven by playwright-core, and logging in to the admin panel. */
import { chromium, type Browser } from 'playwright-core';
import { DEMO_PASSWORD } from './app';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
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
