/**
 * The audit log records real changes only and is searched by what people know: a browser-like
 * session of page loads (GETs, and the POSTs that only read) writes no event while each real
 * change writes one; a case is found by its tracking code and a staff member by their e-mail.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { auditAs, eventsAfter, lastSeq } from '../helpers/audit';
import { cmAs, cmPath } from '../helpers/content-manager';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 3 });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const GRIEVANCE = 'api::grievance.grievance';

/** What the admin panel asks for while a staff member moves between pages and opens a case. */
async function browse(email: string, documentId: string) {
  const token = await app.tokenFor(email);
  const get = (path: string, query: Record<string, unknown> = {}) => app.http().get(path).query(query).set('Authorization', `Bearer ${token}`);
  const post = (path: string, body: object) => app.http().post(path).send(body).set('Authorization', `Bearer ${token}`);
  const responses = [
    await get('/admin/init'),
    await get('/admin/users/me'),
    await get('/admin/users/me/permissions'),
    await get('/admin/information'),
    await get('/admin/project-type'),
    await get('/admin/guided-tour-meta'),
    await get('/admin/homepage/layout'),
    await post('/admin/permissions/check', { permissions: [{ action: 'plugin::content-manager.explorer.read', subject: GRIEVANCE }] }),
    // A session refresh without its cookie: refused, and a read in any case.
    await post('/admin/access-token', {}),
    await get('/i18n/locales'),
    await get('/content-manager/init'),
    await get('/content-manager/content-types-settings'),
    await get(`/content-manager/content-types/${GRIEVANCE}/configuration`),
    await get(cmPath(GRIEVANCE), { page: 1, pageSize: 10, sort: 'submittedAt:DESC' }),
    await get(cmPath(GRIEVANCE, documentId)),
    await get(`${cmPath(GRIEVANCE)}/actions/countManyEntriesDraftRelations`, { documentIds: [documentId] }),
    await get(`/content-manager/relations/${GRIEVANCE}/${documentId}/department`),
    await get(`/content-manager/relations/${GRIEVANCE}/department`, { id: documentId, pageSize: 10 }),
    await get(`/content-manager/relations/${GRIEVANCE}/project`, { pageSize: 10 }),
    await get(`/workflow/grievances/${documentId}/actions`),
    await get(`/workflow/grievances/${documentId}/history`),
    await get('/notifications/alerts'),
    await get('/escalation/statistics'),
    await get('/audit/events'),
  ];
  return responses;
}

describe('only real changes are recorded', () => {
  it('a session of page loads writes no event, for a department head and a super admin', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Broken tap at the bus stand.');
    for (const email of [ADMIN_ROLES.headWater, ADMIN_ROLES.superAdmin]) {
      await app.tokenFor(email); // the sign-in itself is an event; the pages after it are not
      const before = await lastSeq(app);
      const responses = await browse(email, documentId);
      // The session really read things (not refused before any handler ran).
      expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(15);
      const written = await eventsAfter(app, before);
      expect(written.map((e: any) => `${e.action} ${e.diff?.route ?? ''}`.trim())).toEqual([]);
    }
  });

  it('while each real change writes exactly one event', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'No water since Monday.');
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const admin = await cmAs(app, ADMIN_ROLES.superAdmin);
    const category = await app.strapi.db.query('api::category.category' as any).findOne({ where: { code: 'DIST-STREETLIGHT', locale: 'en' } });

    const before = await lastSeq(app);
    expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(200);
    await browse(ADMIN_ROLES.headWater, documentId);
    expect((await admin.update('api::category.category', category.documentId, { name: 'Street light out' })).status).toBe(200);
    await browse(ADMIN_ROLES.superAdmin, documentId);
    const written = await eventsAfter(app, before);
    expect(written.map((e: any) => e.action)).toEqual(['workflow.acknowledge', 'category.update']);
  });
});

describe('search by what people know', () => {
  it('a tracking code finds the events of that case, and only those', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Handpump broken near the school.');
    const other = await fileCase(app, 'DIST-WATER-SUPPLY', 'Another case.');
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    await head.act(documentId, { action: 'acknowledge', version: 0 });
    await head.act(documentId, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) });
    await head.act(other, { action: 'acknowledge', version: 0 });
    const { trackingCode } = await caseRow(app, documentId);

    const reader = await auditAs(app, ADMIN_ROLES.superAdmin);
    for (const typed of [trackingCode, trackingCode.toLowerCase(), ` ${trackingCode} `]) {
      const res = await reader.events({ entity: typed });
      expect(res.status).toBe(200);
      expect(res.body.data.map((e: any) => e.action).sort()).toEqual(['grievance.create', 'workflow.acknowledge', 'workflow.assign']);
      expect(res.body.data.every((e: any) => e.entityId === documentId)).toBe(true);
    }
    // The documentId keeps working, and the export takes the same filter.
    expect((await reader.events({ entity: documentId })).body.meta.pagination.total).toBe(3);
    const exported = await reader.exportEvents({ entity: trackingCode, format: 'jsonl' });
    expect(exported.status).toBe(200);
    expect(exported.text.trim().split('\n')).toHaveLength(3);
  });

  it("a project admin finds a case of their project by its code, never another project's case", async () => {
    const mine = await fileCase(app, 'DIST-WATER-SUPPLY', 'Leak in the main pipe.');
    const { trackingCode } = await caseRow(app, mine);
    const projectAdmin = await auditAs(app, ADMIN_ROLES.projectAdmin);
    expect((await projectAdmin.events({ entity: trackingCode })).body.meta.pagination.total).toBe(1);
    const foreign = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { project: { code: { $ne: 'DIST' } } }, populate: { project: true } });
    expect(foreign).toBeTruthy();
    const res = await projectAdmin.events({ entity: foreign.trackingCode });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  it("a staff member's e-mail finds their actions, and not those of another address containing it", async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Sewage overflow.');
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    await head.act(documentId, { action: 'acknowledge', version: 0 });
    // Another account whose address ends with the head's address.
    const lookalike = `x${ADMIN_ROLES.headWater}`;
    await app.strapi.plugin('audit').service('audit').append({
      action: 'workflow.note',
      entityType: GRIEVANCE,
      entityId: documentId,
      actor: { actorType: 'staff', actorId: '99999', actorLabel: `Someone Else <${lookalike}>` },
    });

    const reader = await auditAs(app, ADMIN_ROLES.superAdmin);
    const headId = String(await userId(app, ADMIN_ROLES.headWater));
    for (const typed of [ADMIN_ROLES.headWater, ADMIN_ROLES.headWater.toUpperCase()]) {
      const res = await reader.events({ actor: typed, pageSize: 500 });
      expect(res.status).toBe(200);
      const actions = res.body.data.map((e: any) => e.action);
      expect(actions).toContain('workflow.acknowledge');
      expect(actions).toContain('admin.login.success');
      expect(res.body.data.every((e: any) => e.actorId === headId)).toBe(true);
    }
    const theirs = await reader.events({ actor: lookalike });
    expect(theirs.body.data.map((e: any) => e.actorLabel)).toEqual([`Someone Else <${lookalike}>`]);
    // The chain is still whole after all this.
    expect((await reader.verify()).body.data.ok).toBe(true);
  });

  it('a failed sign-in is found under the e-mail that was typed', async () => {
    await app.http().post('/admin/login').send({ email: ADMIN_ROLES.viewer, password: 'not-the-password-1' });
    const reader = await auditAs(app, ADMIN_ROLES.superAdmin);
    const res = await reader.events({ actor: ADMIN_ROLES.viewer, action: 'admin.login.' });
    expect(res.body.data.map((e: any) => e.action)).toContain('admin.login.failure');
  });
});
