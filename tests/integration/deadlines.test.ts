/**
 * Deadlines on every case: set at intake from level 1 with the project's working calendar and
 * per-priority overrides, and restarted at the new level on escalation.
 */
import { AsyncResource } from 'node:async_hooks';
import { dueAt, Calendar } from '../../plugins/escalation/server/src/domain/clock';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';
import { caseRow, fileCase, workflowAs } from '../helpers/workflow';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 3 });
});
afterAll(async () => {
  await app.stop();
});

async function calendarOf(projectCode: string, mode: Calendar['mode']): Promise<Calendar> {
  const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: projectCode, locale: 'en' } });
  const holidays = await app.strapi.db.query('api::holiday.holiday' as any).findMany({ where: { project: { code: projectCode } } });
  return {
    timeZone: project.timezone,
    mode,
    workingDays: project.workingDays ?? [1, 2, 3, 4, 5],
    workingHours: project.workingHours ?? null,
    holidays: new Set(holidays.map((h: { date: string }) => String(h.date).slice(0, 10))),
  };
}

it('a new case gets level 1 deadlines in business time on the project calendar', async () => {
  const documentId = await fileCase(app, 'DIST-ROAD-DAMAGE');
  const row = await caseRow(app, documentId);
  const calendar = await calendarOf('DIST', 'business');
  const submitted = new Date(row.submittedAt);
  expect(new Date(row.acknowledgeDueAt)).toEqual(dueAt(submitted, 48, calendar));
  expect(new Date(row.resolveDueAt)).toEqual(dueAt(submitted, 168, calendar));
  expect(row.slaState).toBe('on_track');
});

it('a calendar-time level counts hours around the clock', async () => {
  const documentId = await fileCase(app, 'HWAY-DUST-NOISE');
  const row = await caseRow(app, documentId);
  expect(Date.parse(row.acknowledgeDueAt) - Date.parse(row.submittedAt)).toBe(24 * 3_600_000);
  expect(Date.parse(row.resolveDueAt) - Date.parse(row.submittedAt)).toBe(48 * 3_600_000);
});

it('a per-priority override shortens the deadline of urgent cases', async () => {
  const level = await app.strapi.db.query('api::sla-level.sla-level' as any).findOne({ where: { project: { code: 'HWAY' }, order: 1 } });
  await app.strapi.documents('api::sla-level.sla-level' as any).update({
    documentId: level.documentId,
    locale: 'en',
    data: { priorityOverrides: { urgent: { acknowledgeWithinHours: 4, resolveWithinHours: 12 } } },
  } as any);
  const documentId = await fileCase(app, 'HWAY-GBV-SEA'); // urgent by category default
  const row = await caseRow(app, documentId);
  expect(Date.parse(row.acknowledgeDueAt) - Date.parse(row.submittedAt)).toBe(4 * 3_600_000);
  expect(Date.parse(row.resolveDueAt) - Date.parse(row.submittedAt)).toBe(12 * 3_600_000);
});

it('escalation restarts the clocks with the new level, up to a level with no limit', async () => {
  const documentId = await fileCase(app, 'HWAY-ACCESS');
  const head = await workflowAs(app, 'head.piu@demo.local');
  expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(200);
  let version = 1;
  const resolveHours: Array<number | null> = [];
  for (const level of [2, 3, 4]) {
    const res = await head.act(documentId, { action: 'escalate', version });
    expect(res.status).toBe(200);
    version += 1;
    const row = await caseRow(app, documentId);
    expect(row.escalationLevel).toBe(level);
    const last = row.events.find((e: any) => e.action === 'escalate' && e.data?.escalationLevel === level);
    resolveHours.push(row.resolveDueAt ? Math.round((Date.parse(row.resolveDueAt) - Date.parse(last.occurredAt)) / 3_600_000) : null);
  }
  // PIU 7 days and GRC 15 days in business time (at least that many hours), then the courts: no limit.
  expect(resolveHours[0]).toBeGreaterThanOrEqual(168);
  expect(resolveHours[1]).toBeGreaterThanOrEqual(360);
  expect(resolveHours[2]).toBeNull();
});

it("refuses a project calendar that makes no sense", async () => {
  const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
  const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
  const res = await cm.update('api::project.project', project.documentId, { workingDays: [0, 9], workingHours: { start: '18:00', end: '09:00' } });
  expect(res.status).toBe(400);
  expect(res.body.error.details.code).toBe('VALIDATION');
  expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path[0]).sort()).toEqual(['workingDays', 'workingHours']);
});

describe('SLA levels read from the reference cache', () => {
  const usesPostgres = (process.env.TEST_DB ?? 'sqlite') === 'postgres';
  const deadlines = () => app.strapi.plugin('escalation').service('deadlines');
  const levelRow = () =>
    app.strapi.db.query('api::sla-level.sla-level' as any).findOne({ where: { project: { code: 'DIST' }, order: 1, locale: 'en' }, populate: { project: true } });

  it('an edit seen inside its own transaction is not shared before it commits, and gone when it rolls back', async () => {
    const level = await levelRow();
    const projectDocumentId = level.project.documentId;
    const original = level.acknowledgeWithinHours;
    expect((await deadlines().level(projectDocumentId, 1)).acknowledgeWithinHours).toBe(original);
    // A reader in another request: bound to this context, outside the transaction below.
    const readElsewhere = AsyncResource.bind(() => deadlines().level(projectDocumentId, 1));
    const rolledBack = app.strapi.db.transaction(async () => {
      await app.strapi.db.query('api::sla-level.sla-level' as any).update({ where: { id: level.id }, data: { acknowledgeWithinHours: original + 5 } });
      // The writer sees its own change...
      expect((await deadlines().level(projectDocumentId, 1)).acknowledgeWithinHours).toBe(original + 5);
      // ...another request does not (PostgreSQL: SQLite's one connection is this transaction's until it ends).
      if (usesPostgres) expect((await readElsewhere()).acknowledgeWithinHours).toBe(original);
      throw new Error('the save failed');
    });
    await expect(rolledBack).rejects.toThrow('the save failed');
    expect((await deadlines().level(projectDocumentId, 1)).acknowledgeWithinHours).toBe(original);
  });

  it('an edit that commits is used by the next case at once', async () => {
    const level = await levelRow();
    const original = level.acknowledgeWithinHours;
    const hoursOf = async (documentId: string) => {
      const row = await caseRow(app, documentId);
      return (Date.parse(row.acknowledgeDueAt) - Date.parse(row.submittedAt)) / 3_600_000;
    };
    const before = await hoursOf(await fileCase(app, 'DIST-WATER-SUPPLY', 'Before the edit'));
    const admin = await cmAs(app, ADMIN_ROLES.superAdmin);
    try {
      expect((await admin.update('api::sla-level.sla-level', level.documentId, { acknowledgeWithinHours: 1 })).status).toBe(200);
      const after = await hoursOf(await fileCase(app, 'DIST-WATER-SUPPLY', 'After the edit'));
      // One business hour instead of 48: earlier, whatever weekend or holiday follows.
      expect(after).toBeLessThan(before);
    } finally {
      await app.strapi.db.query('api::sla-level.sla-level' as any).update({ where: { id: level.id }, data: { acknowledgeWithinHours: original } });
    }
  });
});
