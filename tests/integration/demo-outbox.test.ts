/**
 * The demo outbox and channel health (docs/notifications.md): in demo outbox mode a citizen's
 * receipt is kept rendered, in their language, for administrators to read, and nothing fails;
 * the outbox and health are refused to roles without the outbox permission and citizens' contacts
 * withheld from roles that may not read them. In production the demo outbox is refused, and a
 * channel that is not configured holds its messages (one state, one health line) instead of
 * failing or retrying them, and releases them once it is configured.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { startGateway, GatewaySink } from '../helpers/mail';

const OUTBOX_ACTION = 'plugin::notifications.outbox.read';
const outboxRows = (app: TestApp) => app.strapi.db.query('plugin::notifications.notification' as any);
const dispatch = (app: TestApp, now?: Date) => app.strapi.plugin('notifications').service('dispatcher').dispatchDue({ now, limit: 1000 });
const get = async (app: TestApp, email: string, path: string) => app.http().get(path).set('Authorization', `Bearer ${await app.tokenFor(email)}`);
const submit = (app: TestApp, language: string, citizen: object) =>
  app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'Pas d’eau au robinet public depuis lundi.', language, citizen } });

describe('demo outbox mode', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ grievancesPerProject: 3, env: { NOTIFICATIONS_DELIVERY: 'outbox', RATE_LIMIT_SUBMIT_PER_MINUTE: '40' } });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("keeps a public submission's receipt by SMS and e-mail, rendered in the citizen's language, for the super admin to read", async () => {
    const res = await submit(app, 'fr', { name: 'Anita Devi', phone: '+919800000001', email: 'anita@example.test' });
    expect(res.status).toBe(201);
    const code = res.body.data.trackingCode;
    await dispatch(app);

    const outbox = await get(app, ADMIN_ROLES.superAdmin, '/notifications/demo-outbox');
    expect(outbox.status).toBe(200);
    const mine = outbox.body.data.filter((m: any) => m.trackingCode === code);
    const sms = mine.find((m: any) => m.channel === 'sms');
    const email = mine.find((m: any) => m.channel === 'email');
    expect(sms).toMatchObject({ to: '+919800000001', locale: 'fr', audience: 'citizen', event: 'received', personalDataHidden: false });
    expect(sms.text).toContain(`Nous avons reçu votre réclamation ${code}`);
    expect(email).toMatchObject({ to: 'anita@example.test', locale: 'fr', subject: `Réclamation ${code} reçue` });
    expect(email.html).toContain('accusé de réception');
    expect(email.deliveredAt).toBeTruthy();

    // Hindi, in Devanagari, for another citizen; the filter by channel keeps e-mail only.
    const hindi = await submit(app, 'hi', { email: 'ravi@example.test' });
    await dispatch(app);
    const emails = await get(app, ADMIN_ROLES.superAdmin, '/notifications/demo-outbox?channel=email');
    expect(emails.body.data.every((m: any) => m.channel === 'email')).toBe(true);
    expect(emails.body.data.find((m: any) => m.trackingCode === hindi.body.data.trackingCode)).toMatchObject({ subject: `शिकायत ${hindi.body.data.trackingCode} प्राप्त हुई`, locale: 'hi' });
  });

  it('fails nothing: no red Retry rows on the Alerts page, and the health says every channel goes to the demo outbox', async () => {
    await dispatch(app);
    expect(await outboxRows(app).count({ where: { status: { $in: ['failed', 'held', 'pending'] }, channel: { $ne: 'in_app' } } })).toBe(0);
    const failed = await get(app, ADMIN_ROLES.superAdmin, '/notifications/outbox?status=failed');
    expect(failed.body.meta.total).toBe(0);

    const health = await get(app, ADMIN_ROLES.superAdmin, '/notifications/health');
    expect(health.status).toBe(200);
    expect(health.body.data).toMatchObject({ mode: 'outbox', problem: null });
    expect(health.body.data.channels.map((c: any) => [c.channel, c.state])).toEqual([
      ['email', 'demo_outbox'],
      ['sms', 'demo_outbox'],
      ['whatsapp', 'demo_outbox'],
    ]);
  });

  it('refuses the outbox and the health to roles without the outbox permission, and scopes project admins to their projects', async () => {
    for (const email of [ADMIN_ROLES.viewer, ADMIN_ROLES.officerWater, ADMIN_ROLES.headWater, ADMIN_ROLES.intake]) {
      for (const path of ['/notifications/demo-outbox', '/notifications/health']) {
        const res = await get(app, email, path);
        expect([email, path, res.status, res.body.error?.details?.code]).toEqual([email, path, 403, 'NOT_ALLOWED']);
      }
    }
    const district = await get(app, ADMIN_ROLES.projectAdmin, '/notifications/demo-outbox');
    expect(district.status).toBe(200);
    expect(district.body.meta.total).toBeGreaterThan(0);
    expect(district.body.data.every((m: any) => m.trackingCode?.startsWith('DIST-'))).toBe(true);
    const highway = await get(app, 'piu.admin@demo.local', '/notifications/demo-outbox');
    expect(highway.status).toBe(200);
    expect(highway.body.data.some((m: any) => m.trackingCode?.startsWith('DIST-'))).toBe(false);
    expect((await get(app, ADMIN_ROLES.superAdmin, '/notifications/demo-outbox?channel=fax')).body.error.details.code).toBe('VALIDATION');
    expect((await get(app, ADMIN_ROLES.superAdmin, '/notifications/demo-outbox?page=0')).body.error.details.code).toBe('VALIDATION');
  });

  it("withholds citizens' addresses and messages from a role that may read the outbox but not citizens' contacts", async () => {
    const viewerRole = await app.strapi.db.query('admin::role').findOne({ where: { code: 'grm-viewer' } });
    await app.strapi.db.query('admin::permission').create({ data: { action: OUTBOX_ACTION, actionParameters: {}, subject: null, properties: {}, conditions: [], role: viewerRole.id } });
    const res = await get(app, ADMIN_ROLES.viewer, '/notifications/demo-outbox?channel=sms');
    expect(res.status).toBe(200);
    const citizen = res.body.data.filter((m: any) => m.audience === 'citizen');
    expect(citizen.length).toBeGreaterThan(0);
    for (const m of citizen) expect(m).toMatchObject({ to: null, subject: null, text: null, html: null, personalDataHidden: true });
    expect(JSON.stringify(res.body)).not.toContain('+919800000001');
  });
});

describe('production without SMS, WhatsApp or e-mail configured', () => {
  let app: TestApp;
  let gateway: GatewaySink;
  beforeAll(async () => {
    gateway = await startGateway();
    // The demo outbox asked for, and refused: production never keeps messages in it unless told to.
    app = await startApp({ grievancesPerProject: 0, env: { NODE_ENV: 'production', CRON_ENABLED: 'false', NOTIFICATIONS_DELIVERY: 'outbox', RATE_LIMIT_SUBMIT_PER_MINUTE: '40' } });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await gateway?.stop();
  });

  it('holds the messages of channels that are not configured, attempts none of them again and again, and reports each channel once', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await submit(app, 'en', { phone: `+91980000010${i}`, email: `citizen${i}@example.test` });
      expect(res.status).toBe(201);
      codes.push(res.body.data.trackingCode);
    }
    const first = await dispatch(app);
    expect(first).toMatchObject({ sent: 0, retried: 0, failed: 0, held: 10 });
    // Hours and days later: nothing is tried again, nothing turns into a failure.
    for (const later of [3_600_000, 86_400_000, 7 * 86_400_000]) {
      expect(await dispatch(app, new Date(Date.now() + later))).toMatchObject({ sent: 0, retried: 0, failed: 0, held: 0 });
    }
    const rows = await outboxRows(app).findMany({ where: { trackingCode: { $in: codes } } });
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row).toMatchObject({ status: 'held', attempts: 0, delivery: null });
    expect(rows.find((r: any) => r.channel === 'sms').lastError).toBe('SMS is not configured.');

    // The Alerts page has no red rows to show; the health says it once per channel.
    expect((await get(app, ADMIN_ROLES.superAdmin, '/notifications/outbox?status=failed')).body.meta.total).toBe(0);
    const health = await get(app, ADMIN_ROLES.superAdmin, '/notifications/health');
    expect(health.body.data).toMatchObject({ mode: 'live', requested: 'outbox', problem: 'demo_outbox_refused_in_production' });
    expect(health.body.data.channels).toEqual([
      { channel: 'email', state: 'not_configured', held: 5, failed: 0 },
      { channel: 'sms', state: 'not_configured', held: 5, failed: 0 },
      { channel: 'whatsapp', state: 'not_configured', held: 0, failed: 0 },
    ]);
    expect((await get(app, ADMIN_ROLES.superAdmin, '/notifications/demo-outbox')).body.meta.total).toBe(0);
  });

  it('never releases held messages into the demo outbox, where they would count as sent', async () => {
    app.strapi.config.set('plugin::notifications.demoOutboxInProduction', true);
    try {
      expect((await get(app, ADMIN_ROLES.superAdmin, '/notifications/health')).body.data.mode).toBe('outbox');
      expect(await app.strapi.plugin('notifications').service('dispatcher').releaseHeld()).toBe(0);
      expect(await outboxRows(app).count({ where: { status: 'held' } })).toBe(10);
    } finally {
      app.strapi.config.set('plugin::notifications.demoOutboxInProduction', false);
    }
  });

  it('sends the held SMS once the gateway is configured and the app starts again', async () => {
    app.strapi.config.set('plugin::notifications.sms', { url: gateway.url, preset: 'twilio', from: '+15550001111', username: 'AC1', password: 'secret' });
    expect(await app.strapi.plugin('notifications').service('dispatcher').releaseHeld()).toBe(5);
    expect(await dispatch(app)).toMatchObject({ sent: 5, failed: 0 });
    expect(gateway.requests).toHaveLength(5);
    expect(await dispatch(app, new Date(Date.now() + 86_400_000))).toMatchObject({ sent: 0, held: 0 });
    const health = await get(app, ADMIN_ROLES.superAdmin, '/notifications/health');
    expect(health.body.data.channels.find((c: any) => c.channel === 'sms')).toEqual({ channel: 'sms', state: 'configured', held: 0, failed: 0 });
  });
});
