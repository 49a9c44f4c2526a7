/**
 * Transfers between departments (docs/workflow.md, "Transfers"; docs/roles.md): the head of the
 * receiving department opens the case read-only (content manager and workflow panel), sees the
 * pending request and approves or denies it; nobody decides their own request; heads of other
 * departments see nothing; the transfer targets never include the case's own department.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { auditEvents } from '../helpers/audit';
import { cmAs, cmList } from '../helpers/content-manager';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

const GRIEVANCE = 'api::grievance.grievance';
const TRANSFER = 'api::transfer-request.transfer-request';
const HEAD_ROADS = 'head.roads@demo.local';

let app: TestApp;
let departments: Record<string, string>;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 6 });
  const rows = await app.strapi.db.query('api::department.department' as any).findMany({ where: { locale: 'en' }, select: ['documentId', 'code'] });
  departments = Object.fromEntries(rows.map((d: any) => [d.code, d.documentId]));
});
afterAll(async () => {
  await app.stop();
});

/** A fresh Water case, acknowledged and assigned to the Water officer. */
async function assignedWaterCase(description: string) {
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', description);
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(200);
  expect((await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) })).status).toBe(200);
  return documentId;
}

/** A Water case with a transfer request to `to` from `requester` (the Water officer unless said otherwise). */
async function pendingTransfer(description: string, to = 'ROADS', requester: string = ADMIN_ROLES.officerWater) {
  const documentId = await assignedWaterCase(description);
  const asked = await (await workflowAs(app, requester)).act(documentId, { action: 'request_transfer', version: 2, toDepartment: departments[to], reason: 'The leak is under the road surface.' });
  expect(asked.status).toBe(200);
  return documentId;
}

const actionsOf = (res: any) => res.body.data.actions.map((a: { action: string }) => a.action);

describe('the head of the receiving department', () => {
  it('opens the case in the content manager and the workflow panel, and sees the pending request', async () => {
    const documentId = await pendingTransfer('Leak under the road in ward 5');
    const cm = await cmAs(app, HEAD_ROADS);
    const opened = await cm.get(GRIEVANCE, documentId);
    expect(opened.status).toBe(200);
    expect(opened.body.data.description).toBe('Leak under the road in ward 5');

    const panel = await (await workflowAs(app, HEAD_ROADS)).actions(documentId);
    expect(panel.status).toBe(200);
    expect(panel.body.data).toMatchObject({ readOnly: true, pendingTransfer: { toDepartment: { documentId: departments.ROADS }, requestedByMe: false } });
    expect(actionsOf(panel)).toEqual(['approve_transfer', 'deny_transfer']);
    expect((await (await workflowAs(app, HEAD_ROADS)).history(documentId)).status).toBe(200);

    // The Transfer request list shows the request addressed to Roads.
    const requests = await cmList(app, HEAD_ROADS, TRANSFER);
    expect(requests.status).toBe(200);
    const row = await app.strapi.db.query(TRANSFER as any).findOne({ where: { grievance: { documentId }, decision: 'pending' } });
    expect(requests.body.results.map((r: any) => r.documentId)).toContain(row.documentId);
    expect((await cm.get(TRANSFER, row.documentId)).status).toBe(200);

    // The case list shows it too, and no other Water case.
    const cases = await cmList(app, HEAD_ROADS, GRIEVANCE);
    const listed = cases.body.results.map((c: any) => c.documentId);
    expect(listed).toContain(documentId);
    const waterCases = await app.strapi.db.query(GRIEVANCE as any).findMany({ where: { department: { code: 'WATER' } }, select: ['documentId'] });
    expect(listed.filter((id: string) => id !== documentId && waterCases.some((w: any) => w.documentId === id))).toEqual([]);
  });

  it('reads the complaint but not the citizen’s name, phone or e-mail; the owning head does', async () => {
    const documentId = await pendingTransfer('Water seeping into the road base');
    await app.strapi.documents(GRIEVANCE as any).update({ documentId, data: { citizenName: 'Meena Kumari', citizenPhone: '+919812345670', citizenEmail: 'meena@example.test' } } as any);
    const receiving = await (await cmAs(app, HEAD_ROADS)).get(GRIEVANCE, documentId);
    expect(receiving.status).toBe(200);
    expect(receiving.body.data.description).toBe('Water seeping into the road base');
    expect(JSON.stringify(receiving.body)).not.toMatch(/Meena|9812345670|meena@example/);
    const owning = await (await cmAs(app, ADMIN_ROLES.headWater)).get(GRIEVANCE, documentId);
    expect(owning.body.data.citizenName).toBe('Meena Kumari');
  });

  it('cannot edit the case nor take any other action on it', async () => {
    const documentId = await pendingTransfer('Broken pipe under the bridge');
    const cm = await cmAs(app, HEAD_ROADS);
    const edited = await cm.update(GRIEVANCE, documentId, { description: 'Rewritten by the Roads head' });
    expect(edited.status).toBe(403);
    expect((await caseRow(app, documentId)).description).toBe('Broken pipe under the bridge');

    const roads = await workflowAs(app, HEAD_ROADS);
    for (const body of [
      { action: 'escalate', version: 3 },
      { action: 'assign', version: 3, assignee: await userId(app, ADMIN_ROLES.officerWater) },
      { action: 'request_transfer', version: 3, toDepartment: departments.HEALTH, reason: 'Rather Health' },
      { action: 'unmark_sensitive', version: 3, reason: 'Not sensitive' },
      { action: 'note', note: 'A note from Roads' },
    ]) {
      const res = await roads.act(documentId, body);
      expect([res.status, res.body.error?.details?.code]).toEqual([403, 'NOT_ALLOWED']);
    }
    expect(await caseRow(app, documentId)).toMatchObject({ caseStatus: 'assigned', version: 3 });
  });

  it('approves: the case moves to Roads, acknowledged and unassigned, with fresh deadlines, audited', async () => {
    const documentId = await pendingTransfer('Water on the road at the junction');
    const before = await caseRow(app, documentId);
    // Old deadlines, so the fresh ones show.
    await app.strapi.db.query(GRIEVANCE as any).update({ where: { id: before.id }, data: { resolveDueAt: new Date('2026-01-01T00:00:00Z'), acknowledgeDueAt: new Date('2026-01-01T00:00:00Z'), slaState: 'breached' } });

    const approved = await (await workflowAs(app, HEAD_ROADS)).act(documentId, { action: 'approve_transfer', version: 3 });
    expect(approved.status).toBe(200);
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'acknowledged', assignee: null, slaState: 'on_track' });
    expect(row.department.code).toBe('ROADS');
    expect(Date.parse(row.resolveDueAt)).toBeGreaterThan(Date.now());

    const request = await app.strapi.db.query(TRANSFER as any).findOne({ where: { grievance: { documentId } }, populate: { decidedBy: true } });
    expect(request.decision).toBe('approved');
    expect(request.decidedBy.email).toBe(HEAD_ROADS);
    const audited = await auditEvents(app, { action: 'workflow.approve_transfer', entityId: documentId });
    expect(audited).toHaveLength(1);
    expect(audited[0].actorId).toBe(String(await userId(app, HEAD_ROADS)));

    // Now the case is theirs: the ordinary head's actions and an editable form.
    const panel = await (await workflowAs(app, HEAD_ROADS)).actions(documentId);
    expect(panel.body.data.readOnly).toBe(false);
    expect(actionsOf(panel)).toEqual(expect.arrayContaining(['assign', 'escalate']));
  });

  it('denies: the case stays with Water, assigned as it was, and Roads no longer reads it', async () => {
    const documentId = await pendingTransfer('Pipe burst near the school');
    const roads = await workflowAs(app, HEAD_ROADS);
    const noReason = await roads.act(documentId, { action: 'deny_transfer', version: 3 });
    expect(noReason.body.error.details.code).toBe('VALIDATION');
    const denied = await roads.act(documentId, { action: 'deny_transfer', version: 3, reason: 'The pipe is not under the road.' });
    expect(denied.status).toBe(200);
    const row = await caseRow(app, documentId);
    expect(row).toMatchObject({ caseStatus: 'assigned' });
    expect(row.department.code).toBe('WATER');
    expect(row.assignee.email).toBe(ADMIN_ROLES.officerWater);
    const request = await app.strapi.db.query(TRANSFER as any).findOne({ where: { grievance: { documentId } } });
    expect(request).toMatchObject({ decision: 'denied', decisionNote: 'The pipe is not under the road.' });
    expect(await auditEvents(app, { action: 'workflow.deny_transfer', entityId: documentId })).toHaveLength(1);

    expect((await roads.actions(documentId)).status).toBe(403);
    expect((await (await cmAs(app, HEAD_ROADS)).get(GRIEVANCE, documentId)).status).toBe(403);
  });
});

describe('segregation of duties', () => {
  it('the head who asked for a transfer can neither approve nor deny it; the receiving head can', async () => {
    const documentId = await pendingTransfer('Sewage on the main road', 'ROADS', ADMIN_ROLES.headWater);
    const water = await workflowAs(app, ADMIN_ROLES.headWater);
    const panel = await water.actions(documentId);
    expect(panel.body.data.pendingTransfer.requestedByMe).toBe(true);
    expect(actionsOf(panel)).not.toContain('approve_transfer');
    expect(actionsOf(panel)).not.toContain('deny_transfer');
    const approve = await water.act(documentId, { action: 'approve_transfer', version: 3 });
    expect([approve.status, approve.body.error?.details?.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    const deny = await water.act(documentId, { action: 'deny_transfer', version: 3, reason: 'Withdrawn' });
    expect([deny.status, deny.body.error?.details?.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    expect(await caseRow(app, documentId)).toMatchObject({ caseStatus: 'assigned', version: 3 });
    expect(await auditEvents(app, { action: 'workflow.approve_transfer', entityId: documentId })).toHaveLength(0);

    expect((await (await workflowAs(app, HEAD_ROADS)).act(documentId, { action: 'approve_transfer', version: 3 })).status).toBe(200);
  });

  it('a project admin who asked for a transfer cannot approve it either; another person decides', async () => {
    const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
    const rules = project.workflowRules;
    // This project lets its admins ask for transfers too.
    await app.strapi.db.query('api::project.project' as any).updateMany({ where: { code: 'DIST' }, data: { workflowRules: { request_transfer: ['assignee', 'department_head', 'project_admin'] } } });
    try {
      const documentId = await pendingTransfer('Drain blocked by road works', 'ROADS', ADMIN_ROLES.projectAdmin);
      const admin = await workflowAs(app, ADMIN_ROLES.projectAdmin);
      expect(actionsOf(await admin.actions(documentId))).not.toContain('approve_transfer');
      const approve = await admin.act(documentId, { action: 'approve_transfer', version: 3 });
      expect([approve.status, approve.body.error?.details?.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
      expect((await (await workflowAs(app, ADMIN_ROLES.headWater)).act(documentId, { action: 'approve_transfer', version: 3 })).status).toBe(200);
      expect((await caseRow(app, documentId)).department.code).toBe('ROADS');
    } finally {
      await app.strapi.db.query('api::project.project' as any).updateMany({ where: { code: 'DIST' }, data: { workflowRules: rules ?? null } });
    }
  });

  it('the project admin still decides a request made by someone else', async () => {
    const documentId = await pendingTransfer('Road flooded by a water main');
    const admin = await workflowAs(app, ADMIN_ROLES.projectAdmin);
    expect(actionsOf(await admin.actions(documentId))).toEqual(expect.arrayContaining(['approve_transfer', 'deny_transfer']));
    expect((await admin.act(documentId, { action: 'deny_transfer', version: 3, reason: 'Water must fix it.' })).status).toBe(200);
  });
});

describe('everyone else', () => {
  it('a head of a department the transfer is not addressed to sees nothing of the case', async () => {
    const documentId = await pendingTransfer('Clinic has no water', 'HEALTH');
    for (const email of [HEAD_ROADS, ADMIN_ROLES.headPiu]) {
      const res = await (await workflowAs(app, email)).actions(documentId);
      expect([res.status, res.body.error?.details?.code]).toEqual([403, 'NOT_ALLOWED']);
      expect((await (await cmAs(app, email)).get(GRIEVANCE, documentId)).status).toBe(403);
      expect((await (await workflowAs(app, email)).act(documentId, { action: 'approve_transfer', version: 3 })).status).toBe(403);
    }
    const roadsRequests = await cmList(app, HEAD_ROADS, TRANSFER);
    const row = await app.strapi.db.query(TRANSFER as any).findOne({ where: { grievance: { documentId } } });
    expect(roadsRequests.body.results.map((r: any) => r.documentId)).not.toContain(row.documentId);
  });

  it('an officer of the receiving department does not read the case', async () => {
    const documentId = await pendingTransfer('Manhole cover missing, water main exposed');
    const res = await (await workflowAs(app, ADMIN_ROLES.officerRoads)).actions(documentId);
    expect(res.status).toBe(403);
    expect((await (await cmAs(app, ADMIN_ROLES.officerRoads)).get(GRIEVANCE, documentId)).status).toBe(403);
  });
});

describe('transfer targets', () => {
  it("lists the project's other departments, never the case's own", async () => {
    const documentId = await assignedWaterCase('Low pressure in the evening');
    const token = await app.tokenFor(ADMIN_ROLES.officerWater);
    const res = await app.http().get(`/workflow/grievances/${documentId}/transfer-targets`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: any) => d.code).sort()).toEqual(['HEALTH', 'REVENUE', 'ROADS']);
    const fr = await app.http().get(`/workflow/grievances/${documentId}/transfer-targets`).query({ locale: 'fr' }).set('Authorization', `Bearer ${token}`);
    expect(fr.body.data.find((d: any) => d.code === 'ROADS').name).toBe('Routes et travaux publics');

    const own = await (await workflowAs(app, ADMIN_ROLES.officerWater)).act(documentId, { action: 'request_transfer', version: 2, toDepartment: departments.WATER, reason: 'x' });
    expect([own.status, own.body.error.details.code]).toEqual([400, 'VALIDATION']);

    const outsider = await app.http().get(`/workflow/grievances/${documentId}/transfer-targets`).set('Authorization', `Bearer ${await app.tokenFor(HEAD_ROADS)}`);
    expect([outsider.status, outsider.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
  });
});
