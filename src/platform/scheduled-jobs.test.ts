import { scheduleOnce } from './scheduled-jobs';

/** A stand-in for the global `strapi` with a database that is down (a restart in progress). */
function strapiWithDatabaseDown() {
  const tasks: Record<string, { task: (context: unknown, fireDate?: Date) => Promise<void> }> = {};
  const errors: string[] = [];
  const refused = () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  };
  (globalThis as any).strapi = {
    cron: { add: (entries: typeof tasks) => Object.assign(tasks, entries) },
    db: { connection: refused },
    log: { error: (message: string) => errors.push(message) },
  };
  return { tasks, errors };
}

afterEach(() => {
  delete (globalThis as any).strapi;
});

it('logs a failed occurrence instead of leaving a rejection that would end the process', async () => {
  const { tasks, errors } = strapiWithDatabaseDown();
  const task = jest.fn(async () => undefined);
  scheduleOnce({ name: 'escalation-sweep', rule: '* * * * *', task });
  await expect(tasks['escalation-sweep'].task(null, new Date())).resolves.toBeUndefined();
  expect(task).not.toHaveBeenCalled();
  expect(errors).toEqual(['Scheduled job escalation-sweep failed: connect ECONNREFUSED 127.0.0.1:5432']);
});

it('logs a task that fails after its occurrence was claimed', async () => {
  const { tasks, errors } = strapiWithDatabaseDown();
  const inserted = { onConflict: () => ({ ignore: () => ({ returning: async () => [{ job: 'reports' }] }) }) };
  (globalThis as any).strapi.db.connection = () => ({ insert: () => inserted, where: () => ({ del: async () => 0 }) });
  scheduleOnce({ name: 'reports', rule: '* * * * *', task: async () => Promise.reject(new Error('Connection terminated unexpectedly')) });
  await expect(tasks.reports.task(null, new Date())).resolves.toBeUndefined();
  expect(errors).toEqual(['Scheduled job reports failed: Connection terminated unexpectedly']);
});
