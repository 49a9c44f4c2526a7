/**
 * API and transfer tokens that can write (docs/security.md, step-up): creating a full-access or
 * custom API token, raising a token to one, regenerating a token's key, any admin token and any
 * transfer token need a fresh step-up (purpose `api_tokens`), whatever spelling of the route is
 * used. A read-only API token does not. Nothing is created or changed by a refused request.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { stepUp } from '../helpers/step-up';

let app: TestApp;
let token: string;
const tokenCount = () => app.strapi.db.query('admin::api-token' as any).count({});
const transferCount = () => app.strapi.db.query('admin::transfer-token' as any).count({});

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 0 });
  token = await app.tokenFor(ADMIN_ROLES.superAdmin);
}, 180_000);
afterAll(async () => {
  await app?.stop();
});

const as = (method: 'post' | 'put', path: string, body: object) => app.http()[method](path).set('Authorization', `Bearer ${token}`).send(body);
const apiToken = (type: string, extra: object = {}) => ({ name: `token-${type}-${Math.random().toString(36).slice(2)}`, description: 'City app', type, lifespan: null, ...extra });
const transferToken = () => ({ name: `transfer-${Math.random().toString(36).slice(2)}`, description: 'Backup', permissions: ['push', 'pull'], lifespan: null });
const expectStepUp = (res: any) => expect([res.status, res.body?.error?.details?.code, res.body?.error?.details?.purpose]).toEqual([403, 'STEP_UP_REQUIRED', 'api_tokens']);

describe('without a step-up', () => {
  it('creates a read-only API token', async () => {
    const res = await as('post', '/admin/api-tokens', apiToken('read-only'));
    expect(res.status).toBe(201);
  });

  it('refuses to create a full-access or custom API token, however the route is spelled', async () => {
    const before = await tokenCount();
    for (const path of ['/admin/api-tokens', '/admin/api-tokens/', '/admin/API-Tokens', '/ADMIN/api-tokens']) {
      expectStepUp(await as('post', path, apiToken('full-access')));
      expectStepUp(await as('post', path, apiToken('custom', { permissions: ['plugin::open311.georeport.createRequest'] })));
    }
    expect(await tokenCount()).toBe(before);
  });

  it('refuses to raise a read-only token to full-access or custom, and to regenerate a key', async () => {
    const created = await as('post', '/admin/api-tokens', apiToken('read-only'));
    const id = created.body.data.id;
    expectStepUp(await as('put', `/admin/api-tokens/${id}`, { type: 'full-access' }));
    expectStepUp(await as('put', `/admin/api-tokens/${id}/`, { name: 'renamed', type: 'custom', permissions: ['plugin::open311.georeport.createRequest'] }));
    expectStepUp(await as('post', `/admin/api-tokens/${id}/regenerate`, {}));
    const row = await app.strapi.db.query('admin::api-token' as any).findOne({ where: { id } });
    expect(row.type).toBe('read-only');
    // Renaming a read-only token is not a rise in power.
    expect((await as('put', `/admin/api-tokens/${id}`, { name: 'renamed read-only' })).status).toBe(200);
  });

  it('refuses to create, change or regenerate a transfer token', async () => {
    const before = await transferCount();
    expectStepUp(await as('post', '/admin/transfer/tokens', transferToken()));
    expectStepUp(await as('post', '/admin/Transfer/Tokens/', transferToken()));
    expect(await transferCount()).toBe(before);
  });

  it('refuses to create an admin token', async () => {
    expectStepUp(await as('post', '/admin/admin-tokens', { name: `admin-${Math.random()}`, description: '', lifespan: null }));
  });
});

describe('after a step-up', () => {
  beforeAll(async () => {
    await stepUp(app, ADMIN_ROLES.superAdmin);
  }, 120_000);

  it('creates, raises and regenerates API tokens and creates transfer tokens', async () => {
    const full = await as('post', '/admin/api-tokens', apiToken('full-access'));
    expect(full.status).toBe(201);
    const readOnly = await as('post', '/admin/api-tokens', apiToken('read-only'));
    expect((await as('put', `/admin/api-tokens/${readOnly.body.data.id}`, { type: 'full-access' })).status).toBe(200);
    expect((await as('post', `/admin/api-tokens/${full.body.data.id}/regenerate`, {})).status).toBe(201);
    const transfer = await as('post', '/admin/transfer/tokens', transferToken());
    expect(transfer.status).toBe(201);
    expect((await as('post', `/admin/transfer/tokens/${transfer.body.data.id}/regenerate`, {})).status).toBe(201);
  });
});
