/**
 * What a public request leaves behind (docs/security.md): no client address or user agent in
 * any table (audit trail, idempotency and rate-limit rows included) or log line; no case secret
 * in a URL or a log line; and nothing a citizen wrote (description, address, appeal reason,
 * feedback comment) in public tracking, Open311 or the public figures. Staff requests keep their
 * address in the audit trail, which is also the proof that the scans below can find one.
 */
import { createHash, createHmac } from 'node:crypto';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { auditEvents, lastSeq } from '../helpers/audit';
import { asBuffer } from '../helpers/binary';
import { resolveAsWaterStaff, workflowAs } from '../helpers/workflow';

// The app trusts one proxy, so a public request's address is whatever this header says: one
// nobody else in the suite uses, easy to find wherever it might be written.
const CITIZEN_IP = '198.51.100.23';
const CITIZEN_UA = 'PrivacyProbe/9.7 (citizen-phone-ua-5c1e)';
const STAFF_IP = '203.0.113.45';
const STAFF_UA = 'StaffBrowser/3.1 (staff-desk-ua-9b2d)';
const ENV = {
  TRUSTED_PROXY_HOPS: '1',
  RATE_LIMIT_SUBMIT_PER_MINUTE: '1000',
  RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE: '1000',
  RATE_LIMIT_TRACK_PER_MINUTE: '1000',
  INTAKE_DEFAULT_PROJECT: 'DIST',
  INTAKE_DEFAULT_CATEGORY: 'DIST-WATER-SUPPLY',
  INTAKE_CHAT_SECRET: 'bot-secret',
};
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const O311 = '/api/open311/v2';

let app: TestApp;
let apiKey: string;
const logLines: string[] = [];
const secrets: string[] = [];
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);

/** A request from a citizen's phone, through the trusted proxy. */
const asCitizen = (req: any) => req.set('X-Forwarded-For', CITIZEN_IP).set('User-Agent', CITIZEN_UA);
const citizen = {
  get: (path: string) => asCitizen(app.http().get(path)),
  post: (path: string, body?: unknown) => asCitizen(app.http().post(path)).send(body as object),
};

beforeAll(async () => {
  Object.assign(process.env, ENV);
  app = await startApp({ grievancesPerProject: 0 });
  const token = await (app.strapi.service('admin::api-token') as any).create({ name: 'city-app', description: 'City app', type: 'full-access', kind: 'content-api', lifespan: null });
  apiKey = token.accessKey;
  // Every line written through Strapi's logger, whatever the configured level.
  for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'log'] as const) {
    const original = (app.strapi.log as any)[level].bind(app.strapi.log);
    jest.spyOn(app.strapi.log as any, level).mockImplementation((...args: unknown[]) => {
      logLines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(' '));
      return original(...args);
    });
  }
}, 120_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await app.stop();
  for (const key of Object.keys(ENV)) delete process.env[key];
});

/** A citizen files a case; staff (from their own desk) take it to resolved with a public resolution. */
async function resolvedCase(extra: Record<string, unknown> = {}) {
  const res = await citizen.post('/api/grievances/submit', { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Broken pipe behind house 12, Ravi Kumar.', ...extra } });
  expect(res.status).toBe(201);
  const { trackingCode, caseSecret } = res.body.data;
  secrets.push(caseSecret);
  const { documentId } = await grievances().findOne({ where: { trackingCode } });
  await resolveAsWaterStaff(app, documentId, 'Staff note: pipe replaced on 3 December.');
  return { trackingCode, caseSecret, documentId };
}

/** Every row of every table, as text, on SQLite and PostgreSQL alike. */
async function everyRow(): Promise<Array<{ table: string; text: string }>> {
  const knex = app.strapi.db.connection;
  const tables: string[] =
    app.strapi.db.dialect.client === 'postgres'
      ? (await knex.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")).rows.map((r: any) => r.name)
      : (await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).map((r: any) => r.name);
  expect(tables).toEqual(expect.arrayContaining(['audit_events', 'rate_limits', 'idempotency_keys', 'grievances', 'grievance_events']));
  const rows: Array<{ table: string; text: string }> = [];
  for (const table of tables) {
    for (const row of await knex(table).select('*')) rows.push({ table, text: JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v)) });
  }
  return rows;
}

/** Ways an address or a user agent could be written down: as is, or as a hash anyone can recompute. */
const tracesOf = (value: string) => [value, createHash('sha256').update(value).digest('hex').slice(0, 32), createHash('md5').update(value).digest('hex')];

describe('a public request leaves no address and no user agent behind', () => {
  let before: number;
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    before = await lastSeq(app);
    // Every public door, anonymous filing first.
    const upload = await asCitizen(app.http().post('/api/grievances/attachments')).attach('files', PNG, { filename: 'pipe.png', contentType: 'image/png' });
    expect(upload.status).toBe(201);
    const anonymous = await asCitizen(app.http().post('/api/grievances/submit'))
      .set('Idempotency-Key', 'privacy-probe-1')
      .send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Anonymous: the clerk asks for bribes.', anonymous: true, attachments: upload.body.data.map((f: any) => f.id) } });
    expect(anonymous.status).toBe(201);
    codes.anonymous = anonymous.body.data.trackingCode;
    secrets.push(anonymous.body.data.caseSecret);
    expect((await citizen.get(`/api/grievances/track/${codes.anonymous}`)).status).toBe(200);
    expect((await citizen.post(`/api/grievances/track/${codes.anonymous}/receipt`, { data: { caseSecret: anonymous.body.data.caseSecret } })).status).toBe(200);
    expect((await citizen.post(`/api/grievances/track/${codes.anonymous}/accept`, { data: { caseSecret: 'not-the-secret-000' } })).status).toBe(403);

    const rated = await resolvedCase({ anonymous: true });
    expect((await citizen.post(`/api/grievances/track/${rated.trackingCode}/feedback`, { data: { caseSecret: rated.caseSecret, rating: 2, comment: 'Slow.' } })).status).toBe(200);
    expect((await citizen.post(`/api/grievances/track/${rated.trackingCode}/accept`, { data: { caseSecret: rated.caseSecret } })).status).toBe(200);
    const appealed = await resolvedCase();
    expect((await citizen.post(`/api/grievances/track/${appealed.trackingCode}/appeal`, { data: { caseSecret: appealed.caseSecret, reason: 'Still leaking.' } })).status).toBe(200);

    const open311 = await asCitizen(app.http().post(`${O311}/requests.json`))
      .type('form')
      .send({ api_key: apiKey, jurisdiction_id: 'dist', service_code: 'DIST-ROAD-DAMAGE', lat: '26.1445', long: '91.7362', description: 'Pothole by the school.' });
    expect(open311.status).toBe(201);
    expect((await citizen.get(`${O311}/requests.json?jurisdiction_id=dist`)).status).toBe(200);

    const raw = JSON.stringify({ message_id: 'bot-privacy-1', text: 'No water since Monday.' });
    const time = String(Math.floor(Date.now() / 1000));
    const chat = await asCitizen(app.http().post('/api/intake/chat'))
      .set('Content-Type', 'application/json')
      .set('X-GRM-Timestamp', time)
      .set('X-Signature-256', `sha256=${createHmac('sha256', 'bot-secret').update(`${time}.${raw}`).digest('hex')}`)
      .send(raw);
    expect(chat.status).toBe(200);
    secrets.push(chat.body.data.received[0].caseSecret);
    expect((await citizen.get('/api/public-metrics?project=DIST')).status).toBe(200);

    // And a staff member, from their desk: their address is kept, on purpose.
    const token = await app.tokenFor(ADMIN_ROLES.headWater);
    const { documentId } = await grievances().findOne({ where: { trackingCode: codes.anonymous } });
    const staff = await app.http().post(`/workflow/grievances/${documentId}/transitions`).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', STAFF_IP).set('User-Agent', STAFF_UA).send({ action: 'acknowledge', version: 0 });
    expect(staff.status).toBe(200);
  }, 120_000);

  it('in no row of any table, as text or as an unkeyed hash', async () => {
    const rows = await everyRow();
    for (const trace of [...tracesOf(CITIZEN_IP), ...tracesOf(CITIZEN_UA)]) {
      expect(rows.filter((r) => r.text.includes(trace)).map((r) => `${r.table}: ${r.text.slice(0, 200)}`)).toEqual([]);
    }
    // The same scan finds a staff member's address: it would find a citizen's.
    expect([...new Set(rows.filter((r) => r.text.includes(STAFF_IP) && r.text.includes(STAFF_UA)).map((r) => r.table))]).toEqual(['audit_events']);
    // The limits counted the citizen under a keyed hash that expires with its window.
    const buckets = await app.strapi.db.connection('rate_limits').select('bucket', 'window_start');
    expect(buckets.some((b: any) => /^submit:[0-9a-f]{32}$/.test(b.bucket))).toBe(true);
  });

  it('in no audit event of a public request, which carries no address or user agent at all', async () => {
    const events = (await auditEvents(app, { seq: { $gt: before } })) as any[];
    const publicEvents = events.filter((e) => e.actorType !== 'staff');
    expect(publicEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['grievance.create', 'workflow.feedback', 'workflow.accept', 'workflow.appeal']));
    expect(publicEvents.filter((e) => e.ip != null || e.userAgent != null)).toEqual([]);
    expect(events.filter((e) => e.ip === STAFF_IP)).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'workflow.acknowledge', actorType: 'staff', userAgent: STAFF_UA })]));
  });

  it('in no log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.includes(CITIZEN_IP) || l.includes(CITIZEN_UA))).toEqual([]);
  });
});

describe('the case secret never travels in a URL and never reaches a log line', () => {
  it('gives the receipt for the secret in the body, and the old URL no longer takes one', async () => {
    const submitted = await citizen.post('/api/grievances/submit', { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Hand pump dry.' } });
    const { trackingCode, caseSecret, receiptUrl } = submitted.body.data;
    secrets.push(caseSecret);
    expect(receiptUrl).toBe(`/api/grievances/track/${trackingCode}/receipt`);
    expect(receiptUrl).not.toContain(caseSecret);
    const pdf = await citizen.post(receiptUrl, { data: { caseSecret } }).buffer(true).parse(asBuffer);
    expect([pdf.status, pdf.headers['content-type'], pdf.headers['content-disposition']]).toEqual([200, 'application/pdf', `attachment; filename="receipt-${trackingCode}.pdf"`]);

    // The old link, with the right secret, the wrong one, or none: the same refusal, and it never opens the receipt.
    for (const query of [{ secret: caseSecret }, { secret: 'wrong-secret-123' }, {}]) {
      const old = await citizen.get(`/api/grievances/track/${trackingCode}/receipt.pdf`).query(query);
      expect([old.status, old.headers['content-type'], old.body.error?.details?.code]).toEqual([400, 'application/json; charset=utf-8', 'SECRET_IN_URL']);
      expect(old.text).not.toContain(caseSecret);
    }
    // The new route takes its secret from the body only.
    const inQuery = await citizen.post(`${receiptUrl}?caseSecret=${caseSecret}`, { data: { caseSecret } });
    expect([inQuery.status, inQuery.body.error.details.code]).toEqual([400, 'VALIDATION']);
    const onlyInQuery = await citizen.post(`${receiptUrl}?secret=${caseSecret}`, {});
    expect(onlyInQuery.status).toBe(400);
    expect(onlyInQuery.text).not.toContain(caseSecret);
  });

  it('refuses an Open311 api_key in the URL, where proxies and logs keep it', async () => {
    const form = { jurisdiction_id: 'dist', service_code: 'DIST-ROAD-DAMAGE', lat: '26.1', long: '91.7', description: 'Crack in the bridge.' };
    const before = await grievances().count({});
    const res = await asCitizen(app.http().post(`${O311}/requests.json?api_key=${apiKey}`)).type('form').send(form);
    expect([res.status, res.body]).toEqual([400, [{ code: 400, description: 'Send api_key in the request body, not in the URL.' }]]);
    const xml = await asCitizen(app.http().post(`${O311}/requests.xml?api_key=${apiKey}`)).type('form').send({ ...form, api_key: apiKey });
    expect(xml.status).toBe(400);
    expect(await grievances().count({})).toBe(before);
  });

  it('writes request lines without their query string, and no secret anywhere in the log', async () => {
    const submitted = await citizen.post('/api/grievances/submit', { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Tap broken.' } });
    const { trackingCode, caseSecret } = submitted.body.data;
    secrets.push(caseSecret);
    // An attacker (or an old bookmark) puts the secret in the query, under any name, and in the path.
    await citizen.get(`/api/grievances/track/${trackingCode}?locale=${caseSecret}`);
    await citizen.get(`/api/projects?${caseSecret}=1`);
    await citizen.post(`/api/grievances/track/${trackingCode}/accept?secret=${caseSecret}`, { data: { caseSecret } });
    await citizen.post(`/api/grievances/track/${trackingCode}/feedback`, { data: { caseSecret, rating: 9 } });
    await citizen.post('/api/grievances/submit', { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'x', caseSecret } });
    await citizen.get(`/api/open311/v2/requests.json?jurisdiction_id=dist&api_key=${apiKey}`);
    const lines = logLines.filter((l) => l.includes('/api/grievances/track/') && l.includes('receipt.pdf'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^GET \/api\/grievances\/track\/[A-Z0-9-]+\/receipt\.pdf(\?…)? \(\d+ ms\) 400$/);
    expect(logLines).toContainEqual(expect.stringMatching(new RegExp(`^GET /api/grievances/track/${trackingCode}\\?… \\(\\d+ ms\\) \\d{3}$`)));
    expect(secrets.length).toBeGreaterThan(4);
    for (const secret of [...secrets, apiKey]) expect(logLines.filter((l) => l.includes(secret))).toEqual([]);
  });
});

describe('nothing a citizen writes is published', () => {
  const DESCRIPTION = 'Broken pipe behind house 12, Ravi Kumar.';
  const ADDRESS = 'Behind house 12, Ravi Kumar lane';
  const REASON = 'Appeal: the engineer Suresh lied, my son saw it.';
  const COMMENT = 'Feedback: thanks to nobody, call me on 98000 11111.';
  const LEGACY = 'Legacy appeal row: my landlord Mohan is behind this.';
  const STAFF_NOTE = 'Staff note: pipe replaced on 3 December.';
  let appealed: string;
  let rated: string;

  beforeAll(async () => {
    const a = await resolvedCase({ location: { lat: 26.14451, lng: 91.73622, address: ADDRESS } });
    appealed = a.trackingCode;
    expect((await citizen.post(`/api/grievances/track/${appealed}/appeal`, { data: { caseSecret: a.caseSecret, reason: REASON } })).status).toBe(200);
    const r = await resolvedCase();
    rated = r.trackingCode;
    expect((await citizen.post(`/api/grievances/track/${rated}/feedback`, { data: { caseSecret: r.caseSecret, rating: 1, comment: COMMENT } })).status).toBe(200);
    // A citizen's appeal recorded before the rule, still marked public in its row.
    const row = await grievances().findOne({ where: { trackingCode: rated } });
    await app.strapi.db.query('api::grievance-event.grievance-event' as any).create({
      data: { grievance: row.id, type: 'escalation', action: 'appeal', fromStatus: 'resolved', toStatus: 'escalated', actorType: 'citizen', actorLabel: 'citizen', note: LEGACY, visibility: 'public', occurredAt: new Date() },
    });
  }, 120_000);

  it('keeps the appeal reason for staff, inside', async () => {
    const { documentId } = await grievances().findOne({ where: { trackingCode: appealed } });
    const history = await (await workflowAs(app, ADMIN_ROLES.headWater)).history(documentId);
    expect(history.body.data ?? history.body).toContainEqual(expect.objectContaining({ action: 'appeal', note: REASON, visibility: 'internal', actor: { type: 'citizen', label: 'citizen' } }));
  });

  it('in public tracking: the staff note only', async () => {
    for (const code of [appealed, rated]) {
      const res = await citizen.get(`/api/grievances/track/${code}`);
      expect(res.status).toBe(200);
      expect(res.body.data.history.filter((h: any) => h.publicNote).map((h: any) => h.publicNote)).toEqual([STAFF_NOTE]);
      for (const text of [DESCRIPTION, ADDRESS, REASON, COMMENT, LEGACY, 'Ravi', 'Suresh', 'Mohan']) expect(res.text).not.toContain(text);
    }
  });

  it('in Open311, one request or the list, JSON or XML: the staff note only, no address', async () => {
    for (const code of [appealed, rated]) {
      for (const format of ['json', 'xml']) {
        const res = await citizen.get(`${O311}/requests/${code}.${format}?jurisdiction_id=dist`);
        expect(res.status).toBe(200);
        expect(res.text).toContain(STAFF_NOTE);
        for (const text of [DESCRIPTION, ADDRESS, REASON, COMMENT, LEGACY, 'Ravi', 'Suresh', 'Mohan']) expect(res.text).not.toContain(text);
      }
    }
    const one = await citizen.get(`${O311}/requests/${appealed}.json?jurisdiction_id=dist`);
    expect(one.body[0]).toMatchObject({ status_notes: STAFF_NOTE, address: '', lat: 26.145, long: 91.736 });
    for (const format of ['json', 'xml']) {
      const list = await citizen.get(`${O311}/requests.${format}?jurisdiction_id=dist`);
      expect(list.text).toContain(appealed);
      for (const text of [REASON, COMMENT, LEGACY, ADDRESS, DESCRIPTION]) expect(list.text).not.toContain(text);
    }
  });

  it('in the public figures', async () => {
    const res = await citizen.get('/api/public-metrics?project=DIST');
    expect(res.status).toBe(200);
    for (const text of [DESCRIPTION, ADDRESS, REASON, COMMENT, LEGACY]) expect(res.text).not.toContain(text);
  });

  it('a citizen cannot write a resolution or a public note of their own', async () => {
    for (const extra of [{ resolution: 'Resolved by the citizen.' }, { publicNote: 'Public note by the citizen.' }, { visibility: 'public' }]) {
      const res = await citizen.post('/api/grievances/submit', { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'x', ...extra } });
      expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION']);
    }
    const { trackingCode: code, caseSecret } = (await citizen.post('/api/grievances/submit', { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Leak.' } })).body.data;
    for (const data of [{ caseSecret, reason: 'x', visibility: 'public' }, { caseSecret, reason: 'x', note: 'mine' }]) {
      const res = await citizen.post(`/api/grievances/track/${code}/appeal`, { data });
      expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION']);
    }
  });
});
