/**
 * Citizens' identity at rest (docs/security.md): name, phone and e-mail are sealed with
 * AES-256-GCM in the grievance row and in the outbox, staff who may see them read them in clear,
 * staff find a case by phone through the blind index, and `keys:rotate` moves every row to a new
 * key (and back) without losing a byte.
 */
import { randomBytes } from 'node:crypto';
import { loadKeys, rotateSealedData } from '../../src/platform/citizen-data';
import { open, parseIndexKey, parseKeyRing, phoneIndex, sealedWith } from '../../src/platform/field-crypto';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs, cmList } from '../helpers/content-manager';

const GRIEVANCE = 'api::grievance.grievance';
const citizen = { name: 'Meena Kumari Sahu', phone: '+91 98765 43210', email: 'meena.sahu@example.org' };

let app: TestApp;
let trackingCode: string;
let documentId: string;

const knex = () => app.strapi.db.connection;
const rawCase = () => knex()('grievances').where({ tracking_code: trackingCode }).first();

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 5 });
  const res = await app.http().post('/api/grievances/submit').send({
    data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'The ward 4 hand pump has been dry for a week.', citizen },
  });
  expect(res.status).toBe(201);
  trackingCode = res.body.data.trackingCode;
  documentId = (await rawCase()).document_id;
});

afterAll(async () => {
  await app?.stop();
});

it('stores the name, phone and e-mail only sealed, in the case and in the outbox', async () => {
  const row = await rawCase();
  for (const column of ['citizen_name', 'citizen_phone', 'citizen_email']) {
    expect(sealedWith(row[column])).toBe('t1');
  }
  const text = JSON.stringify(row);
  expect(text).not.toContain('Meena');
  expect(text).not.toContain('98765');
  expect(text).not.toContain('meena.sahu');

  const outbox = await knex()('notifications').where({ tracking_code: trackingCode });
  expect(outbox.length).toBeGreaterThan(0);
  const outboxText = JSON.stringify(outbox);
  expect(outboxText).not.toContain('meena.sahu');
  expect(outboxText).not.toContain('Meena');
  // ... and the dispatcher still has the address to write to.
  const queued = await app.strapi.db.query('plugin::notifications.notification' as any).findMany({ where: { trackingCode, audience: 'citizen' } });
  expect(queued.map((n: any) => n.recipientAddress)).toContain(citizen.email);
});

it('shows the contact in clear to staff allowed to see it, and not to a viewer', async () => {
  const admin = await cmAs(app, ADMIN_ROLES.projectAdmin);
  const res = await admin.get(GRIEVANCE, documentId);
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ citizenName: citizen.name, citizenPhone: citizen.phone, citizenEmail: citizen.email });
  expect(res.body.data.citizenPhoneIndex).toBeUndefined();

  const viewer = await cmAs(app, ADMIN_ROLES.viewer);
  const seen = await viewer.get(GRIEVANCE, documentId);
  expect(seen.status).toBe(200);
  expect(seen.body.data.citizenPhone).toBeUndefined();
  expect(JSON.stringify(seen.body)).not.toContain('98765');
});

it('finds the case by phone number however staff type it, and nothing for another number', async () => {
  for (const typed of ['+919876543210', '098765 43210', '98765-43210']) {
    const res = await cmList(app, ADMIN_ROLES.projectAdmin, GRIEVANCE, { 'filters[$and][0][citizenPhone][$eq]': typed });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.trackingCode)).toEqual([trackingCode]);
    expect(res.body.pagination.total).toBe(1);
  }
  const contains = await cmList(app, ADMIN_ROLES.projectAdmin, GRIEVANCE, { 'filters[$and][0][citizenPhone][$containsi]': '9876543210' });
  expect(contains.body.results.map((r: any) => r.trackingCode)).toEqual([trackingCode]);
  const other = await cmList(app, ADMIN_ROLES.projectAdmin, GRIEVANCE, { 'filters[$and][0][citizenPhone][$eq]': '+91 98765 43211' });
  expect(other.body.pagination.total).toBe(0);
});

it('keeps the phone index in step when staff correct the number', async () => {
  const admin = await cmAs(app, ADMIN_ROLES.projectAdmin);
  const current = (await admin.get(GRIEVANCE, documentId)).body.data;
  const res = await admin.update(GRIEVANCE, documentId, { citizenPhone: '+91 91234 56780', version: current.version });
  expect(res.status).toBe(200);
  expect((await admin.get(GRIEVANCE, documentId)).body.data.citizenPhone).toBe('+91 91234 56780');
  const found = await cmList(app, ADMIN_ROLES.projectAdmin, GRIEVANCE, { 'filters[$and][0][citizenPhone][$eq]': '9123456780' });
  expect(found.body.results.map((r: any) => r.trackingCode)).toEqual([trackingCode]);
  const old = await cmList(app, ADMIN_ROLES.projectAdmin, GRIEVANCE, { 'filters[$and][0][citizenPhone][$eq]': citizen.phone });
  expect(old.body.pagination.total).toBe(0);
  const row = await rawCase();
  expect(sealedWith(row.citizen_phone)).toBe('t1');
  expect(JSON.stringify(row)).not.toContain('91234');
});

it('rotates every row to a new data key and index key and back, and seals rows stored in clear before encryption', async () => {
  const before = await knex()('grievances').whereNotNull('citizen_phone').select('id', 'citizen_name', 'citizen_phone', 'citizen_email');
  expect(before.length).toBeGreaterThan(1);
  const original = loadKeys();
  const plain = before.map((r: any) => ({ id: r.id, name: open(original.ring, r.citizen_name), phone: open(original.ring, r.citizen_phone) }));
  // A row from before encryption was switched on.
  await knex()('grievances').where({ id: before[0].id }).update({ citizen_name: plain[0].name });

  const next = { ring: parseKeyRing(`k2:${randomBytes(32).toString('base64')},${process.env.CITIZEN_DATA_KEYS}`), indexKey: parseIndexKey(randomBytes(32).toString('base64')) };
  const rotated = await rotateSealedData(app.strapi, next);
  expect(rotated.rewritten.grievances).toBeGreaterThanOrEqual(before.length);
  expect(rotated.retiredKeys).toEqual(['t1']);
  const after = await knex()('grievances').whereIn('id', before.map((r: any) => r.id)).select('id', 'citizen_name', 'citizen_phone', 'citizen_phone_index');
  for (const row of after) {
    const was = plain.find((p) => p.id === row.id)!;
    expect(sealedWith(row.citizen_name)).toBe('k2');
    expect(open(next.ring, row.citizen_name)).toBe(was.name);
    expect(open(next.ring, row.citizen_phone)).toBe(was.phone);
    expect(row.citizen_phone_index).toBe(phoneIndex(next.indexKey, was.phone));
  }
  const outbox = await knex()('notifications').whereNotNull('recipient_address').select('recipient_address');
  expect(outbox.every((n: any) => sealedWith(n.recipient_address) === 'k2')).toBe(true);

  // Back to the running app's keys: it reads every case again and search by phone works.
  const back = await rotateSealedData(app.strapi, { ring: parseKeyRing(`${process.env.CITIZEN_DATA_KEYS},${next.ring.active.id}:${next.ring.active.key.toString('base64')}`), indexKey: original.indexKey });
  expect(back.retiredKeys).toEqual(['k2']);
  const admin = await cmAs(app, ADMIN_ROLES.projectAdmin);
  expect((await admin.get(GRIEVANCE, documentId)).body.data.citizenEmail).toBe(citizen.email);
  const found = await cmList(app, ADMIN_ROLES.projectAdmin, GRIEVANCE, { 'filters[$and][0][citizenPhone][$eq]': '9123456780' });
  expect(found.body.pagination.total).toBe(1);
});

it('will not start without a valid key ring', () => {
  expect(() => loadKeys({ CITIZEN_INDEX_KEY: randomBytes(32).toString('base64') })).toThrow(/CITIZEN_DATA_KEYS/);
  expect(() => loadKeys({ CITIZEN_DATA_KEYS: `k1:${randomBytes(32).toString('base64')}` })).toThrow(/CITIZEN_INDEX_KEY/);
});
