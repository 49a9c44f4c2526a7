/**
 * The public intake and tracking (docs/public-api.md): POST /api/grievances/submit with validation,
 * idempotency keys and per-client limits; GET /api/grievances/track/:code with only the public
 * fields, the check character and sensitive cases.
 */
import { createHash } from 'node:crypto';
import { startApp, TestApp } from '../helpers/app';
import { checkCharacter } from '../../src/domain/tracking-code';
import { requestHash } from '../../src/platform/idempotency';
import { parseSubmission } from '../../src/domain/public-submission';
import { asBuffer } from '../helpers/binary';

let app: TestApp;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const submit = (data: object, key?: string) => {
  const req = app.http().post('/api/grievances/submit').send({ data });
  return key ? req.set('Idempotency-Key', key) : req;
};
const valid = { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'No water at the Amarpur hand pump since Monday.' };

beforeAll(async () => {
  process.env.RATE_LIMIT_SUBMIT_PER_MINUTE = '40';
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);
afterAll(async () => {
  await app.stop();
  delete process.env.RATE_LIMIT_SUBMIT_PER_MINUTE;
});

it('files a grievance and returns its code, its secret once, and the roadmap', async () => {
  const res = await submit({ ...valid, region: 'DIST-B1-V1', language: 'fr', location: { lat: 26.1, lng: 91.7, address: 'Near the school' }, citizen: { name: 'Anita Devi', phone: '+919800000001' } });
  expect(res.status).toBe(201);
  const body = res.body.data;
  expect(body).toMatchObject({ status: 'submitted', trackingCode: expect.stringMatching(/^DIST-\d{8}-/), caseSecret: expect.any(String) });
  expect(body.roadmap.map((s: any) => s.step)).toEqual(['received', 'acknowledged', 'resolved']);
  expect(Date.parse(body.acknowledgeBy)).toBeGreaterThan(Date.parse(body.submittedAt));
  const row = await grievances().findOne({ where: { trackingCode: body.trackingCode }, populate: { region: true, events: true } });
  expect(row).toMatchObject({ channel: 'web', language: 'fr', citizenPhone: '+919800000001', region: { code: 'DIST-B1-V1' } });
  // Only the hash of the secret is kept.
  expect(row.secretHash).toBe(createHash('sha256').update(body.caseSecret).digest('hex'));
  expect(JSON.stringify(row)).not.toContain(body.caseSecret);
  expect(row.events.map((e: any) => e.type)).toEqual(['received']);
});

it("announces the new case to Strapi's webhooks (entry.create) once it is stored, without the citizen's contact or secret", async () => {
  const seen: any[] = [];
  const listener = async (event: any) => {
    if (event.uid === 'api::grievance.grievance') seen.push(event);
  };
  app.strapi.eventHub.on('entry.create', listener);
  try {
    const res = await submit({ ...valid, citizen: { name: 'Ravi Kumar', phone: '+919800000077', email: 'ravi@example.org' } });
    expect(res.status).toBe(201);
    for (let i = 0; i < 50 && seen.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveLength(1);
    expect(seen[0].entry).toMatchObject({ trackingCode: res.body.data.trackingCode, caseStatus: 'submitted', description: valid.description });
    const text = JSON.stringify(seen[0]);
    for (const secret of ['9800000077', 'Ravi Kumar', 'ravi@example.org', res.body.data.caseSecret]) expect(text).not.toContain(secret);
    expect(seen[0].entry.secretHash).toBeUndefined();
  } finally {
    app.strapi.eventHub.off('entry.create', listener);
  }
});

it('stores a public case as the document service stores a staff-filed one: same links, same stamps, contact sealed at rest', async () => {
  const res = await submit({ ...valid, region: 'DIST-B1-V1', citizen: { name: 'Meena Das', phone: '+919800000088' } });
  expect(res.status).toBe(201);
  const publicCase = await grievances().findOne({ where: { trackingCode: res.body.data.trackingCode } });
  const [category, region] = await Promise.all([
    app.strapi.db.query('api::category.category' as any).findOne({ where: { code: valid.category, locale: 'en' }, populate: { project: true } }),
    app.strapi.db.query('api::region.region' as any).findOne({ where: { code: 'DIST-B1-V1', locale: 'en' } }),
  ]);
  const staffCase = await app.strapi.documents('api::grievance.grievance' as any).create({
    data: { project: category.project.documentId, category: category.documentId, region: region.documentId, description: valid.description, citizenName: 'Meena Das', citizenPhone: '+919800000088' },
  } as any);
  const populate = { project: true, category: true, department: true, region: true, events: true };
  const [a, b] = await Promise.all([
    grievances().findOne({ where: { id: publicCase.id }, populate }),
    grievances().findOne({ where: { documentId: staffCase.documentId }, populate }),
  ]);
  for (const relation of ['project', 'category', 'department', 'region']) expect([relation, a[relation]?.id]).toEqual([relation, b[relation]?.id]);
  expect(a.events.map((e: any) => e.type)).toEqual(b.events.map((e: any) => e.type));
  for (const field of ['caseStatus', 'priority', 'sensitive', 'escalationLevel', 'version', 'slaState', 'citizenName', 'citizenPhone']) expect([field, a[field]]).toEqual([field, b[field]]);
  for (const field of ['documentId', 'createdAt', 'updatedAt', 'publishedAt', 'submittedAt', 'acknowledgeDueAt', 'resolveDueAt', 'slaCheckAt', 'intakeAnalysis']) expect([field, a[field] != null]).toEqual([field, true]);
  expect(a.documentId).toMatch(/^[a-z0-9]{24}$/);
  // At rest, both hold the contact sealed and the phone's blind index, never the number.
  const raw = await app.strapi.db.connection('grievances').whereIn('id', [a.id, b.id]).select('citizen_phone', 'citizen_name', 'citizen_phone_index');
  for (const row of raw) {
    expect(String(row.citizen_phone)).not.toContain('9800000088');
    expect(String(row.citizen_name)).not.toContain('Meena');
  }
  expect(raw[0].citizen_phone_index).toBe(raw[1].citizen_phone_index);
});

it("writes level 1's clocks with the case, exactly as the deadlines would set them afterwards, and answers them without a read back", async () => {
  const clockFields = ['slaStartedAt', 'acknowledgeDueAt', 'resolveDueAt', 'slaState', 'slaCheckAt'];
  // HWAY counts calendar hours, DIST business hours on its working calendar with holidays.
  for (const data of [{ ...valid, region: 'DIST-B1-V1' }, { project: 'HWAY', category: 'HWAY-COMPENSATION', description: 'Compensation for the wall taken by the road works not paid.' }]) {
    const res = await submit(data);
    expect(res.status).toBe(201);
    const stored = await grievances().findOne({ where: { trackingCode: res.body.data.trackingCode }, select: ['id', 'submittedAt', ...clockFields] });
    expect(stored.slaState).toBe('on_track');
    expect(stored.slaStartedAt).toBe(stored.submittedAt);
    expect(res.body.data).toMatchObject({ submittedAt: stored.submittedAt, acknowledgeBy: stored.acknowledgeDueAt, resolveBy: stored.resolveDueAt });
    // The deadlines' own way (a staff-filed case's): start level 1 again on the stored case.
    await app.strapi.plugin('escalation').service('deadlines').startLevel(stored.id, 1, new Date(stored.submittedAt));
    const again = await grievances().findOne({ where: { id: stored.id }, select: ['id', 'submittedAt', ...clockFields] });
    expect(again).toEqual(stored);
  }
});

it('refuses bad input field by field and stores nothing', async () => {
  const before = await grievances().count({});
  const cases: Array<[object, string[]]> = [
    [{}, ['project', 'category', 'description']],
    [{ ...valid, project: 'NOPE' }, ['project']],
    [{ ...valid, category: 'HWAY-DUST-NOISE' }, ['category']],
    [{ ...valid, region: 'HWAY-P1' }, ['region']],
    [{ ...valid, description: 'x'.repeat(100_000) }, ['description']],
    [{ ...valid, location: { lat: 200, lng: 0 } }, ['location.lat']],
    [{ ...valid, caseStatus: 'closed' }, ['caseStatus']],
    [{ ...valid, anonymous: true, citizen: { email: 'a@b.test' } }, ['citizen']],
  ];
  for (const [data, paths] of cases) {
    const res = await submit(data);
    expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION']);
    expect(res.body.error.details.errors.map((e: any) => e.path.join('.'))).toEqual(paths);
  }
  // Not JSON at all: refused for its type (docs/public-api.md, JSON only).
  const text = await app.http().post('/api/grievances/submit').send('not json').set('Content-Type', 'text/plain');
  expect([text.status, text.body.error.details.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  expect(await grievances().count({})).toBe(before);
});

it('keeps no contact data for an anonymous citizen', async () => {
  const res = await submit({ ...valid, anonymous: true });
  const row = await grievances().findOne({ where: { trackingCode: res.body.data.trackingCode } });
  expect(row).toMatchObject({ anonymous: true, citizenName: null, citizenPhone: null, citizenEmail: null });
});

it('answers a repeated submission with the same Idempotency-Key with the same case', async () => {
  const first = await submit(valid, 'phone-retry-0001');
  const again = await submit(valid, 'phone-retry-0001');
  expect(again.status).toBe(201);
  expect(again.body).toEqual(first.body);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(await grievances().count({ where: { trackingCode: first.body.data.trackingCode } })).toBe(1);
  const before = await grievances().count({});
  const other = await submit({ ...valid, description: 'Something else entirely.' }, 'phone-retry-0001');
  expect([other.status, other.body.error.details.code]).toEqual([422, 'IDEMPOTENCY_MISMATCH']);
  expect(await grievances().count({})).toBe(before);
});

it('answers 409 while the first request with a key is still running', async () => {
  const hash = requestHash({ data: valid });
  await app.strapi.db.connection('idempotency_keys').insert({ scope: 'submit', key: 'in-flight-key', request_hash: hash, state: 'in_flight', created_at: Date.now() });
  const res = await submit(valid, 'in-flight-key');
  expect([res.status, res.body.error.details.code]).toEqual([409, 'IDEMPOTENCY_IN_FLIGHT']);
});

it('lets a retry take over a key whose request a crash cut off, and files one case even if that request was only slow', async () => {
  const knex = app.strapi.db.connection;
  // A claim left in flight 31 s ago (its instance died, or its database went away before the release).
  await knex('idempotency_keys').insert({ scope: 'submit', key: 'cut-off-key', request_hash: requestHash({ data: valid }), state: 'in_flight', created_at: Date.now() - 31_000 });
  const before = await grievances().count({});
  const retry = await submit(valid, 'cut-off-key');
  expect(retry.status).toBe(201);
  // Had the first request only been slow, its completion now finds the key done and rolls back.
  const slow = app.strapi.plugin('cases').service('submission').submit(parseSubmission({ data: valid }), 'cut-off-key');
  await expect(slow).rejects.toThrow(/completed by another request/);
  expect(await grievances().count({})).toBe(before + 1);
  expect((await submit(valid, 'cut-off-key')).body).toEqual(retry.body);
});

it('tracks a case by its code with public fields only', async () => {
  const { body } = await submit({ ...valid, citizen: { name: 'Ravi', email: 'ravi@example.test' } });
  const res = await app.http().get(`/api/grievances/track/${body.data.trackingCode.toLowerCase()}`);
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ trackingCode: body.data.trackingCode, status: 'submitted', statusLabel: 'Received', category: 'No or irregular water supply', slaState: 'on_track', escalationLevel: 1 });
  expect(res.body.data.history).toEqual([{ status: 'submitted', statusLabel: 'Received', at: body.data.submittedAt }]);
  const text = JSON.stringify(res.body);
  for (const secret of ['Ravi', 'ravi@example.test', 'secretHash', 'assignee', body.data.caseSecret]) expect(text).not.toContain(secret);
  const fr = await app.http().get(`/api/grievances/track/${body.data.trackingCode}`).query({ locale: 'fr' });
  expect(fr.body.data.statusLabel).toBe('Reçue');
});

it('catches a mistyped code by its check character, and answers 404 for an unknown one', async () => {
  const { body } = await submit(valid);
  const code: string = body.data.trackingCode;
  // One character misread (every single substitution changes the check character).
  const wrong = code[code.length - 2] === '7' ? '8' : '7';
  const typo = await app.http().get(`/api/grievances/track/${code.slice(0, -2)}${wrong}${code.slice(-1)}`);
  expect([typo.status, typo.body.error.details.code]).toEqual([400, 'INVALID_TRACKING_CODE']);
  expect(typo.body.error.message).toMatch(/typing mistake/);
  const bodyPart = 'DIST-20200101-ABCDEFGH';
  const unknown = await app.http().get(`/api/grievances/track/${bodyPart}${checkCharacter(bodyPart)}`);
  expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
  expect((await app.http().get('/api/grievances/track/hello')).body.error.details.code).toBe('INVALID_TRACKING_CODE');
});

it('shows only status and dates for a sensitive case', async () => {
  const { body } = await submit({ project: 'HWAY', category: 'HWAY-GBV-SEA', description: 'Harassment by a site supervisor.' });
  const res = await app.http().get(`/api/grievances/track/${body.data.trackingCode}`);
  expect(res.body.data).toMatchObject({ sensitive: true, status: 'submitted' });
  expect(res.body.data).not.toHaveProperty('category');
  expect(res.body.data).not.toHaveProperty('department');
});

it('serves the receipt PDF to the holder of the case secret only, asked for with the secret in the body', async () => {
  const { body } = await submit({ ...valid, language: 'hi' });
  const url = `/api/grievances/track/${body.data.trackingCode}/receipt`;
  expect(body.data.receiptUrl).toBe(url);
  const pdf = await app.http().post(url).send({ data: { caseSecret: body.data.caseSecret } }).buffer(true).parse(asBuffer);
  expect([pdf.status, pdf.headers['content-type'], pdf.headers['cache-control']]).toEqual([200, 'application/pdf', 'private, no-store']);
  expect(pdf.headers['content-disposition']).toBe(`attachment; filename="receipt-${body.data.trackingCode}.pdf"`);
  expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  const refused = await app.http().post(url).send({ data: { caseSecret: 'x'.repeat(24) } });
  expect([refused.status, refused.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
});

it('limits a flood of submissions from one address with 429 and Retry-After, storing nothing more', async () => {
  let limited: any = null;
  for (let i = 0; i < 45 && !limited; i += 1) {
    const res = await submit({ ...valid, description: `Flood ${i}` });
    if (res.status === 429) limited = res;
  }
  expect(limited.body.error.details.code).toBe('RATE_LIMITED');
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  const rows = await app.strapi.db.connection('rate_limits').select('bucket');
  // Counted per client in the shared table, under a keyed hash rather than the address.
  expect(rows.some((r: any) => r.bucket.startsWith('submit:'))).toBe(true);
  expect(JSON.stringify(rows)).not.toContain('127.0.0.1');
});

it('tracks the status history in the order it happened, with a public note on its own step only', async () => {
  const { workflowAs, userId } = await import('../helpers/workflow');
  const { ADMIN_ROLES } = await import('../helpers/app');
  // Filed through the service: this suite's earlier tests used up the client's submission limit.
  const body = await app.strapi.plugin('cases').service('submission').submit(parseSubmission({ data: { ...valid, description: 'The Amarpur pump handle broke off this morning.' } }), null);
  const row = await grievances().findOne({ where: { trackingCode: body.data.trackingCode }, select: ['documentId'] });
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  // The same instant for two steps would leave only the row id to order them.
  expect((await head.act(row.documentId, { action: 'acknowledge', version: 0, note: 'A fitter visits tomorrow.', visibility: 'public' })).status).toBe(200);
  expect((await head.act(row.documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater), note: 'Internal: take the spare handle.' })).status).toBe(200);
  const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
  expect((await officer.act(row.documentId, { action: 'start', version: 2 })).status).toBe(200);
  const res = await app.http().get(`/api/grievances/track/${body.data.trackingCode}`);
  expect(res.status).toBe(200);
  const history = res.body.data.history;
  expect(history.map((h: any) => h.status)).toEqual(['submitted', 'acknowledged', 'assigned', 'in_progress']);
  expect(history.map((h: any) => h.publicNote ?? null)).toEqual([null, 'A fitter visits tomorrow.', null, null]);
  const times = history.map((h: any) => Date.parse(h.at));
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  expect(JSON.stringify(res.body)).not.toContain('spare handle');
});
