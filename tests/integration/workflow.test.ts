/**
 * The workflow staff API over HTTP, for each role: the actions offered, transitions with their
 * required inputs, scoping, optimistic concurrency, transfers, notes and in-transaction events.
 */
import path from 'node:path';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 10 });
});
afterAll(async () => {
  await app.stop();
});

/** Drives a fresh Water case to `assigned` to the Water officer through the API. */
async function assignedWaterCase() {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'No water in ward 3');
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(200);
  const officer = await userId(app, ADMIN_ROLES.officerWater);
  const assigned = await head.act(documentId, { action: 'assign', version: 1, assignee: officer });
  expect(assigned.status).toBe(200);
  return documentId;
}

describe('the Water officer on a case assigned to them', () => {
  it('is offered start, transfer and note, then starts and resolves it', async () => {
    const documentId = await assignedWaterCase();
    const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
    const offered = await officer.actions(documentId);
    expect(offered.status).toBe(200);
    expect(offered.body.data).toMatchObject({ status: 'assigned', version: 2 });
    expect(offered.body.data.actions.map((a: { action: string }) => a.action)).toEqual(['start', 'request_transfer', 'note']);

    const started = await officer.act(documentId, { action: 'start', version: 2 });
    expect(started.status).toBe(200);
    expect(started.body.data).toMatchObject({ status: 'in_progress', version: 3 });

    const missing = await officer.act(documentId, { action: 'resolve', version: 3 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toMatchObject({ code: 'VALIDATION', errors: [{ path: ['resolution'] }] });

    const resolved = await officer.act(documentId, { action: 'resolve', version: 3, resolution: 'Valve replaced; supply restored.' });
    expect(resolved.status).toBe(200);
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'resolved', version: 4, resolution: 'Valve replaced; supply restored.' });
    expect(row.resolvedAt).not.toBeNull();
    expect(row.slaPausedAt).not.toBeNull();

    const history = await officer.history(documentId);
    expect(history.body.data.map((e: any) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['submit', null, 'submitted'],
      ['acknowledge', 'submitted', 'acknowledged'],
      ['assign', 'acknowledged', 'assigned'],
      ['start', 'assigned', 'in_progress'],
      ['resolve', 'in_progress', 'resolved'],
    ]);
    expect(history.body.data.at(-1).actor).toEqual({ type: 'staff', label: 'Omar Sheikh' });
  });
});

describe('scoping', () => {
  it('a Roads officer can neither read nor act on a Water case, and learns nothing about it', async () => {
    const documentId = await assignedWaterCase();
    const roads = await workflowAs(app, ADMIN_ROLES.officerRoads);
    for (const res of [await roads.actions(documentId), await roads.history(documentId), await roads.act(documentId, { action: 'start', version: 2 })]) {
      expect(res.status).toBe(403);
      expect(res.body.data).toBeNull();
      expect(res.body.error.details.code).toBe('NOT_ALLOWED');
      expect(JSON.stringify(res.body)).not.toMatch(/ward 3|DIST-|Water/);
    }
    expect((await caseRow(app, documentId)).caseStatus).toBe('assigned');
  });

  it("a project admin cannot act on another project's case", async () => {
    const documentId = await fileCase(app, 'HWAY-DUST-NOISE');
    const admin = await workflowAs(app, ADMIN_ROLES.projectAdmin);
    const res = await admin.act(documentId, { action: 'acknowledge', version: 0 });
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('NOT_ALLOWED');
  });

  it('a department head may assign only officers of the department', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-QUALITY');
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    await head.act(documentId, { action: 'acknowledge', version: 0 });
    const eligible = await head.assignees(documentId);
    expect(eligible.body.data.map((u: { email: string }) => u.email)).toEqual([ADMIN_ROLES.officerWater]);
    const outside = await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerRoads) });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.code).toBe('ASSIGNEE_OUT_OF_SCOPE');
    expect((await caseRow(app, documentId)).assignee).toBeNull();
  });
});

describe('bad input changes nothing and gets its own code', () => {
  let documentId: string;
  let head: Awaited<ReturnType<typeof workflowAs>>;
  beforeAll(async () => {
    documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
    head = await workflowAs(app, ADMIN_ROLES.headWater);
  });

  it.each([
    ['an unknown action', { action: 'teleport', version: 0 }, 400, 'UNKNOWN_ACTION'],
    ['a missing reason', { action: 'reject', version: 0 }, 400, 'VALIDATION'],
    ['a missing version', { action: 'acknowledge' }, 400, 'VALIDATION'],
    ['an unknown field', { action: 'acknowledge', version: 0, caseStatus: 'closed' }, 400, 'VALIDATION'],
    ['a stale version', { action: 'acknowledge', version: 5 }, 409, 'STALE_VERSION'],
    ['a step that skips the lifecycle', { action: 'resolve', version: 0, resolution: 'done' }, 422, 'ILLEGAL_TRANSITION'],
  ])('%s', async (_label, body, status, code) => {
    const before = await caseRow(app, documentId);
    const res = await head.act(documentId, body);
    expect(res.status).toBe(status);
    expect(res.body.error.details.code).toBe(code);
    const after = await caseRow(app, documentId);
    expect([after.caseStatus, after.version, after.events.length]).toEqual([before.caseStatus, before.version, before.events.length]);
  });

  it('a malformed or unknown case id', async () => {
    const malformed = await head.act('1%20OR%201=1', { action: 'acknowledge', version: 0 });
    expect([malformed.status, malformed.body.error?.details?.code]).toEqual([400, 'INVALID_ID']);
    const unknown = await head.act('abcdefghijklmnopqrstuvwx', { action: 'acknowledge', version: 0 });
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('a viewer may read the actions (none) but take none', async () => {
    const viewer = await workflowAs(app, ADMIN_ROLES.viewer);
    const offered = await viewer.actions(documentId);
    expect(offered.status).toBe(200);
    expect(offered.body.data.actions).toEqual([]);
    const res = await viewer.act(documentId, { action: 'acknowledge', version: 0 });
    expect([res.status, res.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  });
});

describe('concurrency', () => {
  it('of 20 identical transitions racing on one case, exactly one succeeds and one event is written', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Race');
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const results = await Promise.all(Array.from({ length: 20 }, () => head.act(documentId, { action: 'acknowledge', version: 0 })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.details.code).toBe('STALE_VERSION');
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'acknowledged', version: 1 });
    expect(row.events.filter((e: any) => e.action === 'acknowledge')).toHaveLength(1);
  });
});

describe('transfers and notes', () => {
  it('an officer requests a transfer, the head approves, the case is back to acknowledged in the new department', async () => {
    const documentId = await assignedWaterCase();
    const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
    const roads = await app.strapi.db.query('api::department.department' as any).findOne({ where: { code: 'ROADS', locale: 'en' } });
    const noReason = await officer.act(documentId, { action: 'request_transfer', version: 2, toDepartment: roads.documentId });
    expect(noReason.body.error.details.code).toBe('VALIDATION');
    const requested = await officer.act(documentId, { action: 'request_transfer', version: 2, toDepartment: roads.documentId, reason: 'The leak is under the road surface.' });
    expect(requested.status).toBe(200);
    expect(requested.body.data.status).toBe('assigned');

    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const offered = await head.actions(documentId);
    expect(offered.body.data.pendingTransfer.toDepartment.documentId).toBe(roads.documentId);
    expect(offered.body.data.actions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['approve_transfer', 'deny_transfer']));
    const approved = await head.act(documentId, { action: 'approve_transfer', version: 3 });
    expect(approved.status).toBe(200);

    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'acknowledged', assignee: null });
    expect(row.department.code).toBe('ROADS');
    const transfers = await app.strapi.db.query('api::transfer-request.transfer-request' as any).findMany({
      where: { grievance: { id: row.id } },
      populate: { fromDepartment: true, toDepartment: true },
    });
    expect(transfers.map((t: any) => [t.fromDepartment.code, t.toDepartment.code, t.decision])).toEqual([['WATER', 'ROADS', 'approved']]);
    // The Water officer no longer sees the case; the Roads head does.
    expect((await officer.actions(documentId)).status).toBe(403);
    expect((await (await workflowAs(app, 'head.roads@demo.local')).actions(documentId)).status).toBe(200);
  });

  it('internal and public notes go on the timeline without changing the version', async () => {
    const documentId = await assignedWaterCase();
    const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
    expect((await officer.act(documentId, { action: 'note', note: 'Neighbour says valve was tampered with.' })).status).toBe(200);
    expect((await officer.act(documentId, { action: 'note', note: 'Crew scheduled for Monday.', visibility: 'public' })).status).toBe(200);
    const history = (await officer.history(documentId)).body.data.filter((e: any) => e.type === 'note');
    expect(history.map((e: any) => [e.note, e.visibility])).toEqual([
      ['Neighbour says valve was tampered with.', 'internal'],
      ['Crew scheduled for Monday.', 'public'],
    ]);
    expect((await caseRow(app, documentId)).version).toBe(2);
  });
});

describe('in-transaction domain events', () => {
  // The app runs from dist/; subscribe on the very bus module it publishes on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bus = () => require(path.resolve(__dirname, '../../dist/src/domain/events.js'));

  it('hands subscribers the transition, inside its transaction', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
    const seen: any[] = [];
    const off = bus().subscribe('grievance.transitioned', async (event: any) => {
      // A subscriber's reads join the transaction: it sees the new version before commit.
      const row = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { id: event.grievance.id } });
      seen.push({ ...event, versionSeen: row.version });
    });
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    await head.act(documentId, { action: 'acknowledge', version: 0 });
    off();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      type: 'grievance.transitioned',
      action: 'acknowledge',
      from: 'submitted',
      to: 'acknowledged',
      version: 1,
      versionSeen: 1,
      notify: ['acknowledged'],
      actor: { type: 'staff', label: 'Harish Kumar' },
      grievance: { documentId },
    });
    expect(seen[0].historyEventId).toEqual(expect.any(Number));
  });

  it('rolls the transition back when a subscriber fails', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
    const off = bus().subscribe('grievance.transitioned', () => {
      throw new Error('audit store unavailable');
    });
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const res = await head.act(documentId, { action: 'acknowledge', version: 0 });
    off();
    expect(res.status).toBe(500);
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'submitted', version: 0 });
    expect(row.events.map((e: any) => e.action)).toEqual(['submit']);
  });
});

describe('per-project workflow rules', () => {
  it('are validated when the project is saved and then change who may act', async () => {
    const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
    const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
    const bad = await cm.update('api::project.project', project.documentId, { workflowRules: { acknowledge: ['mayor'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.code).toBe('VALIDATION');
    const stuck = await cm.update('api::project.project', project.documentId, { workflowRules: { acknowledge: [], reject: [] } });
    expect(stuck.status).toBe(400);
    expect(stuck.body.error.message).toMatch(/out of "submitted"/);

    const documentId = await fileCase(app, 'DIST-ROAD-DAMAGE');
    const head = await workflowAs(app, 'head.roads@demo.local');
    const intake = await workflowAs(app, ADMIN_ROLES.intake);
    const offeredTo = async (who: typeof head) => (await who.actions(documentId)).body.data.actions.map((a: any) => a.action);
    expect(await offeredTo(intake)).toContain('acknowledge');

    const ok = await app.strapi.documents('api::project.project' as any).update({
      documentId: project.documentId,
      locale: 'en',
      data: { workflowRules: { acknowledge: ['officer', 'department_head'] } },
    } as any);
    expect(ok.workflowRules).toEqual({ acknowledge: ['officer', 'department_head'] });
    // This project now lets officers and heads acknowledge, and no longer intake clerks.
    expect(await offeredTo(intake)).not.toContain('acknowledge');
    expect(await offeredTo(head)).toContain('acknowledge');
    expect((await intake.act(documentId, { action: 'acknowledge', version: 0 })).body.error.details.code).toBe('NOT_ALLOWED');
    await app.strapi.documents('api::project.project' as any).update({ documentId: project.documentId, locale: 'en', data: { workflowRules: null } } as any);
  });
});

describe('intake events', () => {
  it('publishes grievance.received inside the creating transaction', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bus = require(path.resolve(__dirname, '../../dist/src/domain/events.js'));
    const seen: any[] = [];
    const off = bus.subscribe('grievance.received', (event: any) => {
      seen.push(event);
    });
    const documentId = await fileCase(app, 'DIST-HEALTH-SERVICE', 'No doctor on Mondays');
    off();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'grievance.received', to: 'submitted', version: 0, notify: ['received'], grievance: { documentId } });
    expect(seen[0].grievance.trackingCode).toMatch(/^DIST-/);
  });
});
