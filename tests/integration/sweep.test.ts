/**
 * The SLA sweep with time injected: at risk, reminders, breach and escalation up the ladder to
 * the right region and focal person, the top level, a level without a limit, auto-close,
 * idempotence, and several sweepers at once moving each case exactly once.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { auditEvents, lastSeq } from '../helpers/audit';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

let app: TestApp;
const HOUR = 3_600_000;
const sweep = (now?: Date) => app.strapi.plugin('escalation').service('sweep').sweep({ now });
const grievances = () => app.strapi.db.query('api::grievance.grievance' as any);

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 2 });
  // Seeded history is not what these tests are about: close the books on it.
  await grievances().updateMany({ where: {}, data: { caseStatus: 'closed' } });
  // Calendar time makes "80 % used" mean the same on any day of the week; business time is
  // covered by the clock's unit tests and deadlines.test.ts.
  await app.strapi.db.query('api::sla-level.sla-level' as any).updateMany({ where: {}, data: { calendar: 'calendar' } });
});
afterAll(async () => {
  await app.stop();
});

/** A Water case acknowledged and assigned, with its resolve clock started `hoursAgo` and due in `dueInHours`. */
async function runningCase(hoursAgo: number, dueInHours: number) {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  await head.act(documentId, { action: 'acknowledge', version: 0 });
  await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
  const now = Date.now();
  await grievances().update({
    where: { documentId },
    data: { slaStartedAt: new Date(now - hoursAgo * HOUR), resolveDueAt: new Date(now + dueInHours * HOUR), acknowledgeDueAt: null, slaCheckAt: new Date(now) },
  });
  return documentId;
}

const reminders = (documentId: string) =>
  app.strapi.db.query('plugin::escalation.sla-reminder' as any).findMany({ where: { grievance: { documentId } }, orderBy: { id: 'asc' } });
const regionId = async (code: string) => (await app.strapi.db.query('api::region.region' as any).findOne({ where: { code, locale: 'en' } })).id;
const regionOf = async (documentId: string) =>
  (await grievances().findOne({ where: { documentId }, populate: { region: { select: ['code'] } } })).region?.code ?? null;

it('marks a case at risk once 75 % of its time is used, and records the change once', async () => {
  const documentId = await runningCase(80, 20); // 80 % used
  const first = await sweep();
  expect(first).toMatchObject({ ran: true, stateChanges: 1, escalated: 0 });
  expect((await caseRow(app, documentId)).slaState).toBe('at_risk');
  await grievances().update({ where: { documentId }, data: { slaCheckAt: new Date() } });
  const again = await sweep();
  expect(again).toMatchObject({ checked: 1, stateChanges: 0, reminders: 0 });
  const changes = (await caseRow(app, documentId)).events.filter((e: any) => e.type === 'sla_change');
  expect(changes.map((e: any) => e.data)).toEqual([{ from: 'on_track', to: 'at_risk', level: 1 }]);
});

it('queues one reminder per case, level, clock and kind, however often the sweep runs', async () => {
  const documentId = await runningCase(80, 20);
  expect((await sweep()).reminders).toBe(1);
  for (let i = 0; i < 3; i += 1) {
    await grievances().update({ where: { documentId }, data: { slaCheckAt: new Date() } });
    expect((await sweep()).reminders).toBe(0);
  }
  expect((await reminders(documentId)).map((r: any) => [r.level, r.clock, r.kind])).toEqual([[1, 'resolve', 'at_risk']]);
});

it('looks only at cases whose check time has come, and schedules the next check', async () => {
  const documentId = await runningCase(10, 90); // 10 % used: next look at 75 %
  const first = await sweep();
  expect(first.checked).toBe(1);
  const row = await grievances().findOne({ where: { documentId } });
  const started = Date.parse(row.slaStartedAt);
  const due = Date.parse(row.resolveDueAt);
  expect(Date.parse(row.slaCheckAt)).toBe(started + Math.round(0.75 * (due - started)));
  expect((await sweep()).checked).toBe(0);
  // At the check time the case turns at risk, without anyone touching it.
  await sweep(new Date(Date.parse(row.slaCheckAt)));
  expect((await caseRow(app, documentId)).slaState).toBe('at_risk');
  expect(await reminders(documentId)).toHaveLength(1);
});

it('escalates a breached case one level, with fresh deadlines, and only once', async () => {
  const documentId = await runningCase(200, -2); // two hours late
  const result = await sweep();
  expect(result.escalated).toBe(1);
  const row = await caseRow(app, documentId);
  expect(row).toMatchObject({ caseStatus: 'escalated', escalationLevel: 2, slaState: 'on_track' });
  expect(Date.parse(row.resolveDueAt)).toBeGreaterThan(Date.now());
  const escalation = row.events.find((e: any) => e.action === 'escalate');
  expect(escalation).toMatchObject({ actorType: 'system', actorLabel: 'SLA sweep' });
  expect((await sweep()).escalated).toBe(0);
});

it('walks a case up to the top level, where it stays breached', async () => {
  const documentId = await runningCase(200, -1);
  for (const level of [2, 3]) {
    await sweep();
    expect((await caseRow(app, documentId)).escalationLevel).toBe(level);
    await grievances().update({ where: { documentId }, data: { resolveDueAt: new Date(Date.now() - HOUR), acknowledgeDueAt: null, slaCheckAt: new Date() } });
  }
  const atTop = await sweep();
  expect(atTop.escalated).toBe(0);
  const row = await caseRow(app, documentId);
  expect(row).toMatchObject({ escalationLevel: 3, slaState: 'breached' });
  expect(row.breachedAt).not.toBeNull();
  // Breach notice queued once at the top level; the case is looked at again a day later, not every minute.
  expect((await reminders(documentId)).filter((r: any) => r.kind === 'breached').map((r: any) => r.level)).toEqual([3]);
  expect(Date.parse(row.slaCheckAt) - Date.now()).toBeGreaterThan(23 * HOUR);
  expect((await sweep()).checked).toBe(0);
});

it("moves an escalated case to the level's region and focal person", async () => {
  const documentId = await runningCase(200, -2);
  await grievances().update({ where: { documentId }, data: { region: await regionId('DIST-B1-V1') } });
  await sweep();
  // Level 2 (head of department) owns cases at district depth, and the water head is its focal person.
  expect(await regionOf(documentId)).toBe('DIST-D1');
  const row = await caseRow(app, documentId);
  expect(row.assignee?.email).toBe(ADMIN_ROLES.headWater);
  const route = row.events.find((e: any) => e.action === 'route');
  expect(route).toMatchObject({ actorType: 'system', data: { level: 2, assignee: row.assignee.id, notify: [] } });
});

it('records the SLA-state change and the routing of an escalation in the audit chain, which still verifies', async () => {
  const documentId = await runningCase(80, 20); // at risk first
  const trackingCode = (await caseRow(app, documentId)).trackingCode;
  await grievances().update({ where: { documentId }, data: { region: await regionId('DIST-B1-V1') } });
  const since = await lastSeq(app);
  await sweep();
  // Then late: escalated to level 2 and routed.
  await grievances().update({ where: { documentId }, data: { resolveDueAt: new Date(Date.now() - HOUR), slaCheckAt: new Date() } });
  await sweep();
  const row = await caseRow(app, documentId);
  const mine = (await auditEvents(app, { seq: { $gt: since }, entityId: documentId })).map((e: any) => ({ action: e.action, actor: e.actorLabel, diff: e.diff }));
  expect(mine).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'case.sla_state', actor: 'SLA sweep', diff: expect.objectContaining({ trackingCode, slaState: { from: 'on_track', to: 'at_risk' }, level: 1 }) }),
      expect.objectContaining({ action: 'workflow.escalate' }),
      expect.objectContaining({ action: 'case.routed', actor: 'SLA routing', diff: expect.objectContaining({ cause: 'escalate', level: 2, assignee: row.assignee.id }) }),
    ])
  );
  // Every routing and SLA-state history row of the case has its chain entry.
  const history = row.events.filter((e: any) => e.action === 'route' || e.action === 'sla_state').length;
  expect(mine.filter((e: any) => e.action === 'case.routed' || e.action === 'case.sla_state')).toHaveLength(history);
  const verified = await app.strapi.plugin('audit').service('audit').verify();
  expect(verified.ok).toBe(true);
});

it('leaves an escalated case unassigned, and tells the department head, when the level has no focal person', async () => {
  const profiles = app.strapi.db.query('api::staff-profile.staff-profile' as any);
  const head = await profiles.findOne({ where: { email: ADMIN_ROLES.headWater }, populate: { slaLevels: true } });
  await profiles.update({ where: { id: head.id }, data: { slaLevels: [] } });
  try {
    const documentId = await runningCase(200, -2);
    await sweep();
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'escalated', escalationLevel: 2, assignee: null });
    expect(row.events.find((e: any) => e.action === 'route').data).toMatchObject({ assignee: null, notify: [await userId(app, ADMIN_ROLES.headWater)] });
  } finally {
    await profiles.update({ where: { id: head.id }, data: { slaLevels: head.slaLevels.map((l: any) => l.id) } });
  }
});

it('stops at a level without a limit (a court) and marks the case so', async () => {
  const category = 'HWAY-DUST-NOISE';
  const documentId = await fileCase(app, category);
  const piu = await workflowAs(app, ADMIN_ROLES.headPiu);
  await piu.act(documentId, { action: 'acknowledge', version: 0 });
  let version = 1;
  for (let level = 2; level <= 4; level += 1) {
    await grievances().update({ where: { documentId }, data: { resolveDueAt: new Date(Date.now() - HOUR), acknowledgeDueAt: null, slaCheckAt: new Date() } });
    expect((await sweep()).escalated).toBe(1);
    version += 1;
  }
  const row = await caseRow(app, documentId);
  expect(row).toMatchObject({ escalationLevel: 4, slaState: 'no_limit', resolveDueAt: null, acknowledgeDueAt: null, slaCheckAt: null, version });
  // Years later it is still with the court: no clock, no reminders, no further step.
  await sweep(new Date(Date.now() + 1000 * 24 * HOUR));
  const later = await caseRow(app, documentId);
  expect(later).toMatchObject({ escalationLevel: 4, slaState: 'no_limit', version });
  expect(later.events).toHaveLength(row.events.length);
  expect((await reminders(documentId)).filter((r: any) => r.level === 4)).toHaveLength(0);
});

it('leaves cases alone when the project has auto-escalation off', async () => {
  const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
  await app.strapi.documents('api::project.project' as any).update({ documentId: project.documentId, locale: 'en', data: { autoEscalation: false } } as any);
  const documentId = await runningCase(200, -1);
  await sweep();
  expect(await caseRow(app, documentId)).toMatchObject({ escalationLevel: 1, slaState: 'breached' });
  await app.strapi.documents('api::project.project' as any).update({ documentId: project.documentId, locale: 'en', data: { autoEscalation: true } } as any);
});

it("auto-closes a resolved case after the project's auto-close days, not before", async () => {
  const documentId = await runningCase(1, 100);
  const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
  await officer.act(documentId, { action: 'start', version: 2 });
  await officer.act(documentId, { action: 'resolve', version: 3, resolution: 'Fixed.' });
  expect((await sweep(new Date(Date.now() + 6 * 24 * HOUR))).autoClosed).toBe(0);
  expect((await sweep(new Date(Date.now() + 7 * 24 * HOUR + HOUR))).autoClosed).toBe(1);
  const row = await caseRow(app, documentId);
  expect(row.caseStatus).toBe('closed');
  expect(row.events.find((e: any) => e.action === 'auto_close')).toMatchObject({ actorType: 'system' });
});

it('auto-closes every due case when they take several batches, in order of resolution', async () => {
  const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
  const resolved: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const documentId = await runningCase(1, 100);
    await officer.act(documentId, { action: 'start', version: 2 });
    await officer.act(documentId, { action: 'resolve', version: 3, resolution: 'Fixed.' });
    resolved.push(documentId);
  }
  const result = await app.strapi.plugin('escalation').service('sweep').sweep({ now: new Date(Date.now() + 8 * 24 * HOUR), batchSize: 2 });
  expect(result.autoClosed).toBeGreaterThanOrEqual(5);
  for (const documentId of resolved) expect((await caseRow(app, documentId)).caseStatus).toBe('closed');
});

it('three sweepers at once move each overdue case exactly once', async () => {
  const cases = [];
  for (let i = 0; i < 30; i += 1) cases.push(await runningCase(200, -1));
  const results = await Promise.all([sweep(), sweep(), sweep()]);
  expect(results.reduce((sum: number, r: any) => sum + r.escalated, 0)).toBe(30);
  for (const documentId of cases) {
    const row = await caseRow(app, documentId);
    expect(row.escalationLevel).toBe(2);
    expect(row.events.filter((e: any) => e.action === 'escalate')).toHaveLength(1);
  }
});

it('POST /escalation/sweep runs a sweep for administrators only', async () => {
  const adminToken = await app.tokenFor(ADMIN_ROLES.superAdmin);
  const ok = await app.http().post('/escalation/sweep').set('Authorization', `Bearer ${adminToken}`);
  expect(ok.status).toBe(200);
  expect(ok.body.data).toMatchObject({ ran: true, checked: expect.any(Number) });
  const officerToken = await app.tokenFor(ADMIN_ROLES.officerWater);
  const refused = await app.http().post('/escalation/sweep').set('Authorization', `Bearer ${officerToken}`);
  expect([refused.status, refused.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
});

/** Statements the app sends while `work` runs (the audit sealer's are its own, apart). */
async function statementsOf(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = (query: { sql: string }) => {
    if (!query.sql.includes('/* audit:seal */')) count += 1;
  };
  const knex = app.strapi.db.connection as any;
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.removeListener('query', listener);
  }
  return count;
}

it('escalates a batch of breached cases set-wise: no statements per case beyond its UPDATE, each case fully recorded', async () => {
  const measure = async (n: number) => {
    const cases: string[] = [];
    for (let i = 0; i < n; i += 1) cases.push(await runningCase(200, -2));
    // Due only now, so that the scheduled sweep cannot take one while the others are filed.
    await grievances().updateMany({ where: { documentId: { $in: cases } }, data: { slaCheckAt: new Date(Date.now() + 1000 * HOUR) } });
    await grievances().updateMany({ where: { documentId: { $in: cases } }, data: { slaCheckAt: new Date() } });
    let result: any;
    const statements = await statementsOf(async () => {
      result = await sweep();
    });
    expect(result.escalated).toBe(n);
    return { cases, statements };
  };
  const few = await measure(3);
  const many = await measure(11);
  const perCase = (many.statements - few.statements) / 8;
  console.log(`sweep: ${few.statements} statements for 3 escalations, ${many.statements} for 11 (${perCase} per case)`);
  // One transition each (read, UPDATE, history, links, routing, clocks, audit entries, messages)
  // was about forty statements; a batch is now a fixed number (on SQLite one UPDATE per case).
  expect(perCase).toBeLessThanOrEqual(3);
  for (const documentId of many.cases) {
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'escalated', escalationLevel: 2, slaState: 'on_track', version: 3 });
    expect(Date.parse(row.resolveDueAt)).toBeGreaterThan(Date.now());
    expect(row.events.filter((e: any) => e.action === 'escalate')).toHaveLength(1);
    expect(row.events.filter((e: any) => e.action === 'route')).toHaveLength(1);
    const audited = await auditEvents(app, { entityId: documentId });
    expect(audited.filter((e: any) => e.action === 'workflow.escalate')).toHaveLength(1);
    expect(audited.filter((e: any) => e.action === 'case.routed')).toHaveLength(1);
  }
  expect((await sweep()).escalated).toBe(0);
});

it('escalates the rest of a batch when one case cannot be escalated, and names that case in the log', async () => {
  const cases = [await runningCase(200, -2), await runningCase(200, -2), await runningCase(200, -2)];
  const poisoned = cases[1];
  await grievances().update({ where: { documentId: poisoned }, data: { region: await regionId('DIST-B1-V2') } });
  const regionDocumentId = (await app.strapi.db.query('api::region.region' as any).findOne({ where: { code: 'DIST-B1-V2', locale: 'en' } })).documentId;
  // A fault in that case only: where its new level routes it cannot be worked out.
  const deadlines = app.strapi.plugin('escalation').service('deadlines');
  const routing = deadlines.routing;
  deadlines.routing = async (at: any, memo: any) => {
    if (at.regionDocumentId === regionDocumentId) throw new Error('The region chain is broken.');
    return routing(at, memo);
  };
  const logged: string[] = [];
  const error = app.strapi.log.error;
  app.strapi.log.error = ((message: string) => {
    logged.push(message);
  }) as typeof error;
  try {
    const result = await sweep();
    expect(result).toMatchObject({ escalated: 2, conflicts: 1 });
  } finally {
    deadlines.routing = routing;
    app.strapi.log.error = error;
  }
  const poisonedId = (await grievances().findOne({ where: { documentId: poisoned }, select: ['id'] })).id;
  expect(logged.some((line) => line.includes(`case ${poisonedId} could not be escalated`))).toBe(true);
  for (const documentId of [cases[0], cases[2]]) expect(await caseRow(app, documentId)).toMatchObject({ caseStatus: 'escalated', escalationLevel: 2 });
  // Nothing of the failed case was written: no history, no audit entry; the next run takes it.
  const stuck = await caseRow(app, poisoned);
  expect(stuck).toMatchObject({ caseStatus: 'assigned', escalationLevel: 1 });
  expect(stuck.events.filter((e: any) => e.action === 'escalate')).toHaveLength(0);
  expect((await auditEvents(app, { entityId: poisoned })).filter((e: any) => e.action === 'workflow.escalate')).toHaveLength(0);
  expect((await sweep()).escalated).toBe(1);
  expect(await caseRow(app, poisoned)).toMatchObject({ caseStatus: 'escalated', escalationLevel: 2 });
});
