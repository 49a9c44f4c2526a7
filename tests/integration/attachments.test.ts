/**
 * Citizens' attachments: checked by content (not by name or declared type), size- and
 * count-limited, stored through the upload plugin, attached to one complaint by a signed reference.
 */
import { startApp, TestApp } from '../helpers/app';

let app: TestApp;
// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const files = () => app.strapi.db.query('plugin::upload.file').count({});
const upload = (...parts: Array<[Buffer, string, string?]>) => {
  const req = app.http().post('/api/grievances/attachments');
  for (const [buffer, name, type] of parts) req.attach('files', buffer, { filename: name, contentType: type ?? 'application/octet-stream' });
  return req;
};
const valid = { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Broken pipe, photo attached.' };

beforeAll(async () => {
  process.env.ATTACHMENT_MAX_BYTES = '4096';
  process.env.RATE_LIMIT_SUBMIT_PER_MINUTE = '1000';
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);
afterAll(async () => {
  await app.stop();
  delete process.env.ATTACHMENT_MAX_BYTES;
  delete process.env.RATE_LIMIT_SUBMIT_PER_MINUTE;
});

it('stores a photo and a PDF, and attaches them to the complaint that names them', async () => {
  const res = await upload([PNG, 'pipe.png', 'image/png'], [PDF, 'bill.pdf', 'application/pdf']);
  expect(res.status).toBe(201);
  // Each file answers with its own type (the multipart parser does not promise their order).
  expect(res.body.data.map((f: any) => [f.name, f.mime]).sort()).toEqual([['bill.pdf', 'application/pdf'], ['pipe.png', 'image/png']]);
  const refs = res.body.data.map((f: any) => f.id);
  const filed = await app.http().post('/api/grievances/submit').send({ data: { ...valid, attachments: refs } });
  expect(filed.status).toBe(201);
  const row = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode: filed.body.data.trackingCode }, populate: { attachments: true } });
  expect(row.attachments.map((f: any) => f.mime).sort()).toEqual(['application/pdf', 'image/png']);
  // A reference works once.
  const again = await app.http().post('/api/grievances/submit').send({ data: { ...valid, attachments: [refs[0]] } });
  expect([again.status, again.body.error.details.code]).toEqual([400, 'VALIDATION']);
});

it('refuses markup, scripts and programs whatever they are called, and stores nothing', async () => {
  const before = await files();
  const hostile: Array<[Buffer, string, string]> = [
    [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'photo.png', 'image/png'],
    [Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 'photo.jpg', 'image/jpeg'],
    [Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), 'receipt.pdf', 'application/pdf'],
    [Buffer.from('#!/bin/sh\necho pwned'), 'voice.ogg', 'audio/ogg'],
  ];
  for (const file of hostile) {
    const res = await upload(file);
    expect([res.status, res.body.error.details.code]).toEqual([415, 'FILE_TYPE_NOT_ALLOWED']);
  }
  expect(await files()).toBe(before);
});

it('refuses files over the size limit and too many files', async () => {
  const before = await files();
  const big = Buffer.concat([PNG, Buffer.alloc(8192)]);
  const res = await upload([big, 'big.png']);
  expect([res.status, res.body.error.details.code]).toEqual([413, 'FILE_TOO_LARGE']);
  const many = await upload(...Array.from({ length: 6 }, (_, i) => [PNG, `p${i}.png`] as [Buffer, string]));
  expect([many.status, many.body.error.details.code]).toEqual([400, 'VALIDATION']);
  const none = await app.http().post('/api/grievances/attachments');
  expect(none.status).toBe(400);
  expect(await files()).toBe(before);
});

it('refuses a forged reference', async () => {
  const forged = await app.http().post('/api/grievances/submit').send({ data: { ...valid, attachments: [`1.${'0'.repeat(32)}`] } });
  expect([forged.status, forged.body.error.details.code]).toEqual([400, 'VALIDATION']);
});
