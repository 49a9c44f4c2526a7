/**
 * The receipt PDF as the citizen sees it: rendered to PNG with poppler's pdftoppm (saved under
 * test-output/ to look at) and its text read back with pdftotext, in English and in Hindi.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, TestApp } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { asBuffer } from '../helpers/binary';

let app: TestApp;
beforeAll(async () => {
  process.env.PORTAL_URL = 'https://grm.district.test/portal';
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);
afterAll(async () => {
  await app.stop();
  delete process.env.PORTAL_URL;
});

async function receipt(language: string, name: string) {
  const submitted = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Hand pump broken.', language } });
  const { trackingCode, caseSecret } = submitted.body.data;
  const res = await app.http().post(`/api/grievances/track/${trackingCode}/receipt`).send({ data: { caseSecret } }).buffer(true).parse(asBuffer);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipt-'));
  const pdf = path.join(dir, 'receipt.pdf');
  fs.writeFileSync(pdf, res.body);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', pdf, path.join(SCREENSHOTS, name)]);
  expect(fs.statSync(path.join(SCREENSHOTS, `${name}.png`)).size).toBeGreaterThan(10_000);
  return { text: execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8'), trackingCode, caseSecret };
}

it('renders the English receipt with the code, the secret, the deadlines and the tracking link', async () => {
  const { text, trackingCode, caseSecret } = await receipt('en', 'receipt-en');
  expect(text).toContain('Grievance receipt');
  expect(text).toContain(trackingCode);
  expect(text).toContain(caseSecret);
  expect(text).toContain('What happens next');
  expect(text).toContain(`https://grm.district.test/portal/#/track/${trackingCode}`);
});

it('renders the Hindi receipt in Devanagari', async () => {
  const { text, trackingCode } = await receipt('hi', 'receipt-hi');
  expect(text).toContain(trackingCode);
  expect(text).toMatch(/[\u0900-\u097F]{2,}/);
  // Words without a vowel sign written before its consonant, which text extraction reorders.
  for (const word of ['पावती', 'कोड', 'समाधान']) expect(text).toContain(word);
});

it('refuses the receipt without the right secret', async () => {
  const submitted = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Leak.' } });
  const url = `/api/grievances/track/${submitted.body.data.trackingCode}/receipt`;
  const wrong = await app.http().post(url).send({ data: { caseSecret: 'wrong-secret-123' } });
  expect([wrong.status, wrong.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  const none = await app.http().post(url).send({ data: {} });
  expect([none.status, none.body.error.details.code]).toEqual([400, 'VALIDATION']);
});
