/**
 * Input that reached the database or the router unchecked (issue 16): text PostgreSQL cannot
 * store, operator shapes the query engine crashes on, bodies a browser may post cross-site,
 * replayed webhooks, Open311 writes with a read-only token. Every one is a 4xx with a stable
 * `details.code` on SQLite and PostgreSQL alike, and stores nothing.
 */
import { createHmac } from 'node:crypto';
import net from 'node:net';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';

let app: TestApp;
let code: string;
let secret: string;
let staff: string;
const valid = { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'No water.' };
const ENV: Record<string, string> = {
  RATE_LIMIT_SUBMIT_PER_MINUTE: '1000',
  RATE_LIMIT_TRACK_PER_MINUTE: '1000',
  RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE: '1000',
  RATE_LIMIT_ATTEMPTS_PER_CASE_PER_HOUR: '1000',
  RATE_LIMIT_OPEN311_SUBMIT_PER_MINUTE: '4',
  INTAKE_DEFAULT_PROJECT: 'DIST',
  INTAKE_DEFAULT_CATEGORY: 'DIST-WATER-SUPPLY',
  INTAKE_CHAT_SECRET: 'bot-secret',
  INTAKE_SMS_SECRET: 'sms-secret',
};
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);

beforeAll(async () => {
  Object.assign(process.env, ENV);
  app = await startApp({ grievancesPerProject: 2 });
  const res = await app.http().post('/api/grievances/submit').send({ data: valid });
  ({ trackingCode: code, caseSecret: secret } = res.body.data);
  staff = await app.tokenFor(ADMIN_ROLES.superAdmin);
}, 180_000);
afterAll(async () => {
  await app?.stop();
  for (const key of Object.keys(ENV)) delete process.env[key];
});

/** Sends a raw JSON text (so `\u0000` and `\ud800` escapes reach the server as written). */
const rawJson = (method: 'POST' | 'PUT', path: string, text: string, headers: Record<string, string> = {}) =>
  app.http()[method === 'POST' ? 'post' : 'put'](path).set('Content-Type', 'application/json').set(headers).send(text);
const get = (path: string, asStaff = false) => (asStaff ? app.http().get(path).set('Authorization', `Bearer ${staff}`) : app.http().get(path));
const expectRefused = (res: any, status: number, detail: string) => expect([res.status, res.body?.error?.details?.code, res.text.slice(0, 200)]).toEqual([status, detail, expect.any(String)]);

describe('Open311: filing needs a token allowed to write, and is rate-limited', () => {
  const tokens = () => app.strapi.service('admin::api-token') as any;
  const newToken = async (type: string, permissions?: string[]) =>
    (await tokens().create({ name: `open311-${type}-${Math.random()}`, description: '', type, kind: 'content-api', lifespan: null, ...(permissions ? { permissions } : {}) })).accessKey;
  const request = { jurisdiction_id: 'dist', service_code: 'DIST-ROAD-DAMAGE', lat: '26.1445', long: '91.7362', description: 'Deep pothole near the bus stand.' };
  const post = (apiKey: string) => app.http().post('/api/open311/v2/requests.json').type('form').send({ ...request, api_key: apiKey });

  it('refuses read-only and custom tokens without the create permission; takes full-access and custom with it; the sixth in a minute is 429', async () => {
    const keys = {
      fullAccess: await newToken('full-access'),
      custom: await newToken('custom', ['plugin::open311.georeport.createRequest']),
      readOnly: await newToken('read-only'),
      customReading: await newToken('custom', ['plugin::open311.georeport.listRequests', 'plugin::open311.georeport.services']),
    };
    // The limit counts per fixed minute: start well inside one.
    if (Date.now() % 60_000 > 45_000) await new Promise((r) => setTimeout(r, 60_500 - (Date.now() % 60_000)));
    const before = await grievances().count({});
    const readOnly = await post(keys.readOnly);
    expect([readOnly.status, readOnly.body[0].code, readOnly.body[0].description]).toEqual([403, 403, expect.stringMatching(/may only read/)]);
    expect((await post(keys.customReading)).status).toBe(403);
    expect(await grievances().count({})).toBe(before);
    expect((await post(keys.fullAccess)).status).toBe(201);
    expect((await post(keys.custom)).status).toBe(201);
    const limited = await post(keys.fullAccess);
    expect([limited.status, limited.body[0].code, Number(limited.headers['retry-after']) > 0]).toEqual([429, 429, true]);
    expect(await grievances().count({})).toBe(before + 2);
  });

  it('does not publish the categories’ classifier keywords', async () => {
    const rows = await app.strapi.db.query('api::category.category' as any).findMany({ where: { project: { code: 'DIST' } }, select: ['code', 'keywords'] });
    const lists = rows.map((r: any) => (Array.isArray(r.keywords) ? r.keywords : [])).filter((k: string[]) => k.length > 1);
    expect(lists.length).toBeGreaterThan(0);
    const services = await get('/api/open311/v2/services.json?jurisdiction_id=dist');
    for (const service of services.body) expect(Object.keys(service).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
    expect(services.body.map((s: any) => s.keywords)).toEqual(services.body.map(() => ''));
    const xml = await get('/api/open311/v2/services.xml?jurisdiction_id=dist');
    expect(xml.text).toContain('<keywords/>');
    expect(xml.text).not.toMatch(/<keywords>/);
    const definition = await get('/api/open311/v2/services/DIST-WATER-SUPPLY.json?jurisdiction_id=dist');
    for (const res of [services, xml, definition]) {
      expect(res.status).toBe(200);
      for (const list of lists) expect(res.text).not.toContain(list.slice(0, 2).join(','));
    }
  });
});

describe('text the database cannot store (NUL, lone surrogates) is a 400 everywhere', () => {
  const submitWith = (data: string) => `{"data":{"project":"DIST","category":"DIST-WATER-SUPPLY",${data}}}`;
  const cases: Array<[string, () => any]> = [
    ['NUL in a description', () => rawJson('POST', '/api/grievances/submit', submitWith('"description":"no water\\u0000 today"'))],
    ['NUL in a citizen name', () => rawJson('POST', '/api/grievances/submit', submitWith('"description":"x","citizen":{"name":"A\\u0000"}'))],
    ['NUL in a key', () => rawJson('POST', '/api/grievances/submit', submitWith('"description":"x","a\\u0000b":1'))],
    ['a lone high surrogate', () => rawJson('POST', '/api/grievances/submit', submitWith('"description":"broken \\ud800 text"'))],
    ['a lone low surrogate', () => rawJson('POST', '/api/grievances/submit', submitWith('"description":"broken \\udc00 text"'))],
    ['a reversed surrogate pair', () => rawJson('POST', '/api/grievances/submit', submitWith('"description":"\\udc00\\ud800"'))],
    ['NUL in an appeal reason', () => rawJson('POST', `/api/grievances/track/${code}/appeal`, `{"data":{"caseSecret":"${secret}","reason":"a\\u0000b"}}`)],
    ['NUL in a feedback comment', () => rawJson('POST', `/api/grievances/track/${code}/feedback`, `{"data":{"caseSecret":"${secret}","rating":3,"comment":"\\u0000"}}`)],
    ['NUL in a case secret', () => rawJson('POST', `/api/grievances/track/${code}/accept`, '{"data":{"caseSecret":"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000"}}')],
    ['NUL in a tracking code', () => get(`/api/grievances/track/${code}%00`)],
    ['NUL in an Open311 id', () => get('/api/open311/v2/requests/a%00b.json?jurisdiction_id=dist')],
    ['NUL in an Open311 service code', () => get('/api/open311/v2/services/a%00b.json?jurisdiction_id=dist')],
    ['NUL in an Open311 query', () => get('/api/open311/v2/requests.json?jurisdiction_id=dist&service_code=a%00b')],
    ['NUL in a filter value', () => get('/api/categories?filters[code][$eq]=a%00b')],
    ['NUL in a $containsi filter', () => get('/api/categories?filters[name][$containsi]=%00')],
    ['NUL in a $in list', () => get('/api/categories?filters[code][$in][0]=x&filters[code][$in][1]=%00')],
    ['NUL in a query key', () => get('/api/categories?filters[co%00de][$eq]=x')],
    ['NUL in the locale', () => get('/api/categories?locale=a%00b')],
    ['NUL in public figures', () => get('/api/public-metrics?project=a%00b')],
    ['NUL in public reports', () => get('/api/public-reports?project=a%00b')],
    ['NUL in a content-manager filter (staff)', () => get('/content-manager/collection-types/api::category.category?filters[code][$eq]=a%00b', true)],
    ['NUL in a content-manager search (staff)', () => get('/content-manager/collection-types/api::grievance.grievance?_q=a%00b', true)],
    ['NUL in a content-manager path (staff)', () => get('/content-manager/collection-types/api::category.category/abc%00def', true)],
    ['NUL in a content-manager write (staff)', () => rawJson('POST', '/content-manager/collection-types/api::region.region', '{"name":"A\\u0000","code":"NUL-1","level":1,"levelName":"Province"}', { Authorization: `Bearer ${staff}` })],
    ['NUL in the admin sign-in', () => rawJson('POST', '/admin/login', '{"email":"a\\u0000@demo.local","password":"x"}')],
  ];
  it.each(cases)('%s', async (_name, send) => {
    const before = await grievances().count({});
    expectRefused(await send(), 400, 'VALIDATION');
    expect(await grievances().count({})).toBe(before);
  });

  it('a NUL in a header (Idempotency-Key) is refused by the HTTP parser, never a 5xx', async () => {
    const { port } = new URL(app.baseUrl);
    const body = JSON.stringify({ data: valid });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/grievances/submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: a\u0000b\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
      let text = '';
      socket.on('data', (chunk) => { text += chunk.toString(); });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => { socket.destroy(); resolve(text); }, 5000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });

  it('over-long strings are refused or stored, never a 5xx', async () => {
    const long = 'x'.repeat(5000);
    const answers = await Promise.all([
      get(`/api/categories?filters[code][$eq]=${long}`),
      get(`/api/grievances/track/${long}`),
      get(`/api/open311/v2/requests/${long}.json?jurisdiction_id=dist`),
      app.http().post('/api/grievances/submit').set('Idempotency-Key', long).send({ data: valid }),
      app.http().post('/content-manager/collection-types/api::region.region').set('Authorization', `Bearer ${staff}`).send({ name: long, code: `LONG-${long}`, level: 1, levelName: long }),
    ]);
    for (const res of answers) expect(res.status).toBeLessThan(500);
    expect(answers[3].body.error.details.code).toBe('VALIDATION');
  });
});

describe('filters made of something other than conditions are a 400', () => {
  const shapes = [
    'filters[$not]=1', 'filters[$not][0]=x', 'filters[$NOT]=1', 'filters[$and]=1', 'filters[$or]=1', 'filters[$or][0]=1', 'filters[$and][a]=1',
    'filters[$or][150]=1', 'filters[code][$eq][$ne]=x', 'filters[code][$ne][$eq]=x', 'filters[code][$in][$ne]=x', 'filters[code][$in][0][$ne]=x',
    'filters[code][$containsi][a][b]=x', 'filters[code][$null][$not]=1', 'filters[project][code][$eq][$eq]=DIST', 'filters[$and][0][code][$eq][$eq]=x',
    'filters[$or][0][$not]=1', 'filters[$not][code][$eq][$eq]=x', 'filters[code][0][$eq]=x', 'filters[project][$eq][code]=DIST',
    `filters${'[$not]'.repeat(30)}=1`, `filters${'[$and][0]'.repeat(30)}[code][$eq][$eq]=x`, `filters[code]${'[$eq]'.repeat(40)}=x`,
    'populate[project][filters][code][$eq][$ne]=x', 'populate[project][filters][$not]=1',
    // An operand of the wrong shape for its operator (knex's whereBetween threw: a 500 for anyone).
    'filters[code][$between]=1', 'filters[id][$between]=1', 'filters[id][$between][0]=1', 'filters[id][$between][0]=1&filters[id][$between][1]=2&filters[id][$between][2]=3',
    'filters[project][code][$between]=x', 'populate[project][filters][code][$between]=x', 'filters[code][$startsWith][0]=a&filters[code][$startsWith][1]=b',
    'filters[code][$eq][0]=a&filters[code][$eq][1]=b', 'filters[id][$gt][0]=1&filters[id][$gt][1]=2',
  ];
  it.each(['/api/regions', '/api/departments', '/api/projects'])('every public list: %s?filters[code][$between]=1', async (path) => {
    expectRefused(await get(`${path}?filters[code][$between]=1`), 400, 'VALIDATION');
  });
  it.each(shapes)('public /api/categories?%s', async (query) => {
    expectRefused(await get(`/api/categories?${query}`), 400, 'VALIDATION');
  });
  it.each(['filters[$not]=1', 'filters[$or]=1', 'filters[caseStatus][$eq][$ne]=x', 'filters[category][code][$in][$ne]=x'])('staff content manager ?%s', async (query) => {
    expectRefused(await get(`/content-manager/collection-types/api::grievance.grievance?page=1&pageSize=10&${query}`, true), 400, 'VALIDATION');
  });
  it('well-formed filters still work', async () => {
    for (const query of ['filters[id][$between][0]=1&filters[id][$between][1]=100000', 'filters[id][$in]=1', 'filters[code][$eq]=DIST-WATER-SUPPLY', 'filters[$or][0][code][$eq]=DIST-WATER-SUPPLY&filters[$or][1][code][$eq]=x', 'filters[$not][code][$eq]=x', 'filters[code][$in][0]=DIST-WATER-SUPPLY', 'filters[code][$null]=false', 'filters[code]=DIST-WATER-SUPPLY', 'filters[$and][0][project][code][$eq]=DIST']) {
      const res = await get(`/api/categories?${query}`);
      expect([query, res.status]).toEqual([query, 200]);
    }
  });
});

describe('the router’s own refusals carry a code', () => {
  it('404 NOT_FOUND for a path no route has, public and staff', async () => {
    for (const res of [await get('/api/nothing-here'), await get('/nothing-at-all'), await get('/workflow/nothing', true)]) expectRefused(res, 404, 'NOT_FOUND');
  });
  it('501 with METHOD_NOT_ALLOWED for a method no route knows', async () => {
    const res = await (app.http() as any).trace('/api/regions');
    expect([res.status, res.body?.error?.details?.code]).toEqual([501, 'METHOD_NOT_ALLOWED']);
  });
  it('405 METHOD_NOT_ALLOWED for a route asked with another method', async () => {
    const answers = [await app.http().delete('/api/grievances/submit'), await app.http().patch('/api/categories').send({}), await app.http().put(`/api/grievances/track/${code}`).send({})];
    for (const res of answers) {
      expectRefused(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBeTruthy();
    }
  });
});

describe('public writes take JSON only (no cross-site form posts)', () => {
  const form = (path: string, type: string, body: string) => app.http().post(path).set('Content-Type', type).send(body);
  const FORM = 'application/x-www-form-urlencoded';
  it.each([
    ['submit, form', '/api/grievances/submit', FORM, 'data[project]=DIST&data[category]=DIST-WATER-SUPPLY&data[description]=x'],
    ['submit, form with a charset', '/api/grievances/submit', `${FORM}; charset=utf-8`, 'data[project]=DIST'],
    ['submit, multipart', '/api/grievances/submit', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="data[project]"\r\n\r\nDIST\r\n--x--\r\n'],
    ['submit, text/plain holding JSON', '/api/grievances/submit', 'text/plain', JSON.stringify({ data: valid })],
    ['submit, another spelling of the path', '/API/Grievances/Submit/', FORM, 'data[project]=DIST'],
    ['feedback, form', `/api/grievances/track/${'CODE'}/feedback`, FORM, 'data[rating]=5'],
    ['accept, text/plain', '/api/grievances/track/CODE/accept', 'text/plain', '{"data":{}}'],
    ['appeal, multipart', '/api/grievances/track/CODE/appeal', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nx\r\n--x--\r\n'],
    ['chat webhook, form', '/api/intake/chat', FORM, 'message_id=1&text=x'],
    ['attachments, form', '/api/grievances/attachments', FORM, 'files=x'],
  ])('%s: 415', async (_name, path, type, body) => {
    const before = await grievances().count({});
    expectRefused(await form(path.replace('CODE', code), type, body), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await grievances().count({})).toBe(before);
  });
  it('JSON, bodiless actions, uploads, Open311 forms and SMS gateway forms still pass the door', async () => {
    expect((await app.http().post('/api/grievances/submit').set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify({ data: valid }))).status).toBe(201);
    expectRefused(await app.http().post(`/api/grievances/track/${code}/accept`), 400, 'VALIDATION');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    expect((await app.http().post('/api/grievances/attachments').attach('files', png, { filename: 'a.png', contentType: 'image/png' })).status).toBe(201);
    // Refused for their signature or key, not for their body type.
    expect((await form('/api/intake/sms', FORM, 'MessageSid=1&From=%2B91&Body=x')).status).toBe(401);
    // (403 for the key, or 429 once the Open311 tests above have used this minute's allowance.)
    expect([403, 429]).toContain((await form('/api/open311/v2/requests.json', FORM, 'api_key=not-a-real-key-1234567')).status);
  });
});

describe('signed chat webhooks carry a signed time, and a replay does not return the case secret', () => {
  const sign = (key: string, text: string) => `sha256=${createHmac('sha256', key).update(text).digest('hex')}`;
  const now = () => String(Math.floor(Date.now() / 1000));
  const deliver = (channel: string, raw: string, headers: Record<string, string>, type = 'application/json') =>
    app.http().post(`/api/intake/${channel}`).set('Content-Type', type).set(headers).send(raw);
  const chat = (id: string) => JSON.stringify({ message_id: id, text: 'The street light on Station Road is out.', metadata: { project: 'DIST', category: 'DIST-WATER-SUPPLY' } });

  it('refuses a missing, unsigned, stale or future time with 401', async () => {
    const raw = chat('replay-1');
    const before = await grievances().count({});
    const t = now();
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'X-Signature-256': sign('bot-secret', raw) }, 'INVALID_SIGNATURE'], // the old body-only signature
      [{ 'X-Signature-256': sign('bot-secret', raw), 'X-GRM-Timestamp': t }, 'INVALID_SIGNATURE'], // time sent, not signed
      [{ 'X-Signature-256': sign('bot-secret', `${t}.${raw}`), 'X-GRM-Timestamp': String(Number(t) + 1) }, 'INVALID_SIGNATURE'], // another time
      [{ 'X-Signature-256': sign('bot-secret', `${t}.${raw}`), 'X-GRM-Timestamp': `${t}.0` }, 'INVALID_SIGNATURE'],
      [{ 'X-Signature-256': sign('bot-secret', `${Number(t) - 600}.${raw}`), 'X-GRM-Timestamp': String(Number(t) - 600) }, 'SIGNATURE_EXPIRED'],
      [{ 'X-Signature-256': sign('bot-secret', `${Number(t) + 600}.${raw}`), 'X-GRM-Timestamp': String(Number(t) + 600) }, 'SIGNATURE_EXPIRED'],
    ];
    for (const [headers, expected] of cases) expectRefused(await deliver('chat', raw, headers), 401, expected);
    const sms = 'MessageSid=SM-1&From=%2B919800000001&Body=No+water';
    expectRefused(await deliver('sms', sms, { 'X-Signature-256': sign('sms-secret', sms) }, 'application/x-www-form-urlencoded'), 401, 'INVALID_SIGNATURE');
    expect(await grievances().count({})).toBe(before);
  });

  it('files a fresh delivery once; the same delivery again answers the tracking code without the secret', async () => {
    const raw = chat('replay-2');
    const t = now();
    const headers = { 'X-Signature-256': sign('bot-secret', `${t}.${raw}`), 'X-GRM-Timestamp': t };
    const first = await deliver('chat', raw, headers);
    expect(first.status).toBe(200);
    expect(first.body.data.received[0]).toMatchObject({ trackingCode: expect.stringMatching(/^DIST-/), caseSecret: expect.any(String) });
    const replayed = await deliver('chat', raw, headers);
    expect(replayed.status).toBe(200);
    expect(replayed.body.data.received[0]).toMatchObject({ trackingCode: first.body.data.received[0].trackingCode, replayed: true });
    expect(replayed.body.data.received[0]).not.toHaveProperty('caseSecret');
    expect(replayed.text).not.toContain(first.body.data.received[0].caseSecret);
    // A fresh signature on the same message id changes nothing either.
    const later = String(Number(t) + 1);
    const again = await deliver('chat', raw, { 'X-Signature-256': sign('bot-secret', `${later}.${raw}`), 'X-GRM-Timestamp': later });
    expect(again.body.data.received[0]).not.toHaveProperty('caseSecret');
    expect(await grievances().count({ where: { trackingCode: first.body.data.received[0].trackingCode } })).toBe(1);
  });

  it('takes a signed SMS gateway form with its time', async () => {
    const sms = 'MessageSid=SM-2&From=%2B919800000002&Body=No+water+in+ward+4';
    const t = now();
    const res = await deliver('sms', sms, { 'X-Signature-256': sign('sms-secret', `${t}.${sms}`), 'X-GRM-Timestamp': t }, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(res.body.data.received[0]).not.toHaveProperty('caseSecret');
  });
});
