/** Reading the audit trail in tests: straight from the table, and through the staff API. */
import type { TestApp } from './app';

/**
 * Waits until every event committed so far is sealed into the chain (it is sealed just after its
 * COMMIT, off the request's path), so a test reads the table as any reader of the chain does.
 */
export const sealed = async (app: TestApp): Promise<void> => {
  await app.strapi.plugin('audit').service('audit').seal();
};

export const auditEvents = async (app: TestApp, where: Record<string, unknown> = {}) => {
  await sealed(app);
  return app.strapi.db.query('plugin::audit.audit-event' as any).findMany({ where, orderBy: { seq: 'asc' } });
};

export const lastSeq = async (app: TestApp) => {
  await sealed(app);
  const last = await app.strapi.db.query('plugin::audit.audit-event' as any).findOne({ where: { seq: { $notNull: true } }, orderBy: { seq: 'desc' } });
  return last ? Number(last.seq) : 0;
};

/** Events appended after `seq`. */
export const eventsAfter = (app: TestApp, seq: number) => auditEvents(app, { seq: { $gt: seq } });

export async function auditAs(app: TestApp, email: string) {
  const token = await app.tokenFor(email);
  const auth = (req: any) => req.set('Authorization', `Bearer ${token}`);
  return {
    events: (query: Record<string, string | number> = {}) => auth(app.http().get('/audit/events').query(query)),
    exportEvents: (query: Record<string, string | number> = {}) => auth(app.http().get('/audit/events/export').query(query)),
    verify: (query: Record<string, string | number> = {}) => auth(app.http().get('/audit/verify').query(query)),
    head: () => auth(app.http().get('/audit/head')),
  };
}
