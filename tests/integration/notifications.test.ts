/**
 * Notifications end to end: a real SMTP server and an SMS gateway on loopback receive the
 * citizen's receipt in their language; with the mail server down messages stay queued, are
 * retried and delivered once when it returns; a broken template is refused on save; the live
 * alert stream delivers an assignment to the assigned officer only.
 */
import http from 'node:http';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';
import { startGateway, startMailSink, GatewaySink, MailSink } from '../helpers/mail';
import { userId, workflowAs } from '../helpers/workflow';

let app: TestApp;
let mail: MailSink;
let sms: GatewaySink;
const outbox = () => app.strapi.db.query('plugin::notifications.notification' as any);
const dispatch = (now?: Date) => app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ now });

beforeAll(async () => {
  mail = await startMailSink();
  sms = await startGateway();
  Object.assign(process.env, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(mail.port),
    EMAIL_FROM: 'grm@district.test',
    SMS_GATEWAY_URL: sms.url,
    SMS_GATEWAY_PRESET: 'twilio',
    SMS_GATEWAY_USERNAME: 'AC1',
    SMS_GATEWAY_PASSWORD: 'gateway-secret',
    SMS_FROM: '+15550001111',
    PORTAL_URL: 'https://grm.district.test/portal',
    NOTIFICATIONS_RETRY_BASE_MS: '60000',
    NOTIFICATIONS_MAX_ATTEMPTS: '3',
  });
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);
afterAll(async () => {
  await app.stop();
  await mail.stop();
  await sms.stop();
  for (const key of ['SMTP_HOST', 'SMTP_PORT', 'EMAIL_FROM', 'SMS_GATEWAY_URL', 'SMS_GATEWAY_PRESET', 'SMS_GATEWAY_USERNAME', 'SMS_GATEWAY_PASSWORD', 'SMS_FROM', 'PORTAL_URL', 'NOTIFICATIONS_RETRY_BASE_MS', 'NOTIFICATIONS_MAX_ATTEMPTS']) delete process.env[key];
});

async function fileCitizenCase(language: string, contact: { email?: string; phone?: string; anonymous?: boolean }) {
  const category = await app.strapi.db.query('api::category.category' as any).findOne({ where: { code: 'DIST-WATER-SUPPLY', locale: 'en' }, populate: { project: true } });
  const created = await app.strapi.documents('api::grievance.grievance' as any).create({
    data: {
      project: category.project.documentId,
      category: category.documentId,
      description: 'Pas d’eau au robinet public depuis lundi.',
      language,
      citizenName: contact.anonymous ? undefined : 'Anita Devi',
      citizenEmail: contact.email,
      citizenPhone: contact.phone,
      anonymous: contact.anonymous ?? false,
    },
  } as any);
  return app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { documentId: created.documentId } });
}

const mailsFor = (code: string) => mail.messages.filter((m) => m.subject?.includes(code));

it("sends the citizen's receipt in French by e-mail and SMS, with the deadlines in the project's time zone", async () => {
  const row = await fileCitizenCase('fr', { email: 'anita@example.test', phone: '+919800000001' });
  const result = await dispatch();
  expect(result).toMatchObject({ sent: 2, failed: 0 });
  const [receipt] = mailsFor(row.trackingCode);
  expect(receipt.subject).toBe(`Réclamation ${row.trackingCode} reçue`);
  expect(receipt.to).toMatchObject({ text: 'anita@example.test' });
  const due = new Intl.DateTimeFormat('fr', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(row.acknowledgeDueAt));
  expect(receipt.text).toContain(`accusé de réception au plus tard le ${due}`);
  expect(receipt.text).toContain(`https://grm.district.test/portal/#/track/${row.trackingCode}`);
  expect(receipt.messageId).toContain('grm.local');

  const smsRequest = sms.requests.find((r) => r.body.includes(row.trackingCode))!;
  const form = new URLSearchParams(smsRequest.body);
  expect(form.get('To')).toBe('+919800000001');
  expect(form.get('From')).toBe('+15550001111');
  expect(form.get('Body')).toContain(`Nous avons reçu votre réclamation ${row.trackingCode}`);
  expect(smsRequest.headers.authorization).toBe(`Basic ${Buffer.from('AC1:gateway-secret').toString('base64')}`);
});

it('writes the Hindi receipt in Devanagari', async () => {
  const row = await fileCitizenCase('hi', { email: 'ravi@example.test' });
  await dispatch();
  const [receipt] = mailsFor(row.trackingCode);
  expect(receipt.subject).toBe(`शिकायत ${row.trackingCode} प्राप्त हुई`);
  expect(receipt.text).toContain('आपकी शिकायत');
  expect(receipt.html).toContain('आपकी शिकायत');
});

it('sends nothing, and fails nothing, for an anonymous citizen or one without contact details', async () => {
  const anonymous = await fileCitizenCase('en', { anonymous: true });
  const noContact = await fileCitizenCase('en', {});
  expect(await outbox().count({ where: { grievanceId: { $in: [anonymous.id, noContact.id] } } })).toBe(0);
});

it('keeps messages while the mail server is down, retries with back-off, and delivers each once when it returns', async () => {
  await mail.stop();
  const row = await fileCitizenCase('en', { email: 'offline@example.test' });
  const first = await dispatch();
  expect(first).toMatchObject({ sent: 0, retried: 1 });
  const queued = await outbox().findOne({ where: { grievanceId: row.id, channel: 'email' } });
  expect(queued).toMatchObject({ status: 'pending', attempts: 1 });
  expect(queued.lastError).toBeTruthy();
  // Not before the back-off has passed.
  expect((await dispatch()).sent).toBe(0);

  await mail.start();
  const later = new Date(Date.parse(queued.nextAttemptAt) + 1000);
  expect(await dispatch(later)).toMatchObject({ sent: 1 });
  expect(await dispatch(new Date(later.getTime() + 3_600_000))).toMatchObject({ sent: 0, retried: 0 });
  expect(mailsFor(row.trackingCode)).toHaveLength(1);
  expect(await outbox().findOne({ where: { id: queued.id } })).toMatchObject({ status: 'sent', attempts: 2 });
});

it('refuses a template that does not compile or uses an unknown variable, naming the line and the name', async () => {
  const template = await app.strapi.db.query('api::notification-template.notification-template' as any).findOne({ where: { event: 'received', channel: 'sms', audience: 'citizen', locale: 'en' } });
  // Default templates (no project) are the super admin's; project admins write project-specific ones.
  const admin = await cmAs(app, ADMIN_ROLES.superAdmin);
  const path = 'api::notification-template.notification-template';
  const broken = await admin.update(path, `${template.documentId}?locale=en`, { body: 'Received {{trackingCode}}\n{{#if resolveBy}}no end' });
  expect([broken.status, broken.body.error.details.code]).toEqual([400, 'TEMPLATE_INVALID']);
  expect(broken.body.error.message).toMatch(/body, line 2/);
  const unknown = await admin.update(path, `${template.documentId}?locale=en`, { body: 'Hello {{citizenPhone}}' });
  expect([unknown.status, unknown.body.error.details.code]).toEqual([400, 'TEMPLATE_INVALID']);
  expect(unknown.body.error.message).toContain('"citizenPhone"');
  const saved = await app.strapi.db.query('api::notification-template.notification-template' as any).findOne({ where: { id: template.id } });
  expect(saved.body).toBe(template.body);
});

it('previews a template with a sample case', async () => {
  const token = await app.tokenFor(ADMIN_ROLES.projectAdmin);
  const res = await app.http().post('/notifications/templates/preview').set('Authorization', `Bearer ${token}`).send({ channel: 'email', subject: 'Case {{trackingCode}}', body: '<p>{{formatDate resolveBy "long"}}</p>', locale: 'fr' });
  expect(res.status).toBe(200);
  expect(res.body.data.subject).toMatch(/^Case DIST-/);
  expect(res.body.data.body).toMatch(/<p>\d+ mars 2026<\/p>/);
});

function listen(email: string): Promise<{ chunks: string[]; close: () => void }> {
  return app.tokenFor(email).then(
    (token) =>
      new Promise((resolve, reject) => {
        const chunks: string[] = [];
        const req = http.get(`${app.baseUrl}/notifications/alerts/stream`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => chunks.push(chunk));
          resolve({ chunks, close: () => req.destroy() });
        });
        req.on('error', reject);
      })
  );
}

it('streams an assignment alert live to the assigned officer only', async () => {
  const officer = await listen(ADMIN_ROLES.officerWater);
  const other = await listen(ADMIN_ROLES.officerRoads);
  try {
    const row = await fileCitizenCase('en', {});
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    await head.act(row.documentId, { action: 'acknowledge', version: 0 });
    await head.act(row.documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
    await dispatch();
    for (let i = 0; i < 50 && !officer.chunks.join('').includes(row.trackingCode); i += 1) await new Promise((r) => setTimeout(r, 20));
    const received = officer.chunks.join('');
    expect(received).toContain('event: alert');
    expect(received).toContain(row.trackingCode);
    expect(other.chunks.join('')).not.toContain(row.trackingCode);

    const token = await app.tokenFor(ADMIN_ROLES.officerWater);
    const alerts = await app.http().get('/notifications/alerts').set('Authorization', `Bearer ${token}`);
    expect(alerts.body.meta.unread).toBeGreaterThanOrEqual(1);
    expect(alerts.body.data[0]).toMatchObject({ event: 'assigned', trackingCode: row.trackingCode, read: false });
    await app.http().post('/notifications/alerts/read').set('Authorization', `Bearer ${token}`).send({});
    expect((await app.http().get('/notifications/alerts').set('Authorization', `Bearer ${token}`)).body.meta.unread).toBe(0);
  } finally {
    officer.close();
    other.close();
  }
});

it('marks a message failed after the last attempt, shows it to the administrator, and sends it on retry', async () => {
  await mail.stop();
  const row = await fileCitizenCase('en', { email: 'later@example.test' });
  let now = new Date();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await dispatch(now);
    now = new Date(now.getTime() + 24 * 3_600_000);
  }
  const message = await outbox().findOne({ where: { grievanceId: row.id, channel: 'email' } });
  expect(message).toMatchObject({ status: 'failed', attempts: 3 });

  const token = await app.tokenFor(ADMIN_ROLES.projectAdmin);
  const failed = await app.http().get('/notifications/outbox').query({ status: 'failed' }).set('Authorization', `Bearer ${token}`);
  expect(failed.body.data.map((m: any) => m.id)).toContain(message.id);
  expect(JSON.stringify(failed.body)).not.toContain('later@example.test');
  const officer = await app.tokenFor(ADMIN_ROLES.officerWater);
  expect((await app.http().get('/notifications/outbox').set('Authorization', `Bearer ${officer}`)).status).toBe(403);

  await mail.start();
  const retried = await app.http().post(`/notifications/outbox/${message.id}/retry`).set('Authorization', `Bearer ${token}`);
  expect(retried.status).toBe(200);
  expect((await app.http().post(`/notifications/outbox/${message.id}/retry`).set('Authorization', `Bearer ${token}`)).body.error.details.code).toBe('NOT_FAILED');
  await dispatch();
  expect(mailsFor(row.trackingCode)).toHaveLength(1);
});

it('tells the next level for action and the level below for information when a case escalates', async () => {
  const row = await fileCitizenCase('en', { email: 'escalation@example.test' });
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(row.documentId, { action: 'acknowledge', version: 0 });
  await head.act(row.documentId, { action: 'escalate', version: 1, note: 'Needs the head of department.' });
  const messages = await outbox().findMany({ where: { grievanceId: row.id, event: 'escalated' } });
  const byAudience = (audience: string) => messages.filter((m: any) => m.audience === audience);
  expect(byAudience('citizen').map((m: any) => m.channel)).toEqual(['email']);
  // Level 2's focal person for Water is the head of department; level 1's officer hears for information.
  expect(byAudience('level_for_action').map((m: any) => m.recipientUserId)).toEqual(expect.arrayContaining([await userId(app, ADMIN_ROLES.headWater)]));
  expect(byAudience('levels_for_information').map((m: any) => m.recipientUserId)).toEqual(expect.arrayContaining([await userId(app, ADMIN_ROLES.officerWater)]));
  expect(byAudience('levels_for_information').map((m: any) => m.recipientUserId)).not.toContain(await userId(app, ADMIN_ROLES.headWater));
  expect(byAudience('level_for_action')[0].subject).toBe(`For action: ${row.trackingCode} escalated to you`);
});

it('queues a reminder for the assignee when a case turns at risk, once however often the sweep runs', async () => {
  const row = await fileCitizenCase('en', {});
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(row.documentId, { action: 'acknowledge', version: 0 });
  await head.act(row.documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
  const fresh = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { id: row.id } });
  const started = Date.parse(fresh.slaStartedAt);
  const due = Date.parse(fresh.resolveDueAt);
  const sweep = (now: Date) => app.strapi.plugin('escalation').service('sweep').sweep({ now });
  const atRisk = new Date(started + 0.9 * (due - started));
  await sweep(atRisk);
  await app.strapi.db.query('api::grievance.grievance' as any).update({ where: { id: row.id }, data: { slaCheckAt: atRisk } });
  await sweep(atRisk);
  const reminders = await outbox().findMany({ where: { grievanceId: row.id, event: 'sla_at_risk' } });
  expect(reminders.map((m: any) => [m.channel, m.recipientUserId]).sort()).toEqual([
    ['email', await userId(app, ADMIN_ROLES.officerWater)],
    ['in_app', await userId(app, ADMIN_ROLES.officerWater)],
  ]);
});

it('sends an administrator a test of a template', async () => {
  const token = await app.tokenFor(ADMIN_ROLES.projectAdmin);
  const res = await app.http().post('/notifications/templates/test').set('Authorization', `Bearer ${token}`).send({ channel: 'sms', body: 'Code {{trackingCode}}', locale: 'en' });
  expect(res.body.data).toEqual({ sentTo: ADMIN_ROLES.projectAdmin });
  expect(mail.messages.some((m) => m.subject === '[TEST] Notification template' && m.text?.includes('Code DIST-') && (m.to as any).text === ADMIN_ROLES.projectAdmin)).toBe(true);
});
