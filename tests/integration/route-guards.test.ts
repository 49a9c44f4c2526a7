/**
 * Guards follow the route the router matched, not the text of the URL (docs/security.md, "Guards
 * follow the route"). The router matches paths case-insensitively and with a trailing slash; a
 * guard comparing strings let `/ADMIN/roles/1` change a role with no step-up, `/Admin/Login`
 * try passwords without limit, and neither reached the audit trail. Every spelling of a guarded
 * route meets its guard: the routed ones are refused (or counted, or audited), the others are
 * not routed at all, and in every case nothing changes.
 */
import { ADMIN_ROLES, DEMO_PASSWORD, startApp, TestApp } from '../helpers/app';
import { eventsAfter, lastSeq } from '../helpers/audit';
import { suiteEnvironment } from '../helpers/env';
import { stepUp } from '../helpers/step-up';

const environment = suiteEnvironment({ SIGN_IN_FAILURES_PER_CLIENT: '4', SIGN_IN_FAILURES_PER_ACCOUNT: '50', TRUSTED_PROXY_HOPS: '1' });
let app: TestApp;

beforeAll(async () => {
  environment.apply();
  app = await startApp({ grievancesPerProject: 2 });
});

afterAll(async () => {
  await app?.stop();
  environment.restore();
});

/**
 * Other spellings of a path that a hurried attacker tries first. Only the route's own words
 * change case (ids and content-type names are data); the last two the router does not route.
 */
export function spellings(path: string): Array<{ name: string; path: string; routed: boolean }> {
  const words = (change: (word: string) => string) => path.split('/').map((s) => (/^[a-z-]+$/.test(s) ? change(s) : s)).join('/');
  const [first, ...rest] = path.split('/').filter(Boolean);
  const encodedLetter = `/${first}/${rest.join('/').replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`;
  return [
    { name: 'upper case', path: words((w) => w.toUpperCase()), routed: true },
    { name: 'mixed case', path: words((w) => w.charAt(0).toUpperCase() + w.slice(1)), routed: true },
    { name: 'trailing slash', path: `${path}/`, routed: true },
    { name: 'doubled slash', path: path.replace('/', '//'), routed: false },
    { name: 'percent-encoded letter', path: encodedLetter, routed: false },
  ];
}

const routedOrNot = (res: { status: number }, routed: boolean) => (routed ? res.status : [404, 405].includes(res.status) ? 'not routed' : res.status);

describe('step-up', () => {
  it("a role, an account's roles, a staff profile and a department's head: every spelling needs a step-up", async () => {
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const auth = (req: any) => req.set('Authorization', `Bearer ${token}`);
    const q = (uid: string) => app.strapi.db.query(uid as any);
    const officerRole = await q('admin::role').findOne({ where: { code: 'grm-officer' } });
    const viewerRole = await q('admin::role').findOne({ where: { code: 'grm-viewer' } });
    const clerk = await q('admin::user').findOne({ where: { email: ADMIN_ROLES.intake }, populate: ['roles'] });
    const profile = await q('api::staff-profile.staff-profile').findOne({});
    const department = await q('api::department.department').findOne({ where: { code: 'WATER' }, populate: ['head'] });
    const newHead = await q('admin::user').findOne({ where: { email: ADMIN_ROLES.headPiu } });
    const cm = '/content-manager/collection-types';
    const publicRole = await q('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const publicPermissions = await q('plugin::users-permissions.permission').count({ where: { role: { id: publicRole.id } } });

    const targets = [
      { method: 'put', path: `/admin/roles/${officerRole.id}`, body: { name: officerRole.name, description: 'Changed without a second factor' } },
      { method: 'put', path: `/admin/users/${clerk.id}`, body: { roles: [viewerRole.id] } },
      { method: 'put', path: `${cm}/api::staff-profile.staff-profile/${profile.documentId}`, body: { displayName: 'Changed without a second factor' } },
      { method: 'put', path: `${cm}/api::department.department/${department.documentId}`, body: { head: { connect: [{ id: newHead.id }] } } },
      { method: 'post', path: '/admin/api-tokens', body: { name: 'backdoor', type: 'full-access', lifespan: null } },
      // The content API's roles: turning on a permission of the Public role opens it to everyone.
      { method: 'put', path: `/users-permissions/roles/${publicRole.id}`, body: { name: publicRole.name, description: publicRole.description, permissions: { 'plugin::upload': { controllers: { 'content-api': { find: { enabled: true } } } } } } },
      { method: 'post', path: '/users-permissions/roles', body: { name: 'Backdoor', description: 'x', permissions: {} } },
      { method: 'put', path: '/users-permissions/advanced', body: { allow_register: true, default_role: 'authenticated', unique_email: true } },
      // A webhook sends entry events to an address of its creator's choosing.
      { method: 'post', path: '/admin/webhooks', body: { name: 'exfiltrate', url: 'http://127.0.0.1:9/hook', headers: {}, events: ['entry.create'] } },
    ];
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const target of targets) {
      for (const variant of [{ name: 'as documented', path: target.path, routed: true }, ...spellings(target.path)]) {
        const res = await auth((app.http() as any)[target.method](variant.path)).send(target.body);
        const key = `${target.method.toUpperCase()} ${variant.path}`;
        outcomes[key] = variant.routed ? [res.status, res.body?.error?.details?.code] : routedOrNot(res, false);
        expected[key] = variant.routed ? [403, 'STEP_UP_REQUIRED'] : 'not routed';
      }
    }
    expect(outcomes).toEqual(expected);
    // And nothing changed, whatever the answer.
    expect((await q('admin::role').findOne({ where: { id: officerRole.id } })).description).toBe(officerRole.description);
    expect((await q('admin::user').findOne({ where: { id: clerk.id }, populate: ['roles'] })).roles.map((r: any) => r.code)).toEqual(clerk.roles.map((r: any) => r.code));
    expect((await q('api::staff-profile.staff-profile').findOne({ where: { id: profile.id } })).displayName).toBe(profile.displayName);
    expect((await q('api::department.department').findOne({ where: { id: department.id }, populate: ['head'] })).head?.id ?? null).toBe(department.head?.id ?? null);
    expect(await q('admin::api-token').count({ where: { name: 'backdoor' } })).toBe(0);
    expect(await q('plugin::users-permissions.permission').count({ where: { role: { id: publicRole.id } } })).toBe(publicPermissions);
    expect(await q('plugin::users-permissions.role').count({ where: { name: 'Backdoor' } })).toBe(0);
    expect(await q('strapi::webhook').count({ where: { name: 'exfiltrate' } })).toBe(0);
  });

  it('the content type named with escaped colons is the same content type', async () => {
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const profile = await app.strapi.db.query('api::staff-profile.staff-profile' as any).findOne({});
    for (const model of ['api%3A%3Astaff-profile.staff-profile', 'api%3a%3astaff-profile.staff-profile', 'api::staff-profile%2Estaff-profile']) {
      const res = await app.http().put(`/content-manager/collection-types/${model}/${profile.documentId}`).set('Authorization', `Bearer ${token}`).send({ displayName: 'Changed' });
      expect([model, res.status, res.body?.error?.details?.code]).toEqual([model, 403, 'STEP_UP_REQUIRED']);
    }
    expect((await app.strapi.db.query('api::staff-profile.staff-profile' as any).findOne({ where: { id: profile.id } })).displayName).toBe(profile.displayName);
  });
});

describe('sign-in limits', () => {
  it('count every spelling of the sign-in route against the same address', async () => {
    const from = '203.0.113.50';
    const paths = ['/admin/login', '/ADMIN/LOGIN', '/Admin/Login/', '/admin/login/'];
    const statuses: number[] = [];
    for (const path of paths) {
      const res = await app.http().post(path).set('X-Forwarded-For', from).send({ email: 'nobody@demo.local', password: 'wrong-password' });
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 400 || s === 401)).toBe(true);
    for (const path of paths) {
      const res = await app.http().post(path).set('X-Forwarded-For', from).send({ email: ADMIN_ROLES.viewer, password: DEMO_PASSWORD });
      expect([path, res.status, res.body?.error?.details?.code]).toEqual([path, 429, 'RATE_LIMITED']);
    }
  });
});

describe('request audit', () => {
  it('records a sign-in and a role change however the URL is spelled', async () => {
    const before = await lastSeq(app);
    expect((await app.http().post('/ADMIN/Login/').set('X-Forwarded-For', '203.0.113.60').send({ email: ADMIN_ROLES.viewer, password: DEMO_PASSWORD })).status).toBe(200);
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'grm-viewer' } });
    await stepUp(app, ADMIN_ROLES.superAdmin);
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const res = await app.http().put(`/Admin/ROLES/${role.id}/`).set('Authorization', `Bearer ${token}`).send({ name: role.name, description: 'Reviewers, audited' });
    expect(res.status).toBe(200);
    const actions = (await eventsAfter(app, before)).map((e: any) => e.action);
    expect(actions).toContain('admin.login.success');
    expect(actions).toContain('admin.roles.update');
  });

  it("records changes to the content API's roles and to webhooks, with no header value kept", async () => {
    await stepUp(app, ADMIN_ROLES.superAdmin);
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const auth = (req: any) => req.set('Authorization', `Bearer ${token}`);
    const authenticated = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const before = await lastSeq(app);
    const role = await auth(app.http().put(`/USERS-PERMISSIONS/roles/${authenticated.id}/`)).send({ name: authenticated.name, description: 'Audited change', permissions: {} });
    expect(role.status).toBe(200);
    const hook = await auth(app.http().post('/Admin/Webhooks')).send({ name: 'audited', url: 'https://hooks.example.org/grm', headers: { Authorization: 'Bearer very-secret-value' }, events: ['entry.create'] });
    expect(hook.status).toBe(201);
    const events = await eventsAfter(app, before);
    expect(events.map((e: any) => e.action)).toEqual(expect.arrayContaining(['admin.content-api-roles.update', 'admin.webhooks.create']));
    expect(JSON.stringify(events)).not.toContain('very-secret-value');
  });

  it('does not record the permission checks the admin panel makes on every page', async () => {
    const token = await app.tokenFor(ADMIN_ROLES.officerWater);
    const before = await lastSeq(app);
    for (let i = 0; i < 5; i += 1) {
      const res = await app.http().post('/admin/permissions/check').set('Authorization', `Bearer ${token}`).send({ permissions: [{ action: 'plugin::content-manager.explorer.read', subject: 'api::grievance.grievance' }] });
      expect(res.status).toBe(200);
    }
    expect((await eventsAfter(app, before)).map((e: any) => e.action)).toEqual([]);
  });
});
