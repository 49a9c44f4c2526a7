/**
 * Open311 GeoReport v2 under /api/open311/v2/: every answer checked against JSON Schemas written
 * from the specification, in JSON and XML; POST requests need an API token; sensitive categories
 * and cases never appear.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startApp, TestApp } from '../helpers/app';
import * as schemas from '../open311/schemas';

let app: TestApp;
let apiKey: string;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const conforms = (schema: object, body: unknown) => {
  const validate = ajv.compile(schema);
  const ok = validate(body);
  if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
  return true;
};
const base = '/api/open311/v2';

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 6 });
  // Filing needs a token that may write (tests/integration/hostile-input.test.ts refuses a read-only one).
  const token = await (app.strapi.service('admin::api-token') as any).create({ name: 'open311-client', description: 'City app', type: 'custom', permissions: ['plugin::open311.georeport.createRequest'], kind: 'content-api', lifespan: null });
  apiKey = token.accessKey;
}, 120_000);
afterAll(async () => {
  await app.stop();
});

it('describes itself in discovery', async () => {
  const res = await app.http().get(`${base}/discovery.json`);
  expect(res.status).toBe(200);
  expect(res.body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] });
});

it('lists a jurisdiction’s public categories as services, never a sensitive one', async () => {
  const res = await app.http().get(`${base}/services.json`).query({ jurisdiction_id: 'hway' });
  expect(conforms(schemas.serviceList, res.body)).toBe(true);
  const codes = res.body.map((s: any) => s.service_code);
  expect(codes).toContain('HWAY-DUST-NOISE');
  expect(codes).not.toContain('HWAY-GBV-SEA');
  const xml = await app.http().get(`${base}/services.xml`).query({ jurisdiction_id: 'hway' });
  expect(xml.headers['content-type']).toMatch(/text\/xml/);
  expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/);
});

it('gives a service definition', async () => {
  const res = await app.http().get(`${base}/services/DIST-WATER-SUPPLY.json`).query({ jurisdiction_id: 'dist' });
  expect(res.status).toBe(200);
  expect(conforms(schemas.serviceDefinition, res.body)).toBe(true);
  const unknown = await app.http().get(`${base}/services/NOPE.json`).query({ jurisdiction_id: 'dist' });
  expect(unknown.status).toBe(404);
  expect(conforms(schemas.errors, unknown.body)).toBe(true);
});

it('files a request with a valid api_key only, and returns its id', async () => {
  const form = { jurisdiction_id: 'dist', service_code: 'DIST-ROAD-DAMAGE', lat: '26.1445', long: '91.7362', address_string: 'MG Road near the bus stand', description: 'Deep pothole, two scooters fell.', email: 'app-user@example.test', first_name: 'Kiran' };
  const refused = await app.http().post(`${base}/requests.json`).type('form').send({ ...form, api_key: 'not-a-real-key-123456' });
  expect(refused.status).toBe(403);
  expect(conforms(schemas.errors, refused.body)).toBe(true);
  const missing = await app.http().post(`${base}/requests.json`).type('form').send({ api_key: apiKey, jurisdiction_id: 'dist', service_code: 'DIST-ROAD-DAMAGE' });
  expect(missing.status).toBe(400);
  expect(missing.body.map((e: any) => e.description).join(' ')).toMatch(/location/);

  const res = await app.http().post(`${base}/requests.json`).type('form').send({ ...form, api_key: apiKey });
  expect(res.status).toBe(201);
  expect(conforms(schemas.createdList, res.body)).toBe(true);
  const id = res.body[0].service_request_id;
  const row = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode: id } });
  expect(row).toMatchObject({ channel: 'open311', citizenEmail: 'app-user@example.test', citizenName: 'Kiran', address: 'MG Road near the bus stand' });

  const one = await app.http().get(`${base}/requests/${id}.json`).query({ jurisdiction_id: 'dist' });
  expect(conforms(schemas.requestList, one.body)).toBe(true);
  expect(one.body[0]).toMatchObject({ service_request_id: id, status: 'open', service_code: 'DIST-ROAD-DAMAGE', lat: 26.145, long: 91.736 });
  expect(JSON.stringify(one.body)).not.toContain('app-user@example.test');
  const token = await app.http().get(`${base}/tokens/${id}.json`).query({ jurisdiction_id: 'dist' });
  expect(token.body).toEqual([{ service_request_id: id, token: id }]);
  const xml = await app.http().get(`${base}/requests/${id}.xml`).query({ jurisdiction_id: 'dist' });
  expect(xml.text).toContain(`<service_request_id>${id}</service_request_id>`);
});

it('lists requests with the spec filters and its 90-day default window, open and closed', async () => {
  const all = await app.http().get(`${base}/requests.json`).query({ jurisdiction_id: 'dist' });
  expect(conforms(schemas.requestList, all.body)).toBe(true);
  const since = Date.now() - 90 * 86_400_000 - 60_000;
  expect(all.body.every((r: any) => Date.parse(r.requested_datetime) >= since)).toBe(true);
  const closed = await app.http().get(`${base}/requests.json`).query({ jurisdiction_id: 'dist', status: 'closed', start_date: '2000-01-01T00:00:00Z' });
  expect(closed.body.every((r: any) => r.status === 'closed')).toBe(true);
  const roads = await app.http().get(`${base}/requests.json`).query({ jurisdiction_id: 'dist', service_code: 'DIST-ROAD-DAMAGE', start_date: '2000-01-01T00:00:00Z' });
  expect(roads.body.length).toBeGreaterThan(0);
  expect(roads.body.every((r: any) => r.service_code === 'DIST-ROAD-DAMAGE')).toBe(true);
  const bad = await app.http().get(`${base}/requests.json`).query({ jurisdiction_id: 'dist', status: 'pending' });
  expect(bad.status).toBe(400);
  expect(conforms(schemas.errors, bad.body)).toBe(true);
  const badXml = await app.http().get(`${base}/requests.xml`).query({ jurisdiction_id: 'dist', status: 'pending' });
  expect(badXml.text).toContain('<errors><error><code>400</code><description>status must be open or closed.</description></error></errors>');
});

it('never lists a sensitive case', async () => {
  const sensitive = await app.strapi.db.query('api::grievance.grievance' as any).findMany({ where: { sensitive: true }, select: ['trackingCode'] });
  expect(sensitive.length).toBeGreaterThan(0);
  const all = await app.http().get(`${base}/requests.json`).query({ jurisdiction_id: 'hway', start_date: '2000-01-01T00:00:00Z' });
  const ids = new Set(all.body.map((r: any) => r.service_request_id));
  for (const { trackingCode } of sensitive) expect(ids.has(trackingCode)).toBe(false);
  const direct = await app.http().get(`${base}/requests/${sensitive[0].trackingCode}.json`).query({ jurisdiction_id: 'hway' });
  expect(direct.status).toBe(404);
});
