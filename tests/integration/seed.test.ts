/** The demo seed: idempotent, realistic, and safe in production. */
import { GRIEVANCE_STATUSES } from '../../src/domain/vocabulary';
import { assertSeedAllowed, seedDemo } from '../../scripts/seed/seed';
import { DEMO_PASSWORD, startApp, TestApp } from '../helpers/app';

let app: TestApp;
const PER_PROJECT = 120;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: PER_PROJECT });
});
afterAll(async () => {
  await app.stop();
});

const counts = async () => {
  const q = (uid: string) => app.strapi.db.query(uid as any).count({});
  return {
    projects: await q('api::project.project'),
    regions: await q('api::region.region'),
    categories: await q('api::category.category'),
    templates: await q('api::notification-template.notification-template'),
    holidays: await q('api::holiday.holiday'),
    staff: await q('admin::user'),
    profiles: await q('api::staff-profile.staff-profile'),
    grievances: await q('api::grievance.grievance'),
    events: await q('api::grievance-event.grievance-event'),
    roles: await q('admin::role'),
    permissions: await q('admin::permission'),
  };
};

it('creates nothing new when run a second time', async () => {
  const before = await counts();
  expect(before.grievances).toBe(2 * PER_PROJECT);
  const summary = await seedDemo(app.strapi, { grievancesPerProject: PER_PROJECT, password: DEMO_PASSWORD });
  expect(summary.grievancesCreated).toBe(0);
  expect(await counts()).toEqual(before);
});

it('builds two projects in three locales, with a four-level region tree and the infrastructure ladder', async () => {
  const projects = await app.strapi.db.query('api::project.project' as any).findMany({ where: { locale: 'en' } });
  expect(projects.map((p: any) => p.code).sort()).toEqual(['DIST', 'HWAY']);
  const locales = await app.strapi.db.query('api::project.project' as any).findMany({ where: { code: 'DIST' } });
  expect(locales.map((p: any) => p.locale).sort()).toEqual(['en', 'fr', 'hi']);
  const levels = await app.strapi.db.query('api::region.region' as any).findMany({ where: { project: { code: 'DIST' }, locale: 'en' } });
  expect(new Set(levels.map((r: any) => r.level))).toEqual(new Set([1, 2, 3, 4]));
  const ladder = await app.strapi.db.query('api::sla-level.sla-level' as any).findMany({
    where: { project: { code: 'HWAY' }, locale: 'en' },
    orderBy: { order: 'asc' },
  });
  expect(ladder.map((l: any) => [l.order, l.resolveWithinHours])).toEqual([[1, 48], [2, 168], [3, 360], [4, null]]);
  const sensitive = await app.strapi.db.query('api::category.category' as any).count({ where: { sensitive: true, locale: 'en' } });
  expect(sensitive).toBeGreaterThanOrEqual(2);
});

it('has templates for every notification event in en, fr and hi', async () => {
  const { NOTIFICATION_EVENTS } = await import('../../src/domain/vocabulary');
  for (const locale of ['en', 'fr', 'hi']) {
    const rows = await app.strapi.db.query('api::notification-template.notification-template' as any).findMany({ where: { locale } });
    expect(new Set(rows.map((r: any) => r.event))).toEqual(new Set(NOTIFICATION_EVENTS));
    expect(rows.every((r: any) => r.body && r.body.includes('{{'))).toBe(true);
  }
  const hindi = await app.strapi.db.query('api::notification-template.notification-template' as any).findOne({ where: { locale: 'hi', event: 'received' } });
  expect(hindi.body).toMatch(/[\u0900-\u097F]/);
});

it('spreads grievances in every status over the last twelve months, each with a history', async () => {
  const rows = await app.strapi.db.query('api::grievance.grievance' as any).findMany({ populate: { events: true } });
  expect(new Set(rows.map((g: any) => g.caseStatus))).toEqual(new Set(GRIEVANCE_STATUSES));
  const now = Date.now();
  const ages = rows.map((g: any) => (now - Date.parse(g.submittedAt)) / 86_400_000);
  expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...ages)).toBeLessThanOrEqual(366);
  expect(Math.max(...ages)).toBeGreaterThan(300);
  for (const g of rows) {
    const types = g.events.map((e: any) => e.type);
    expect(types).toContain('received');
    const transitions = g.events.filter((e: any) => e.type !== 'note' && e.type !== 'received');
    expect(transitions.length).toBe(g.version);
    const last = transitions.sort((a: any, b: any) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt)).at(-1);
    expect(last?.toStatus ?? 'submitted').toBe(g.caseStatus);
    // The tracking code carries the (project-local) submission date.
    expect(g.trackingCode.slice(5, 13)).toMatch(/^\d{8}$/);
  }
});

it('every demo account can log in with the demo password', async () => {
  const emails = ['admin@demo.local', 'project.admin@demo.local', 'head.water@demo.local', 'officer.water@demo.local', 'officer.roads@demo.local', 'intake@demo.local', 'viewer@demo.local'];
  for (const email of emails) {
    await expect(app.tokenFor(email)).resolves.toEqual(expect.any(String));
  }
});

it('refuses default-password accounts in production', () => {
  expect(() => assertSeedAllowed({ NODE_ENV: 'production' })).toThrow(/production/);
  expect(() => assertSeedAllowed({ NODE_ENV: 'production', DEMO_PASSWORD: 'Demo-Password-1' })).toThrow(/production/);
  expect(assertSeedAllowed({ NODE_ENV: 'production', DEMO_PASSWORD: 'A-long-Secret-42' })).toBe('A-long-Secret-42');
  expect(assertSeedAllowed({ NODE_ENV: 'development' })).toBe('Demo-Password-1');
});
