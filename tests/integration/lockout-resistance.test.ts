/**
 * Limits that stop guessing without handing an attacker a lock-out (docs/security.md, "Signing
 * in" and "Citizen actions"): failures from other addresses never close an account or a case
 * to its owner; the attacker's own address is stopped, and addresses that keep failing are
 * paced; malformed attempts and 429s (Strapi's own included) are no guess and do not count.
 */
import { randomBytes } from 'node:crypto';
import { ADMIN_ROLES, DEMO_PASSWORD, startApp, TestApp } from '../helpers/app';
import { resolvedCitizenCase } from '../helpers/workflow';

const LIMITS = {
  TRUSTED_PROXY_HOPS: '1',
  SIGN_IN_FAILURES_PER_CLIENT: '6',
  SIGN_IN_FAILURES_PER_ACCOUNT: '3',
  SIGN_IN_SLOWDOWN_AFTER: '8',
  SIGN_IN_MAX_PAUSE_SECONDS: '600',
  RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE: '1000',
  RATE_LIMIT_ATTEMPTS_PER_CASE_PER_HOUR: '4',
  RATE_LIMIT_CASE_SLOWDOWN_AFTER: '6',
  RATE_LIMIT_CASE_MAX_PAUSE_SECONDS: '600',
};
const saved: Record<string, string | undefined> = {};
let app: TestApp;
let address = 0;
/** A client address of its own (the app trusts one proxy hop in this suite). */
const fresh = () => `198.51.100.${++address}`;

const login = (email: string, password: string | undefined, from: string) =>
  app.http().post('/admin/login').set('X-Forwarded-For', from).send(password === undefined ? { email } : { email, password });
const act = (code: string, action: string, data: object, from: string) =>
  app.http().post(`/api/grievances/track/${code}/${action}`).set('X-Forwarded-For', from).send({ data });
const receipt = (code: string, secret: string, from: string) =>
  app.http().post(`/api/grievances/track/${code}/receipt`).send({ data: { caseSecret: secret } }).set('X-Forwarded-For', from);
/** A secret of the shape the platform issues, which is not this case's. */
const wellFormedGuess = () => randomBytes(18).toString('base64url');

beforeAll(async () => {
  for (const [key, value] of Object.entries(LIMITS)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  app = await startApp({ grievancesPerProject: 0 });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('signing in', () => {
  it('lets the owner in from their address while many addresses fail on the account, and paces those addresses', async () => {
    const attackers = Array.from({ length: 12 }, fresh);
    for (const from of attackers) expect((await login(ADMIN_ROLES.intake, 'wrong-password', from)).status).toBe(400);
    expect((await login(ADMIN_ROLES.intake, DEMO_PASSWORD, fresh())).status).toBe(200);
    // Every address that failed lately now waits between its guesses, the first one included.
    for (const from of [attackers[11], attackers[0]]) {
      const paced = await login(ADMIN_ROLES.intake, 'wrong-password', from);
      expect([paced.status, paced.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(paced.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('stops the address that fails on an account, not the owner at another address', async () => {
    const attacker = fresh();
    for (let i = 0; i < 3; i += 1) expect((await login(ADMIN_ROLES.viewer, 'wrong-password', attacker)).status).toBe(400);
    const blocked = await login(ADMIN_ROLES.viewer, DEMO_PASSWORD, attacker);
    expect([blocked.status, blocked.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
    expect(blocked.body.error.message).toMatch(/failed sign-in/);
    expect((await login(ADMIN_ROLES.viewer, DEMO_PASSWORD, fresh())).status).toBe(200);
    // The same account in other spellings is the same account.
    expect((await login(` ${ADMIN_ROLES.viewer.toUpperCase()}`, 'wrong-password', attacker)).status).toBe(429);
  });

  it("forgives an address's failures on an account once its owner signs in from there", async () => {
    const office = fresh();
    for (let i = 0; i < 2; i += 1) expect((await login(ADMIN_ROLES.officerRoads, 'wrong-password', office)).status).toBe(400);
    expect((await login(ADMIN_ROLES.officerRoads, DEMO_PASSWORD, office)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await login(ADMIN_ROLES.officerRoads, 'wrong-password', office)).status).toBe(400);
  });

  it('does not count malformed attempts (no password, not an e-mail)', async () => {
    const from = fresh();
    const junk = [
      ...Array.from({ length: 3 }, () => login(ADMIN_ROLES.superAdmin, undefined, from)),
      ...Array.from({ length: 3 }, (_, i) => login(`not-an-e-mail-${i}`, 'wrong-password', from)),
      ...Array.from({ length: 3 }, (_, i) => login(`nobody${i}@demo.local`, undefined, from)),
    ];
    for (const request of junk) expect((await request).status).toBe(400);
    expect((await login(ADMIN_ROLES.superAdmin, DEMO_PASSWORD, from)).status).toBe(200);
  });

  it("does not count Strapi's own 429s against a shared address", async () => {
    // Staff behind one office address sign in often: Strapi allows five requests per e-mail and
    // address every five minutes and answers 429 to the rest; those are no guesses.
    const office = fresh();
    for (const email of [ADMIN_ROLES.headPiu, ADMIN_ROLES.headWater, ADMIN_ROLES.projectAdmin]) {
      for (let i = 0; i < 5; i += 1) expect((await login(email, DEMO_PASSWORD, office)).status).toBe(200);
      for (let i = 0; i < 2; i += 1) expect((await login(email, DEMO_PASSWORD, office)).status).toBe(429);
    }
    expect((await login(ADMIN_ROLES.officerWater, DEMO_PASSWORD, office)).status).toBe(200);
  });
});

describe('citizen actions with the case secret', () => {


  it('does not count junk that cannot be a case secret', async () => {
    const { trackingCode, caseSecret } = await resolvedCitizenCase(app);
    const from = fresh();
    for (let i = 0; i < 10; i += 1) {
      const junk = i % 2 ? `guess-number-${i}` : 'x'.repeat(30 + i);
      const res = i % 3 === 0 ? await receipt(trackingCode, junk, from) : await act(trackingCode, 'accept', { caseSecret: junk }, from);
      expect([res.status, res.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
    }
    const accepted = await act(trackingCode, 'accept', { caseSecret }, from);
    expect([accepted.status, accepted.body.data?.status]).toEqual([200, 'closed']);
  });

  it('lets the citizen act from their address while many addresses send wrong secrets, and paces those addresses', async () => {
    const { trackingCode, caseSecret } = await resolvedCitizenCase(app);
    const attackers = Array.from({ length: 10 }, fresh);
    for (const [i, from] of attackers.entries()) {
      const res = i % 2 ? await act(trackingCode, 'accept', { caseSecret: wellFormedGuess() }, from) : await receipt(trackingCode, wellFormedGuess(), from);
      expect(res.status).toBe(403);
    }
    // The citizen, from a new address, gets the receipt, rates the answer and appeals.
    const citizen = fresh();
    expect((await receipt(trackingCode, caseSecret, citizen)).status).toBe(200);
    expect((await act(trackingCode, 'feedback', { caseSecret, rating: 2 }, citizen)).status).toBe(200);
    const appealed = await act(trackingCode, 'appeal', { caseSecret, reason: 'Still leaking.' }, citizen);
    expect([appealed.status, appealed.body.data?.status]).toEqual([200, 'escalated']);
    for (const from of [attackers[9], attackers[0]]) {
      const paced = await act(trackingCode, 'appeal', { caseSecret: wellFormedGuess(), reason: 'x' }, from);
      expect([paced.status, paced.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(paced.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('stops the address that sends wrong secrets for a case, not the citizen at another address', async () => {
    const { trackingCode, caseSecret } = await resolvedCitizenCase(app);
    const attacker = fresh();
    for (let i = 0; i < 4; i += 1) expect((await act(trackingCode, 'accept', { caseSecret: wellFormedGuess() }, attacker)).status).toBe(403);
    for (const res of [await act(trackingCode, 'accept', { caseSecret: wellFormedGuess() }, attacker), await receipt(trackingCode, wellFormedGuess(), attacker)]) {
      expect(res.status).toBe(429);
    }
    const accepted = await act(trackingCode, 'accept', { caseSecret }, fresh());
    expect([accepted.status, accepted.body.data?.status]).toEqual([200, 'closed']);
  });
});
