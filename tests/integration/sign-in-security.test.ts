/**
 * Sign-in and session security (docs/security.md): failed sign-ins are limited per address
 * whatever account they try and per account and address; a password change ends every
 * session of that account, whoever makes it; the refresh cookie is HttpOnly, SameSite=Strict
 * and Secure over HTTPS; every response carries the security headers and the CSP.
 */
import { ADMIN_ROLES, DEMO_PASSWORD, startApp, TestApp } from '../helpers/app';

const LIMITS = { SIGN_IN_FAILURES_PER_CLIENT: '5', SIGN_IN_FAILURES_PER_ACCOUNT: '3', TRUSTED_PROXY_HOPS: '1', ADMIN_COOKIE_SECURE: 'true' };
const saved: Record<string, string | undefined> = {};
let app: TestApp;
let address = 0;

/** A sign-in from its own client address (the app trusts one proxy hop in this suite). */
const login = (email: string, password: string, from = `198.51.100.${++address}`) =>
  app.http().post('/admin/login').set('X-Forwarded-For', from).set('X-Forwarded-Proto', 'https').send({ email, password });

beforeAll(async () => {
  for (const [key, value] of Object.entries(LIMITS)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  app = await startApp({ grievancesPerProject: 2 });
});

afterAll(async () => {
  await app?.stop();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

it('stops an address that tries a new e-mail on every attempt', async () => {
  const from = '203.0.113.7';
  for (let i = 0; i < 5; i += 1) {
    const res = await login(`nobody${i}@demo.local`, 'wrong-password', from);
    expect([400, 401]).toContain(res.status);
  }
  const blocked = await login('nobody-else@demo.local', 'wrong-password', from);
  expect(blocked.status).toBe(429);
  expect(blocked.body.error.details.code).toBe('RATE_LIMITED');
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  // Even the right password waits: the address is blocked, not the guess.
  expect((await login(ADMIN_ROLES.viewer, DEMO_PASSWORD, from)).status).toBe(429);
  // Another address is not affected.
  expect((await login(ADMIN_ROLES.viewer, DEMO_PASSWORD)).status).toBe(200);
});

it('stops guesses at one account from one address, without locking the account for its owner elsewhere', async () => {
  const from = '203.0.113.8';
  for (let i = 0; i < 4; i += 1) expect((await login(ADMIN_ROLES.intake, DEMO_PASSWORD)).status).toBe(200);
  for (let i = 0; i < 3; i += 1) expect((await login(ADMIN_ROLES.intake.toUpperCase(), 'wrong-password', from)).status).not.toBe(429);
  const blocked = await login(ADMIN_ROLES.intake, DEMO_PASSWORD, from);
  expect(blocked.status).toBe(429);
  expect(blocked.body.error.details.code).toBe('RATE_LIMITED');
  // The owner from their own address, and other accounts, sign in as usual (tests/integration/lockout-resistance.test.ts).
  expect((await login(ADMIN_ROLES.intake, DEMO_PASSWORD)).status).toBe(200);
  expect((await login(ADMIN_ROLES.officerRoads, DEMO_PASSWORD)).status).toBe(200);
});

it('keeps the users-permissions sign-in closed, however often and however spelled: no password is ever checked there', async () => {
  const from = '203.0.113.99';
  const statuses: number[] = [];
  for (const path of ['/api/auth/local', '/API/AUTH/LOCAL', '/api/auth/local/', '/Api/Auth/Local', '/api/auth/local', '/api/auth/local', '/api/auth/local']) {
    const res = await app.http().post(path).set('X-Forwarded-For', from).send({ identifier: 'someone@example.org', password: 'wrong-password' });
    statuses.push(res.status);
  }
  expect(statuses).toEqual([403, 403, 403, 403, 403, 403, 403]);
});

it('sets the refresh cookie HttpOnly, SameSite=Strict and Secure behind the TLS proxy', async () => {
  const res = await login(ADMIN_ROLES.headWater, DEMO_PASSWORD);
  expect(res.status).toBe(200);
  const cookie = String((res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('strapi_admin_refresh=')));
  expect(cookie).toMatch(/;\s*httponly/i);
  expect(cookie).toMatch(/;\s*samesite=strict/i);
  expect(cookie).toMatch(/;\s*secure/i);
});

it('ends every session of an account when an administrator sets a new password, and when its owner changes it', async () => {
  const first = (await login(ADMIN_ROLES.officerWater, DEMO_PASSWORD)).body.data.token;
  const second = (await login(ADMIN_ROLES.officerWater, DEMO_PASSWORD)).body.data.token;
  const me = (token: string) => app.http().get('/admin/users/me').set('Authorization', `Bearer ${token}`);
  expect((await me(first)).status).toBe(200);
  const officer = (await me(first)).body.data;

  const admin = (await login(ADMIN_ROLES.superAdmin, DEMO_PASSWORD)).body.data.token;
  const changed = await app.http().put(`/admin/users/${officer.id}`).set('Authorization', `Bearer ${admin}`).send({ password: 'New-Password-2' });
  expect(changed.status).toBe(200);
  expect((await me(first)).status).toBe(401);
  expect((await me(second)).status).toBe(401);
  expect((await login(ADMIN_ROLES.officerWater, DEMO_PASSWORD)).status).not.toBe(200);

  const third = (await login(ADMIN_ROLES.officerWater, 'New-Password-2')).body.data.token;
  const other = (await login(ADMIN_ROLES.officerWater, 'New-Password-2')).body.data.token;
  const own = await app.http().put('/admin/users/me').set('Authorization', `Bearer ${third}`).send({ currentPassword: 'New-Password-2', password: 'New-Password-3' });
  expect(own.status).toBe(200);
  expect((await me(other)).status).toBe(401);
  expect((await login(ADMIN_ROLES.officerWater, 'New-Password-3')).status).toBe(200);
});

it('sends the security headers and a content security policy on the API, the admin panel and the portal', async () => {
  for (const path of ['/api/projects', '/admin/init', '/portal/']) {
    const res = await app.http().get(path);
    expect([path, res.status < 500]).toEqual([path, true]);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    // Strapi lets the admin panel's development server inline scripts outside production only.
    if (!path.startsWith('/admin')) expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/script-src-attr 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  }
});
