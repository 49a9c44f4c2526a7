/**
 * Stored files reach a reader only through an authorised route (docs/security.md#files): the
 * storage address of an attachment, a resolution document or an internal report answers 404
 * however it is spelled; citizens get signed links that expire for the secret; staff for their
 * scope; only published reports stay at their address. Images are measured before decoding, and
 * files no record uses are removed.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { DateTime } from 'luxon';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { signFileLink } from '../../src/domain/file-links';
import { removeOrphanFiles } from '../../src/platform/orphan-files';

let app: TestApp;
const LINK_SECRET = 'upload-access-test-secret';

// PNGs built here: a valid image of any size (grey, every pixel 0, compresses to almost nothing).
const crc32 = (buf: Buffer) => {
  let crc = 0xffffffff;
  for (const byte of buf) {
    let c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const png = (width: number, height: number, idat: Buffer = zlib.deflateSync(Buffer.alloc((width + 1) * height), { level: 9 })) => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (grey)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
};
/** A JPEG header (SOF0, SOS) declaring any size, with no image data: a few dozen bytes. */
const jpegHeader = (width: number, height: number) =>
  Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, (height >> 8) & 255, height & 255, (width >> 8) & 255, width & 255, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0, 0, 0xff, 0xd9]);

const PHOTO = png(400, 300);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const SECRET_FILE_NAME = 'complaint about officer Sharma';

const files = () => app.strapi.db.query('plugin::upload.file');
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const publicDir = () => app.strapi.dirs.static.public;
const binary = (res: any, cb: (error: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
};

/** A raw request, so the path goes out exactly as written (no client-side normalising). */
function raw(method: string, requestPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(app.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: requestPath }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const uploadAttachments = (...parts: Array<[Buffer, string]>) => {
  const req = app.http().post('/api/grievances/attachments');
  for (const [buffer, name] of parts) req.attach('files', buffer, { filename: name, contentType: 'application/octet-stream' });
  return req;
};

let trackingCode: string;
let caseSecret: string;
let caseDocumentId: string;
let photo: any;
let pdf: any;

beforeAll(async () => {
  process.env.FILE_LINK_SECRET = LINK_SECRET;
  process.env.RATE_LIMIT_SUBMIT_PER_MINUTE = '1000';
  process.env.RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE = '1000';
  process.env.RATE_LIMIT_ATTEMPTS_PER_CASE_PER_HOUR = '1000';
  app = await startApp({ grievancesPerProject: 0 });
  const uploaded = await uploadAttachments([PHOTO, `${SECRET_FILE_NAME}.png`], [PDF, 'bill.pdf']);
  expect(uploaded.status).toBe(201);
  const filed = await app.http().post('/api/grievances/submit').send({
    data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'No water for a week; photo attached.', attachments: uploaded.body.data.map((f: any) => f.id) },
  });
  expect(filed.status).toBe(201);
  ({ trackingCode, caseSecret } = filed.body.data);
  const row = await grievances().findOne({ where: { trackingCode }, populate: { attachments: true } });
  caseDocumentId = row.documentId;
  photo = row.attachments.find((f: any) => f.mime === 'image/png');
  pdf = row.attachments.find((f: any) => f.mime === 'application/pdf');
}, 180_000);
afterAll(async () => {
  await app.stop();
  for (const key of ['FILE_LINK_SECRET', 'RATE_LIMIT_SUBMIT_PER_MINUTE', 'RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE', 'RATE_LIMIT_ATTEMPTS_PER_CASE_PER_HOUR']) delete process.env[key];
});

describe('storage addresses', () => {
  it('keeps nothing of the uploader\'s file name in the stored address', () => {
    expect(photo.url).toMatch(/^\/uploads\/[0-9a-f]{32}\.png$/);
    expect(photo.formats.thumbnail.url).toMatch(/^\/uploads\/thumbnail_[0-9a-f]{32}\.png$/);
    const addresses = [photo.url, photo.hash, ...Object.values(photo.formats).flatMap((f: any) => [f.url, f.hash])];
    expect(addresses.join(' ')).not.toMatch(/officer|sharma|complaint/i);
    expect(fs.existsSync(path.join(publicDir(), photo.url))).toBe(true);
  });

  it('answers 404 NOT_FOUND for an attachment and its image formats, however the path is spelled', async () => {
    const name = photo.url.slice('/uploads/'.length);
    const spellings = [
      photo.url,
      pdf.url,
      photo.formats.thumbnail.url,
      `/%75ploads/${name}`,
      `/uploads/%2e/${name}`,
      `//uploads/${name}`,
      `/uploads//${name}`,
      `/uploads/./${name}`,
      `/portal/../uploads/${name}`,
      `/portal/%2e%2e/uploads/${name}`,
      `/UPLOADS/${name}`,
      `/uploads/${name}?download=1`,
      `/uploads/${name}%`,
    ];
    for (const spelling of spellings) {
      const res = await raw('GET', spelling);
      expect([spelling, res.status]).toEqual([spelling, 404]);
      expect(res.body).not.toContain('IHDR');
      if (res.body.startsWith('{')) expect(JSON.parse(res.body).error.details.code).toBe('NOT_FOUND');
    }
    expect((await raw('HEAD', photo.url)).status).toBe(404);
    const get = await app.http().get(photo.url);
    expect([get.status, get.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('keeps the public portal and published reports at their addresses, internal reports not', async () => {
    expect((await app.http().get('/portal/')).status).toBe(200);
    const period = DateTime.now().setZone('Asia/Kolkata').toFormat('yyyy-MM');
    const generator = app.strapi.plugin('reports').service('generator');
    const published = await generator.generate({ kind: 'monthly_public', project: 'DIST', period, by: 'test' });
    const internal = await generator.generate({ kind: 'monthly_escalated', project: 'DIST', period, by: 'test' });
    const archive = await app.http().get('/api/public-reports').query({ project: 'DIST' });
    const entry = archive.body.data.find((r: any) => r.kind === 'monthly_public');
    expect(entry.pdfUrl).toBe(published.pdf);
    const download = await app.http().get(entry.pdfUrl);
    expect([download.status, download.headers['content-type']]).toEqual([200, 'application/pdf']);
    // The internal report's generate answer is a signed link, its storage address 404.
    expect(internal.pdf).toMatch(/^\/api\/files\//);
    const stored = await app.strapi.db.query('plugin::reports.report' as any).findOne({ where: { documentId: internal.documentId }, populate: { pdf: true, xlsx: true } });
    for (const file of [stored.pdf, stored.xlsx]) expect((await app.http().get(file.url)).status).toBe(404);
    const viaLink = await app.http().get(internal.pdf).buffer(true).parse(binary);
    expect([viaLink.status, viaLink.body.subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
  });
});

describe('citizens: signed links for the case secret', () => {
  const links = (body: unknown, code = trackingCode) => app.http().post(`/api/grievances/track/${code}/attachments`).send(body as object);

  it('lists the attachments with links that download them, named and typed as stored', async () => {
    const res = await links({ data: { caseSecret } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const list = res.body.data;
    expect(list.map((f: any) => [f.name, f.mime]).sort()).toEqual([['bill.pdf', 'application/pdf'], [`${SECRET_FILE_NAME}.png`, 'image/png']]);
    const image = list.find((f: any) => f.mime === 'image/png');
    expect(image.url).toMatch(/^\/api\/files\/\d+\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(new Date(image.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(new Date(image.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(JSON.stringify(list)).not.toContain('/uploads/');
    const download = await app.http().get(image.url).buffer(true).parse(binary);
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body, fs.readFileSync(path.join(publicDir(), photo.url)))).toBe(0);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${SECRET_FILE_NAME}.png"; filename*=UTF-8''${encodeURIComponent(`${SECRET_FILE_NAME}.png`)}`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['cache-control']).toBe('private, no-store');
  });

  it('refuses a wrong secret, a secret in the URL, extra fields and an unknown case', async () => {
    const wrong = await links({ data: { caseSecret: 'not-the-secret' } });
    expect([wrong.status, wrong.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
    const inUrl = await app.http().post(`/api/grievances/track/${trackingCode}/attachments`).query({ caseSecret }).send({});
    expect([inUrl.status, inUrl.body.error.details.code]).toEqual([400, 'VALIDATION']);
    const extra = await links({ data: { caseSecret, fileId: photo.id } });
    expect([extra.status, extra.body.error.details.code]).toEqual([400, 'VALIDATION']);
    const other = await links({ data: { caseSecret } }, 'XXXX');
    expect([other.status, other.body.error.details.code]).toEqual([400, 'INVALID_TRACKING_CODE']);
  });

  it('refuses an expired, forged or edited link, and a link to a file that is gone', async () => {
    const expired = signFileLink(LINK_SECRET, photo.id, Date.now() - 1);
    const forged = signFileLink('someone-elses-secret', photo.id, Date.now() + 60_000);
    const valid = signFileLink(LINK_SECRET, pdf.id, Date.now() + 60_000);
    const [, expiry, signature] = valid.split('.');
    const edited = [`${photo.id}.${expiry}.${signature}`, `${pdf.id}.${Number(expiry) + 3_600_000}.${signature}`];
    for (const token of [expired, forged, ...edited, 'junk', `${pdf.id}`]) {
      const res = await app.http().get(`/api/files/${token}`);
      expect([token, res.status, res.body.error?.details?.code]).toEqual([token, 404, 'NOT_FOUND']);
    }
    expect((await app.http().get(`/api/files/${valid}`)).status).toBe(200);
    const gone = signFileLink(LINK_SECRET, 999_999, Date.now() + 60_000);
    expect((await app.http().get(`/api/files/${gone}`)).status).toBe(404);
  });
});

describe('staff: links for the cases in their scope', () => {
  const filesAs = async (email: string, documentId = caseDocumentId) =>
    app.http().get(`/workflow/grievances/${documentId}/files`).set('Authorization', `Bearer ${await app.tokenFor(email)}`);

  it('gives a department\'s staff links to its case\'s files', async () => {
    const res = await filesAs(ADMIN_ROLES.headWater);
    expect(res.status).toBe(200);
    expect(res.body.data.map((f: any) => [f.field, f.mime]).sort()).toEqual([['attachments', 'application/pdf'], ['attachments', 'image/png']]);
    const download = await app.http().get(res.body.data[0].url);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
  });

  it('refuses staff outside the case\'s scope, and anyone without a login', async () => {
    const outside = await filesAs(ADMIN_ROLES.officerRoads);
    expect([outside.status, outside.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
    const anonymous = await app.http().get(`/workflow/grievances/${caseDocumentId}/files`);
    expect(anonymous.status).toBe(401);
    const unknown = await filesAs(ADMIN_ROLES.superAdmin, 'a'.repeat(24));
    expect(unknown.status).toBe(404);
  });

  it('lets managers of the whole project fetch an internal report\'s links, not a department head', async () => {
    const internal = await app.strapi.db.query('plugin::reports.report' as any).findOne({ where: { kind: 'monthly_escalated' } });
    const asAdmin = await app.http().get(`/reports/archive/${internal.documentId}/files`).set('Authorization', `Bearer ${await app.tokenFor(ADMIN_ROLES.projectAdmin)}`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.data.pdf).toMatch(/^\/api\/files\//);
    expect((await app.http().get(asAdmin.body.data.xlsx)).status).toBe(200);
    const asHead = await app.http().get(`/reports/archive/${internal.documentId}/files`).set('Authorization', `Bearer ${await app.tokenFor(ADMIN_ROLES.headWater)}`);
    expect([asHead.status, asHead.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  });
});

describe('image size in pixels, checked before decoding', () => {
  // 100000 × 100000 declared in 69 bytes; 8000 × 6000 real pixels in 47 KB; a JPEG header of 10000 × 5000.
  const bombs: Array<[string, Buffer]> = [
    ['huge.png', png(100_000, 100_000, zlib.deflateSync(Buffer.alloc(100)))],
    ['bomb.png', png(8000, 6000)],
    ['header.jpg', jpegHeader(10_000, 5000)],
    ['huge.jpg', jpegHeader(60_000, 60_000)],
  ];

  it('refuses oversized images from citizens quickly with 413 IMAGE_TOO_LARGE, storing nothing', async () => {
    const before = await files().count({});
    for (const [name, bytes] of bombs) {
      const started = Date.now();
      const res = await uploadAttachments([PHOTO, 'fine.png'], [bytes, name]);
      expect([name, res.status, res.body.error?.details?.code]).toEqual([name, 413, 'IMAGE_TOO_LARGE']);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    expect(await files().count({})).toBe(before);
  });

  it('refuses them in the media library too, generating no formats', async () => {
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const before = await files().count({});
    for (const [name, bytes] of bombs) {
      const res = await app.http().post('/upload').set('Authorization', `Bearer ${token}`).attach('files', bytes, { filename: name, contentType: name.endsWith('.png') ? 'image/png' : 'image/jpeg' });
      expect([name, res.status, res.body.error?.details?.code]).toEqual([name, 413, 'IMAGE_TOO_LARGE']);
    }
    expect(await files().count({})).toBe(before);
    const fine = await app.http().post('/upload').set('Authorization', `Bearer ${token}`).attach('files', PHOTO, { filename: 'fine.png', contentType: 'image/png' });
    expect(fine.status).toBe(201);
    expect(fine.body[0].formats.thumbnail).toBeDefined();
  });
});

describe('files no record uses', () => {
  it('are removed, from the database and the disk, once old enough; used ones stay', async () => {
    const uploaded = await uploadAttachments([PDF, 'never-sent.pdf']);
    const orphan = await files().findOne({ where: { name: 'never-sent.pdf' } });
    const orphanPath = path.join(publicDir(), orphan.url);
    expect(fs.existsSync(orphanPath)).toBe(true);
    expect(uploaded.status).toBe(201);

    // Younger than the configured age (48 hours): kept, a citizen may still send it.
    await removeOrphanFiles(Date.now() + 47 * 3_600_000);
    expect(await files().findOne({ where: { id: orphan.id } })).not.toBeNull();

    const { removed } = await removeOrphanFiles(Date.now() + 49 * 3_600_000);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await files().findOne({ where: { id: orphan.id } })).toBeNull();
    expect(fs.existsSync(orphanPath)).toBe(false);
    // The case's attachments (and their formats) and the reports' files stay.
    for (const file of [photo, pdf]) {
      expect(await files().findOne({ where: { id: file.id } })).not.toBeNull();
      expect(fs.existsSync(path.join(publicDir(), file.url))).toBe(true);
    }
    expect(fs.existsSync(path.join(publicDir(), photo.formats.thumbnail.url))).toBe(true);
    const reports = await app.strapi.db.query('plugin::reports.report' as any).findMany({ populate: { pdf: true, xlsx: true } });
    expect(reports.every((r: any) => r.pdf && r.xlsx)).toBe(true);
    // A second run (another instance, a retry) finds nothing left to do.
    expect(await removeOrphanFiles(Date.now() + 49 * 3_600_000)).toEqual({ removed: 0 });
  });
});
