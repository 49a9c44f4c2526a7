/**
 * Messaging-channel webhooks (POST /api/intake/:channel): signed WhatsApp, chat-bot and SMS
 * deliveries become grievances through the public intake, once per provider message id; a bad
 * signature is 401 and stores nothing.
 */
import { createHmac } from 'node:crypto';
import { startApp, TestApp } from '../helpers/app';

let app: TestApp;
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);
const sign = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
const ENV = {
  INTAKE_DEFAULT_PROJECT: 'DIST',
  INTAKE_DEFAULT_CATEGORY: 'DIST-WATER-SUPPLY',
  INTAKE_WHATSAPP_SECRET: 'wa-app-secret',
  INTAKE_WHATSAPP_VERIFY_TOKEN: 'verify-me',
  INTAKE_CHAT_SECRET: 'bot-secret',
  INTAKE_SMS_SECRET: 'sms-secret',
};

beforeAll(async () => {
  Object.assign(process.env, ENV);
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);
afterAll(async () => {
  await app.stop();
  for (const key of Object.keys(ENV)) delete process.env[key];
});

const whatsapp = (id: string, text: string) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', contacts: [{ wa_id: '919800000009', profile: { name: 'Meena' } }], messages: [{ from: '919800000009', id, timestamp: '1763700000', type: 'text', text: { body: text } }] } }] }],
  });
/** A delivery as its provider sends it: Meta signs the body; the chat bot and SMS gateway sign `<time>.<body>` and send the time. */
const postRaw = (channel: string, raw: string, secret: string, type = 'application/json', time = String(Math.floor(Date.now() / 1000))) => {
  const request = app.http().post(`/api/intake/${channel}`).set('Content-Type', type);
  if (channel === 'whatsapp') return request.set('X-Hub-Signature-256', sign(secret, raw)).send(raw);
  return request.set('X-GRM-Timestamp', time).set('X-Signature-256', sign(secret, `${time}.${raw}`)).send(raw);
};

it('files a signed WhatsApp message once, however often it is delivered', async () => {
  const raw = whatsapp('wamid.HBgM001', 'Big pothole on the road to the school, a bike fell in.');
  const first = await postRaw('whatsapp', raw, 'wa-app-secret');
  expect(first.status).toBe(200);
  const [filed] = first.body.data.received;
  expect(filed).toMatchObject({ messageId: 'wamid.HBgM001', trackingCode: expect.stringMatching(/^DIST-/) });
  expect(filed).not.toHaveProperty('caseSecret');
  const row = await grievances().findOne({ where: { trackingCode: filed.trackingCode }, populate: { category: true } });
  // The words "pothole" and "road" route it to road damage rather than the channel's default.
  expect(row).toMatchObject({ channel: 'whatsapp', citizenPhone: '+919800000009', citizenName: 'Meena', category: { code: 'DIST-ROAD-DAMAGE' } });

  const again = await postRaw('whatsapp', raw, 'wa-app-secret');
  expect(again.body.data.received[0]).toMatchObject({ trackingCode: filed.trackingCode, replayed: true });
  expect(await grievances().count({ where: { channel: 'whatsapp' } })).toBe(1);
});

it('refuses a bad or missing signature with 401 and stores nothing', async () => {
  const raw = whatsapp('wamid.FORGED', 'Forged complaint');
  const before = await grievances().count({});
  const forged = await postRaw('whatsapp', raw, 'not-the-secret');
  expect([forged.status, forged.body.error.details.code]).toEqual([401, 'INVALID_SIGNATURE']);
  const tampered = await app.http().post('/api/intake/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', sign('wa-app-secret', raw)).send(raw.replace('Forged', 'Tampered'));
  expect(tampered.status).toBe(401);
  expect((await app.http().post('/api/intake/whatsapp').send(JSON.parse(raw))).status).toBe(401);
  expect(await grievances().count({})).toBe(before);
});

it('answers a chat bot with the tracking code and the case secret, and refuses what it cannot file', async () => {
  const raw = JSON.stringify({ sender_id: 'u1', message_id: 'rasa-42', text: 'धूल से परेशानी, रात में काम', metadata: { project: 'HWAY', category: 'HWAY-DUST-NOISE', language: 'hi', phone: '+919800000010' } });
  const res = await postRaw('chat', raw, 'bot-secret');
  expect(res.body.data.received[0]).toMatchObject({ trackingCode: expect.stringMatching(/^HWAY-/), caseSecret: expect.any(String) });
  const bad = JSON.stringify({ message_id: 'rasa-43', text: 'Hello', metadata: { project: 'HWAY', category: 'NOPE' } });
  const refused = await postRaw('chat', bad, 'bot-secret');
  expect([refused.status, refused.body.error.details.code]).toEqual([400, 'VALIDATION']);
});

it('takes an SMS gateway callback as a signed form', async () => {
  const raw = new URLSearchParams({ MessageSid: 'SM-900', From: '+919811111111', Body: 'No water supply in ward 4 since two days' }).toString();
  const res = await postRaw('sms', raw, 'sms-secret', 'application/x-www-form-urlencoded');
  expect(res.status).toBe(200);
  const row = await grievances().findOne({ where: { trackingCode: res.body.data.received[0].trackingCode } });
  expect(row).toMatchObject({ channel: 'sms', citizenPhone: '+919811111111' });
});

it('answers the WhatsApp subscription check, and 404 for a channel that is not enabled', async () => {
  const ok = await app.http().get('/api/intake/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' });
  expect([ok.status, ok.text]).toEqual([200, '1158201444']);
  expect((await app.http().get('/api/intake/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' })).status).toBe(403);
  const off = await app.http().post('/api/intake/facebook').send({ object: 'page', entry: [] });
  expect([off.status, off.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
});
