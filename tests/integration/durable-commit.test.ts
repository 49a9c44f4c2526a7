/**
 * A write is answered only once its COMMIT reached the database (src/platform/transactions.ts).
 * Strapi's transaction resolves even when the connection dies at COMMIT; the crash drill saw a
 * citizen told "filed" for a case that was never stored. Here the connection is cut exactly
 * there, on PostgreSQL, where that can happen (SQLite runs in the process).
 */
import { startApp, TestApp } from '../helpers/app';
import { durably } from '../../src/platform/transactions';

const usesPostgres = (process.env.TEST_DB ?? 'sqlite') === 'postgres';
let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 0 });
});
afterAll(async () => {
  await app?.stop();
});

/** The pool may hand out the connection just cut once more: a read retries, as a client would. */
async function holidays(): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await app.strapi.db.query('api::holiday.holiday' as any).count({ where: { name: { $startsWith: 'Durable ' } } });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
const insertHoliday = (name: string) => app.strapi.db.query('api::holiday.holiday' as any).createMany({ data: [{ name, date: '2031-01-01' }] });

it('answers a write that committed', async () => {
  const before = await holidays();
  await expect(durably(async () => { await insertHoliday('Durable one'); return 'done'; })).resolves.toBe('done');
  expect(await holidays()).toBe(before + 1);
});

// Only PostgreSQL has a connection to lose; SQLite commits in the process.
if (usesPostgres) it('refuses to answer a write whose connection died at COMMIT, and nothing is stored', async () => {
  const before = await holidays();
  const attempt = durably(async ({ trx }) => {
    await insertHoliday('Durable lost');
    const { rows } = await trx.raw('select pg_backend_pid() as pid');
    // Another connection ends this one between the last statement and COMMIT.
    await app.strapi.db.connection.raw('select pg_terminate_backend(?)', [rows[0].pid]);
    return 'answered';
  });
  await expect(attempt).rejects.toThrow();
  expect(await holidays()).toBe(before);
  // What Strapi's own transaction does in the same case: it answers.
  const plain = app.strapi.db.transaction(async ({ trx }: any) => {
    await insertHoliday('Durable lost too');
    const { rows } = await trx.raw('select pg_backend_pid() as pid');
    await app.strapi.db.connection.raw('select pg_terminate_backend(?)', [rows[0].pid]);
    return 'answered';
  });
  await expect(plain).resolves.toBe('answered');
  expect(await holidays()).toBe(before);
});
