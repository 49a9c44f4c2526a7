/**
 * The audit table refuses changes, and verification catches what a database owner could still
 * do behind the product's back: alter an event, or delete the newest one.
 */
import { startApp, TestApp } from '../helpers/app';
import { auditAs, sealed } from '../helpers/audit';
import { ADMIN_ROLES } from '../helpers/app';

let app: TestApp;
const isPostgres = () => (process.env.TEST_DB ?? 'sqlite') === 'postgres';
const knex = () => app.strapi.db.connection;
/** The database error message, whatever realm its class comes from. */
const failureOf = (work: Promise<unknown>) => work.then(() => null, (error: unknown) => String((error as { message?: string })?.message));

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 3 });
  await sealed(app);
});
afterAll(async () => {
  await app.stop();
});

it('refuses UPDATE and DELETE, through the query layer and in raw SQL', async () => {
  const count = await app.strapi.db.query('plugin::audit.audit-event' as any).count({});
  expect(count).toBeGreaterThan(10);
  expect(await failureOf(app.strapi.db.query('plugin::audit.audit-event' as any).update({ where: { seq: 3 }, data: { action: 'nothing happened' } }))).toMatch(/append-only/);
  expect(await failureOf(app.strapi.db.query('plugin::audit.audit-event' as any).delete({ where: { seq: 3 } }))).toMatch(/append-only/);
  expect(await failureOf(knex().raw("UPDATE audit_events SET actor_label = 'nobody' WHERE seq = 2"))).toMatch(/append-only/);
  expect(await failureOf(knex().raw('DELETE FROM audit_events'))).toMatch(/append-only/);
  if (isPostgres()) expect(await failureOf(knex().raw('TRUNCATE audit_events'))).toMatch(/append-only/);
  expect(await app.strapi.db.query('plugin::audit.audit-event' as any).count({})).toBe(count);
});

it('allows sealing and nothing else: an unsealed event keeps its content, a sealed one its place', async () => {
  const unsealed = () => knex()('audit_events').where({ entity_id: 'tamper-unsealed' }).first();
  // The background sealer waits while the event is tried unsealed (it would seal it within 2 s).
  const sealer = app.strapi.plugin('audit').service('audit').sealer;
  await sealer.stop();
  try {
    // An event as `append` writes it, before the sealer gives it its place in the chain.
    await app.strapi.db.query('plugin::audit.audit-event' as any).createMany({
      data: [{ occurredAt: new Date().toISOString(), actorType: 'system', actorLabel: 'test', action: 'test.unsealed', entityId: 'tamper-unsealed' }],
    });
    const { id } = await unsealed();
    // Its content cannot change, not even together with sealing it.
    expect(await failureOf(knex().raw("UPDATE audit_events SET action = 'test.other' WHERE id = ?", [id]))).toMatch(/append-only/);
    expect(await failureOf(knex().raw("UPDATE audit_events SET seq = 999999, prev_hash = 'p', hash = 'h', actor_label = 'someone' WHERE id = ?", [id]))).toMatch(/append-only/);
    // Half a seal is no seal.
    expect(await failureOf(knex().raw('UPDATE audit_events SET seq = 999999 WHERE id = ?', [id]))).toMatch(/append-only/);
    expect(await unsealed()).toMatchObject({ action: 'test.unsealed', actor_label: 'test', seq: null, hash: null });
  } finally {
    sealer.start();
  }
  const { id } = await unsealed();
  // The sealer gives it its place ...
  await sealed(app);
  const placed = await unsealed();
  expect(Number(placed.seq)).toBeGreaterThan(0);
  expect(placed.hash).toMatch(/^[0-9a-f]{64}$/);
  // ... once: a sealed event cannot be sealed again, unsealed, or moved.
  expect(await failureOf(knex().raw("UPDATE audit_events SET seq = 999999, prev_hash = 'p', hash = 'h' WHERE id = ?", [id]))).toMatch(/append-only/);
  expect(await failureOf(knex().raw('UPDATE audit_events SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = ?', [id]))).toMatch(/append-only/);
  expect(await unsealed()).toMatchObject({ seq: placed.seq, hash: placed.hash });
  expect((await (await auditAs(app, ADMIN_ROLES.superAdmin)).verify()).body.data.ok).toBe(true);
});

/** What an attacker with the database owner's rights does: switch the guard off, change, switch it on. */
async function behindTheGuard(sql: string) {
  if (isPostgres()) {
    await knex().raw('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await knex().raw(sql);
    await knex().raw('ALTER TABLE audit_events ENABLE TRIGGER USER');
  } else {
    await knex().raw('DROP TRIGGER audit_events_no_update');
    await knex().raw('DROP TRIGGER audit_events_no_delete');
    await knex().raw(sql);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require('../../database/migrations/2026.11.21T01.00.00.audit-append-only.js').up(knex());
  }
}

it('catches a deleted newest event when compared with a head stored elsewhere', async () => {
  const api = await auditAs(app, ADMIN_ROLES.superAdmin);
  const stored = (await api.head()).body.data;
  await behindTheGuard(`DELETE FROM audit_events WHERE seq = ${stored.seq}`);
  // The shortened chain is consistent in itself ...
  const alone = (await api.verify()).body.data;
  expect(alone.ok).toBe(true);
  // ... but not with the head the operator kept.
  const anchored = (await api.verify({ seq: stored.seq, head: stored.hash })).body.data;
  expect(anchored).toMatchObject({ ok: false, brokenAt: { seq: stored.seq, reason: 'removed' } });
});

it('names the first altered event', async () => {
  await behindTheGuard("UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 5");
  const api = await auditAs(app, ADMIN_ROLES.viewer);
  const result = (await api.verify()).body.data;
  expect(result).toMatchObject({ ok: false, checked: 4, brokenAt: { seq: 5, reason: 'altered' } });
  expect(result.head.seq).toBe(4);
});
