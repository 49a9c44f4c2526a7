/**
 * Step-up authentication for sensitive actions (docs/security.md): rejecting a case, overriding
 * priority, changing roles and scopes, changing a department's head and exporting personal data
 * need the staff member's password and a fresh authenticator code, in that session, recently.
 */
import { codeAt } from '../../plugins/security/server/src/domain/totp';
import { sealedWith } from '../../src/platform/field-crypto';
import { ADMIN_ROLES, DEMO_PASSWORD, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';
import { nextCode, stepUp } from '../helpers/step-up';
import { fileCase, workflowAs } from '../helpers/workflow';

let app: TestApp;
const GRIEVANCE = 'api::grievance.grievance';

const as = async (email: string) => {
  const token = await app.tokenFor(email);
  return (req: any) => req.set('Authorization', `Bearer ${token}`);
};
const auditActions = async (action: string) => app.strapi.db.connection('audit_events').where({ action }).select('entity_id', 'diff');

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 6 });
});

afterAll(async () => {
  await app?.stop();
});

it('asks for a second factor before a department head rejects a case, and rejects once they confirm it is them', async () => {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Complaint about a private land dispute');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  const refused = await head.act(documentId, { action: 'reject', reason: 'Outside the mechanism: a civil court matter.', version: 0 });
  expect(refused.status).toBe(403);
  expect(refused.body.error.details).toMatchObject({ code: 'STEP_UP_REQUIRED', purpose: 'reject', enrolled: false });
  expect((await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { documentId } })).caseStatus).toBe('submitted');

  const auth = await as(ADMIN_ROLES.headWater);
  // A wrong password does not even start the set-up.
  const wrong = await auth(app.http().post('/security/second-factor')).send({ password: 'not-my-password' });
  expect([wrong.status, wrong.body.error.details.code]).toEqual([403, 'STEP_UP_FAILED']);
  const enrol = await auth(app.http().post('/security/second-factor')).send({ password: DEMO_PASSWORD });
  expect(enrol.status).toBe(200);
  expect(enrol.body.data.otpauthUri).toMatch(/^otpauth:\/\/totp\/GRM:head\.water%40demo\.local\?/);
  const secret = enrol.body.data.secret;
  // The secret is stored only sealed.
  const stored = await app.strapi.db.connection('second_factors').first('secret');
  expect(sealedWith(stored.secret)).toBe('t1');
  expect(JSON.stringify(stored)).not.toContain(secret);

  expect((await auth(app.http().post('/security/second-factor/confirm')).send({ code: '000000' })).status).toBe(403);
  expect((await auth(app.http().post('/security/second-factor/confirm')).send({ code: codeAt(secret, Date.now()) })).status).toBe(200);
  // Still refused: enrolled, but this session has not confirmed it is them.
  const still = await head.act(documentId, { action: 'reject', reason: 'Outside the mechanism: a civil court matter.', version: 0 });
  expect(still.body.error.details).toMatchObject({ code: 'STEP_UP_REQUIRED', enrolled: true });

  const noPassword = await auth(app.http().post('/security/step-up')).send({ password: 'wrong', code: codeAt(secret, Date.now() + 30_000) });
  expect(noPassword.status).toBe(403);
  const ok = await auth(app.http().post('/security/step-up')).send({ password: DEMO_PASSWORD, code: codeAt(secret, Date.now() + 30_000) });
  expect(ok.status).toBe(200);
  expect(Date.parse(ok.body.data.stepUpUntil)).toBeGreaterThan(Date.now());

  const rejected = await head.act(documentId, { action: 'reject', reason: 'Outside the mechanism: a civil court matter.', version: 0 });
  expect(rejected.status).toBe(200);
  expect(rejected.body.data.status).toBe('rejected');
  const user = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN_ROLES.headWater } });
  expect((await auditActions('security.second_factor_enrolled')).map((e: any) => e.entity_id)).toContain(String(user.id));
  expect((await auditActions('security.step_up')).map((e: any) => e.entity_id)).toContain(String(user.id));
  expect((await auditActions('security.step_up_failed')).length).toBeGreaterThanOrEqual(3);
});

it('refuses a code used before, holds the step-up to the session that made it, and ends it when the time is up', async () => {
  await stepUp(app, ADMIN_ROLES.headPiu);
  const auth = await as(ADMIN_ROLES.headPiu);
  const status = await auth(app.http().get('/security/second-factor'));
  expect(status.body.data).toMatchObject({ enrolled: true, stepUpUntil: expect.any(String) });

  // Another session of the same account (another browser) has not stepped up.
  const other = await app.http().post('/admin/login').send({ email: ADMIN_ROLES.headPiu, password: DEMO_PASSWORD });
  const otherStatus = await app.http().get('/security/second-factor').set('Authorization', `Bearer ${other.body.data.token}`);
  expect(otherStatus.body.data).toMatchObject({ enrolled: true, stepUpUntil: null });

  // A code is good once: the one just used fails, in any session.
  const code = await nextCode(app, ADMIN_ROLES.headPiu);
  expect((await auth(app.http().post('/security/step-up')).send({ password: DEMO_PASSWORD, code })).status).toBe(200);
  const replay = await app.http().post('/security/step-up').set('Authorization', `Bearer ${other.body.data.token}`).send({ password: DEMO_PASSWORD, code });
  expect([replay.status, replay.body.error.details.code]).toEqual([403, 'STEP_UP_FAILED']);

  const user = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN_ROLES.headPiu } });
  await app.strapi.db.query('plugin::security.step-up-grant' as any).updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await auth(app.http().get('/security/second-factor'))).body.data.stepUpUntil).toBeNull();
});

it('pauses step-up attempts after repeated failures', async () => {
  const auth = await as(ADMIN_ROLES.officerRoads);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i += 1) statuses.push((await auth(app.http().post('/security/second-factor')).send({ password: `guess-${i}` })).status);
  expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  const after = await auth(app.http().post('/security/second-factor')).send({ password: DEMO_PASSWORD });
  expect([after.status, after.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
});

it('needs a step-up to override a case priority in the content manager, not to save the form unchanged', async () => {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Broken pipe flooding the lane');
  const before = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { documentId } });
  const admin = await cmAs(app, ADMIN_ROLES.projectAdmin);
  const target = before.priority === 'urgent' ? 'low' : 'urgent';
  expect((await admin.update(GRIEVANCE, documentId, { priority: before.priority, description: `${before.description}.` })).status).toBe(200);
  const refused = await admin.update(GRIEVANCE, documentId, { priority: target });
  expect([refused.status, refused.body.error.details.code]).toEqual([403, 'STEP_UP_REQUIRED']);
  expect((await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { documentId } })).priority).toBe(before.priority);
  await stepUp(app, ADMIN_ROLES.projectAdmin);
  expect((await admin.update(GRIEVANCE, documentId, { priority: target })).status).toBe(200);
  expect((await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { documentId } })).priority).toBe(target);
});

it("needs a step-up to change an account's roles, a role's permissions, a staff profile's scope or a department's head", async () => {
  const auth = await as(ADMIN_ROLES.superAdmin);
  const clerk = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN_ROLES.intake }, populate: ['roles'] });
  const officerRole = await app.strapi.db.query('admin::role').findOne({ where: { code: 'grm-officer' } });
  const viewerRole = await app.strapi.db.query('admin::role').findOne({ where: { code: 'grm-viewer' } });
  const profile = await app.strapi.db.query('api::staff-profile.staff-profile' as any).findOne({ where: { user: { id: clerk.id } } })
    ?? (await app.strapi.db.query('api::staff-profile.staff-profile' as any).findOne({}));
  const department = await app.strapi.db.query('api::department.department' as any).findOne({ where: { code: 'WATER' }, populate: ['head'] });
  const newHead = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN_ROLES.headPiu } });

  const attempts = () => [
    auth(app.http().put(`/admin/users/${clerk.id}`)).send({ roles: [viewerRole.id] }),
    auth(app.http().put(`/admin/roles/${officerRole.id}`)).send({ name: officerRole.name, description: 'Officers of the district' }),
    auth(app.http().put(`/content-manager/collection-types/api::staff-profile.staff-profile/${profile.documentId}`)).send({ displayName: `${profile.displayName} ` }),
    auth(app.http().put(`/content-manager/collection-types/api::department.department/${department.documentId}`)).send({ head: { connect: [{ id: newHead.id }] } }),
  ];
  for (const res of await Promise.all(attempts())) {
    expect([res.status, res.body.error?.details?.code]).toEqual([403, 'STEP_UP_REQUIRED']);
  }
  // A malformed escape in a guarded path is the router's to refuse, never a 500.
  expect((await auth(app.http().put('/content-manager/collection-types/api::staff-profile.staff-profile/%E0%A4%A')).send({})).status).toBeLessThan(500);
  expect((await app.strapi.db.query('admin::user').findOne({ where: { id: clerk.id }, populate: ['roles'] })).roles.map((r: any) => r.code)).toEqual(clerk.roles.map((r: any) => r.code));
  // Renaming an account is not a change of who may do what.
  expect((await auth(app.http().put(`/admin/users/${clerk.id}`)).send({ firstname: 'Indira' })).status).toBe(200);

  await stepUp(app, ADMIN_ROLES.superAdmin);
  for (const res of await Promise.all(attempts())) expect(res.status).toBe(200);
  expect((await app.strapi.db.query('admin::user').findOne({ where: { id: clerk.id }, populate: ['roles'] })).roles.map((r: any) => r.code)).toEqual(['grm-viewer']);
});

it("exports citizens' contacts only on request, to roles that may read them, after a step-up, and audits it", async () => {
  const plain = await (await as(ADMIN_ROLES.headWater))(app.http().get('/reports/export?format=csv'));
  expect(plain.status).toBe(200);
  expect(plain.text.split('\n')[0]).not.toMatch(/Phone/);

  // A viewer's role may not read contacts: refused whatever the step-up.
  const viewer = await (await as(ADMIN_ROLES.viewer))(app.http().get('/reports/export?format=csv&contact=true'));
  expect([viewer.status, viewer.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);

  const auth = await as(ADMIN_ROLES.headPiu);
  const refused = await auth(app.http().get('/reports/export?format=csv&contact=true'));
  expect([refused.status, refused.body.error.details.code]).toEqual([403, 'STEP_UP_REQUIRED']);
  await stepUp(app, ADMIN_ROLES.headPiu);
  const res = await auth(app.http().get('/reports/export?format=csv&contact=true'));
  expect(res.status).toBe(200);
  const [header, ...rows] = res.text.trim().split('\n');
  expect(header).toMatch(/Citizen,Phone,E-mail$/);
  expect(rows.length).toBeGreaterThan(0);
  expect(res.text).not.toContain('enc:v1:');
  expect(res.text).toMatch(/\+9198\d{8}/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const exported = await auditActions('cases.exported');
  const diffs = exported.map((e: any) => (typeof e.diff === 'string' ? JSON.parse(e.diff) : e.diff));
  expect(diffs.some((d: any) => d?.filters?.contact === true && d?.rows === rows.length)).toBe(true);
});

it('lets a super admin reset a lost authenticator after their own step-up, and nobody else', async () => {
  await stepUp(app, ADMIN_ROLES.officerWater);
  const officer = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN_ROLES.officerWater } });
  const byHead = await (await as(ADMIN_ROLES.headWater))(app.http().delete(`/security/second-factor/${officer.id}`));
  expect(byHead.status).toBe(403);
  const res = await (await as(ADMIN_ROLES.superAdmin))(app.http().delete(`/security/second-factor/${officer.id}`));
  expect(res.status).toBe(200);
  expect(res.body.data.reset).toBe(true);
  const status = await (await as(ADMIN_ROLES.officerWater))(app.http().get('/security/second-factor'));
  expect(status.body.data).toMatchObject({ enrolled: false, stepUpUntil: null });
});
