/**
 * Hostile input on every public route, table-driven: each request gets a 4xx with a stable code
 * and stores nothing. Markup is kept as text and never published.
 */
import { createHash } from 'node:crypto';
import { startApp, TestApp } from '../helpers/app';

let app: TestApp;
let code: string;
let secret: string;
const valid = { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'No water.' };
const nested = (depth: number): any => (depth === 0 ? 'x' : { a: nested(depth - 1) });

beforeAll(async () => {
  process.env.RATE_LIMIT_SUBMIT_PER_MINUTE = '1000';
  process.env.RATE_LIMIT_TRACK_PER_MINUTE = '50';
  process.env.RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE = '1000';
  app = await startApp({ grievancesPerProject: 2 });
  const res = await app.http().post('/api/grievances/submit').send({ data: valid });
  ({ trackingCode: code, caseSecret: secret } = res.body.data);
}, 120_000);
afterAll(async () => {
  await app.stop();
  for (const k of ['RATE_LIMIT_SUBMIT_PER_MINUTE', 'RATE_LIMIT_TRACK_PER_MINUTE', 'RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE']) delete process.env[k];
});

type Case = [string, () => any, number, string];
const submit = (body: unknown, headers: Record<string, string> = {}) => () => app.http().post('/api/grievances/submit').set(headers).send(body as any);
const get = (path: string, query: Record<string, unknown> = {}) => () => app.http().get(path).query(query);

const CASES: Case[] = [
  ['no body', submit(undefined), 400, 'VALIDATION'],
  ['an array body', submit([valid]), 400, 'VALIDATION'],
  ['data as text', submit({ data: 'grievance' }), 400, 'VALIDATION'],
  ['missing fields', submit({ data: { project: 'DIST' } }), 400, 'VALIDATION'],
  ['wrong types', submit({ data: { ...valid, description: { text: 'x' }, anonymous: 'yes' } }), 400, 'VALIDATION'],
  ['unknown field', submit({ data: { ...valid, caseStatus: 'closed' } }), 400, 'VALIDATION'],
  ['prototype pollution', () => app.http().post('/api/grievances/submit').set('Content-Type', 'application/json').send(`{"data":{"project":"DIST","category":"DIST-WATER-SUPPLY","description":"x","__proto__":{"admin":true}}}`), 400, 'VALIDATION'],
  ['unknown project code', submit({ data: { ...valid, project: 'ZZZ' } }), 400, 'VALIDATION'],
  ['category of another project', submit({ data: { ...valid, category: 'HWAY-DUST-NOISE' } }), 400, 'VALIDATION'],
  ['100 kB description', submit({ data: { ...valid, description: 'x'.repeat(100_000) } }), 400, 'VALIDATION'],
  ['invalid coordinates', submit({ data: { ...valid, location: { lat: 'north', lng: 500 } } }), 400, 'VALIDATION'],
  ['deep nesting', submit({ data: { ...valid, citizen: nested(200) } }), 400, 'VALIDATION'],
  ['huge array', submit({ data: { ...valid, region: Array.from({ length: 20_000 }, (_, i) => `R${i}`) } }), 400, 'VALIDATION'],
  ['attachments as bare ids', submit({ data: { ...valid, attachments: [1, 2] } }), 400, 'VALIDATION'],
  ['body over the size limit', submit({ data: { ...valid, description: 'x'.repeat(300 * 1024) } }), 413, 'VALIDATION'],
  ['oversized idempotency key', submit({ data: valid }, { 'Idempotency-Key': 'k'.repeat(500) }), 400, 'VALIDATION'],
  ['populate on submit', () => app.http().post('/api/grievances/submit').query({ populate: '*' }).send({ data: valid }), 400, 'VALIDATION'],
  ['populate on tracking', () => app.http().get(`/api/grievances/track/${code}`).query({ populate: '*' }), 400, 'VALIDATION'],
  ['filters on tracking', () => app.http().get(`/api/grievances/track/${code}`).query({ 'filters[citizenPhone][$notNull]': true }), 400, 'VALIDATION'],
  ['not a tracking code', get('/api/grievances/track/%3Cscript%3E'), 400, 'INVALID_TRACKING_CODE'],
  ['private field filter on projects', get('/api/projects', { 'filters[reportRecipients][$notNull]': true }), 400, 'VALIDATION'],
  ['relation to staff through departments', get('/api/departments', { 'filters[head][email][$contains]': '@' }), 400, 'VALIDATION'],
  ['admin password through createdBy', get('/api/categories', { 'filters[createdBy][password][$notNull]': true }), 400, 'VALIDATION'],
  ['populate of a staff relation', get('/api/departments', { 'populate[head]': 'true' }), 400, 'VALIDATION'],
  ['populate of created-by', get('/api/projects', { 'populate[createdBy]': 'true' }), 400, 'VALIDATION'],
  ['where instead of filters', get('/api/projects', { 'where[code]': 'DIST' }), 400, 'VALIDATION'],
  ['wrong secret', () => app.http().post(`/api/grievances/track/${code}/accept`).send({ data: { caseSecret: 'x'.repeat(20) } }), 403, 'NOT_ALLOWED'],
  ['rating out of range', () => app.http().post(`/api/grievances/track/${code}/feedback`).send({ data: { caseSecret: secret, rating: 9 } }), 400, 'VALIDATION'],
  ['unknown field on an action', () => app.http().post(`/api/grievances/track/${code}/feedback`).send({ data: { caseSecret: secret, rating: 3, caseStatus: 'closed' } }), 400, 'VALIDATION'],
  ['feedback before resolution', () => app.http().post(`/api/grievances/track/${code}/feedback`).send({ data: { caseSecret: secret, rating: 3 } }), 422, 'ILLEGAL_TRANSITION'],
  ['receipt without its secret', () => app.http().post(`/api/grievances/track/${code}/receipt`).send({ data: {} }), 400, 'VALIDATION'],
  ['receipt by the old URL', () => app.http().get(`/api/grievances/track/${code}/receipt.pdf`), 400, 'SECRET_IN_URL'],
  ['metrics of a private field', get('/api/public-metrics', { project: 'DIST', 'filters[citizenEmail][$notNull]': true }), 400, 'VALIDATION'],
  ['metrics below district', get('/api/public-metrics', { project: 'DIST', region: 'DIST-B1-V1' }), 400, 'VALIDATION'],
  ['unsigned webhook', () => app.http().post('/api/intake/whatsapp').send({ entry: [] }), 404, 'NOT_FOUND'],
  ['open311 POST without api_key', () => app.http().post('/api/open311/v2/requests.json').type('form').send({ jurisdiction_id: 'dist', service_code: 'DIST-WATER-SUPPLY', lat: '1', long: '1', description: 'x' }), 403, ''],
];

it.each(CASES)('%s: refused with a stable code, nothing stored', async (_name, request, status, errorCode) => {
  const before = await app.strapi.db.query('api::grievance.grievance' as any).count({});
  const keysBefore = Number((await app.strapi.db.connection('idempotency_keys').count({ n: '*' }))[0].n);
  // Placeholders resolved now that the suite's case exists.
  const res = await request();
  const body = typeof res.body === 'object' && res.body ? res.body : {};
  expect(res.status).toBe(status);
  if (errorCode) expect(body.error?.details?.code).toBe(errorCode);
  expect(await app.strapi.db.query('api::grievance.grievance' as any).count({})).toBe(before);
  expect(Number((await app.strapi.db.connection('idempotency_keys').count({ n: '*' }))[0].n)).toBe(keysBefore);
  // Nothing private in the answer, not even in an error.
  expect(JSON.stringify(body)).not.toMatch(/"password":|"secretHash"|"citizenPhone":"\+|"resetPasswordToken"/);
});

it('keeps markup as text and never publishes it', async () => {
  const script = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>';
  const res = await app.http().post('/api/grievances/submit').send({ data: { ...valid, description: script, location: { address: script } } });
  expect(res.status).toBe(201);
  const row = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode: res.body.data.trackingCode } });
  expect(row.description).toBe(script);
  const tracked = await app.http().get(`/api/grievances/track/${res.body.data.trackingCode}`);
  expect(JSON.stringify(tracked.body)).not.toContain('<script>');
  expect(createHash('sha256').update(res.body.data.caseSecret).digest('hex')).toBe(row.secretHash);
});

it('answers a flood of tracking requests from one address with 429 and Retry-After', async () => {
  // This suite allows 50 a minute: past it within one window, whichever minute the flood starts in.
  let last: any;
  for (let i = 0; i < 101 && (!last || last.status !== 429); i += 1) last = await app.http().get(`/api/grievances/track/${code}`);
  expect([last.status, last.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
  expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
});
