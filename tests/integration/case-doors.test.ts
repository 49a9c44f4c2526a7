/**
 * The generic doors of the content manager keep the case's rules (docs/security.md):
 * - workflow-owned fields (documentId, status, version, level, assignee, department, region,
 *   project, channel, the citizen's answers) cannot be changed by a form save, in any of the
 *   shapes a relation or value can be sent, and a refused save writes nothing;
 * - a relation of a case reads and writes only within the editor's scope: `duplicateOf` cannot
 *   name a case they may not read, a case reached through `populate` is dropped when they may
 *   not read it, relation answers never select hidden fields, likely duplicates name only
 *   readable cases;
 * - the sensitive flag is cleared only by the workflow, with a reason and a step-up, audited,
 *   never on a case of a sensitive category.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { eventsAfter, lastSeq } from '../helpers/audit';
import { cmAs, cmPath } from '../helpers/content-manager';
import { stepUp } from '../helpers/step-up';
import { fileCase, workflowAs } from '../helpers/workflow';

const GRIEVANCE = 'api::grievance.grievance';
let app: TestApp;
const q = (uid: string) => app.strapi.db.query(uid as any);
const caseOf = (where: object) =>
  q(GRIEVANCE).findOne({ where, populate: { project: true, department: true, region: true, assignee: true, duplicateOf: true, category: true } });

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 12 });
});
afterAll(async () => {
  await app?.stop();
});

async function officersCase() {
  const officer = await q('admin::user').findOne({ where: { email: ADMIN_ROLES.officerWater } });
  const mine = await caseOf({ assignee: { id: officer.id } });
  expect(mine).not.toBeNull();
  return { officer, mine };
}

describe('workflow-owned fields', () => {
  it('refuses each owned field, in every shape, naming it, and writes nothing', async () => {
    const { mine } = await officersCase();
    const otherDepartment = await q('api::department.department').findOne({ where: { code: 'ROADS' } });
    const otherRegion = await q('api::region.region').findOne({ where: { id: { $ne: mine.region?.id ?? 0 } } });
    const otherProject = await q('api::project.project').findOne({ where: { code: 'HWAY' } });
    const someone = await q('admin::user').findOne({ where: { email: ADMIN_ROLES.officerRoads } });
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['documentId', { documentId: 'zzzzzzzzzzzzzzzzzzzzzzzz' }],
      ['department', { department: { connect: [{ documentId: otherDepartment.documentId }] } }],
      ['department', { department: { connect: [{ id: otherDepartment.id }] } }],
      ['department', { department: { set: [{ documentId: otherDepartment.documentId }] } }],
      ['department', { department: otherDepartment.id }],
      ['department', { department: otherDepartment.documentId }],
      ['department', { department: null }],
      ['region', { region: { connect: [{ documentId: otherRegion.documentId }] } }],
      ['project', { project: { connect: [{ documentId: otherProject.documentId }] } }],
      ['assignee', { assignee: { connect: [{ id: someone.id }] } }],
      ['caseStatus', { caseStatus: mine.caseStatus === 'closed' ? 'submitted' : 'closed' }],
      ['version', { version: mine.version + 7 }],
      ['escalationLevel', { escalationLevel: 3 }],
      ['trackingCode', { trackingCode: 'DIST-20200101-AAAAAAAA0' }],
      ['rating', { rating: 5 }],
      ['feedback', { feedback: 'Excellent service' }],
      ['resolution', { resolution: 'Resolved by the officer himself' }],
      ['channel', { channel: 'phone' }],
      ['submittedAt', { submittedAt: '2020-01-01T00:00:00.000Z' }],
      ['slaState', { slaState: 'on_track' === mine.slaState ? 'breached' : 'on_track' }],
    ];
    for (const email of [ADMIN_ROLES.officerWater, ADMIN_ROLES.superAdmin]) {
      const cm = await cmAs(app, email);
      for (const [field, body] of attempts) {
        // A real edit rides along: it must not be saved either.
        const res = await cm.update(GRIEVANCE, mine.documentId, { ...body, description: `${mine.description} (edited)` });
        expect([email, field, JSON.stringify(body), res.status, res.body.error?.details?.code, res.body.error?.details?.fields]).toEqual([
          email, field, JSON.stringify(body), 400, 'NOT_EDITABLE', [field],
        ]);
      }
    }
    const after = await caseOf({ id: mine.id });
    for (const field of ['documentId', 'caseStatus', 'version', 'escalationLevel', 'trackingCode', 'rating', 'feedback', 'resolution', 'channel', 'description', 'slaState']) {
      expect([field, after[field]]).toEqual([field, mine[field]]);
    }
    expect(new Date(after.submittedAt).getTime()).toBe(new Date(mine.submittedAt).getTime());
    for (const relation of ['department', 'region', 'project', 'assignee']) expect([relation, after[relation]?.id]).toEqual([relation, mine[relation]?.id]);
  });

  it('refuses owned fields on a new case too, naming them, and a department or region of another project; nothing is stored', async () => {
    const dist = await q('api::project.project').findOne({ where: { code: 'DIST', locale: 'en' } });
    const water = await q('api::category.category').findOne({ where: { code: 'DIST-WATER-SUPPLY', locale: 'en' } });
    const hwayDepartment = await q('api::department.department').findOne({ where: { code: 'CONSTR' } });
    const hwayRegion = await q('api::region.region').findOne({ where: { project: { code: 'HWAY' } } });
    const someone = await q('admin::user').findOne({ where: { email: ADMIN_ROLES.officerWater } });
    const base = { project: { connect: [{ documentId: dist.documentId }] }, category: { connect: [{ documentId: water.documentId }] }, description: 'Filed at the counter: the tap is dry.' };
    const before = await q(GRIEVANCE).count({});
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const owned: Array<[string[], Record<string, unknown>]> = [
      [['caseStatus'], { caseStatus: 'closed' }],
      [['version', 'rating'], { version: 50, rating: 1 }],
      [['assignee'], { assignee: { connect: [{ id: someone.id }] } }],
      [['resolution', 'trackingCode'], { resolution: 'Done.', trackingCode: 'DIST-20200101-AAAAAAAA0' }],
      [['feedback'], { feedback: 'Very good' }],
    ];
    for (const [fields, extra] of owned) {
      const res = await cm.create(GRIEVANCE, { ...base, ...extra });
      expect([JSON.stringify(extra), res.status, res.body.error?.details?.code, res.body.error?.details?.fields]).toEqual([JSON.stringify(extra), 400, 'NOT_EDITABLE', fields]);
    }
    for (const [field, extra] of [
      ['department', { department: { connect: [{ documentId: hwayDepartment.documentId }] } }],
      ['region', { region: { connect: [{ documentId: hwayRegion.documentId }] } }],
      ['department', { department: hwayDepartment.id }],
    ] as Array<[string, Record<string, unknown>]>) {
      const res = await cm.create(GRIEVANCE, { ...base, ...extra });
      expect([field, res.status, res.body.error?.details?.code, res.body.error?.details?.errors?.[0]?.path]).toEqual([field, 400, 'VALIDATION', [field]]);
    }
    expect(await q(GRIEVANCE).count({})).toBe(before);
    // The create form's own echo of defaults is no attempt to set anything.
    const echo = await cm.create(GRIEVANCE, { ...base, caseStatus: 'submitted', version: 0, escalationLevel: 1, assignee: { connect: [], disconnect: [] }, events: { connect: [], disconnect: [] }, rating: null });
    expect(echo.status).toBe(201);
  });

  it("accepts the form's echo of unchanged values with a real edit of a descriptive field", async () => {
    const { mine } = await officersCase();
    const cm = await cmAs(app, ADMIN_ROLES.officerWater);
    const res = await cm.update(GRIEVANCE, mine.documentId, {
      documentId: mine.documentId,
      caseStatus: mine.caseStatus,
      version: mine.version,
      trackingCode: mine.trackingCode,
      submittedAt: new Date(mine.submittedAt).toISOString(),
      department: { connect: [], disconnect: [] },
      project: { connect: [{ id: mine.project.id }] },
      rating: mine.rating,
      address: 'Ward 4, near the water tank',
    });
    expect(res.status).toBe(200);
    expect((await caseOf({ id: mine.id })).address).toBe('Ward 4, near the water tank');
  });
});

describe('relations keep their scope', () => {
  it("refuses a duplicate link to a case the editor may not read, in another project or not", async () => {
    const { mine } = await officersCase();
    const foreign = await caseOf({ project: { code: 'HWAY' }, category: { code: 'HWAY-GBV-SEA' } }) ?? (await caseOf({ project: { code: 'HWAY' } }));
    const sameProjectHidden = await caseOf({ project: { code: 'DIST' }, department: { code: 'HEALTH' } });
    const cm = await cmAs(app, ADMIN_ROLES.officerWater);
    expect((await cm.get(GRIEVANCE, sameProjectHidden.documentId)).status).toBe(403);
    for (const target of [foreign, sameProjectHidden]) {
      for (const shape of [{ connect: [{ id: target.id }] }, { connect: [{ documentId: target.documentId }] }, { set: [{ id: target.id }] }, target.id, target.documentId]) {
        const res = await cm.update(GRIEVANCE, mine.documentId, { duplicateOf: shape });
        expect([JSON.stringify(shape), res.status, res.body.error?.details?.code]).toEqual([JSON.stringify(shape), 400, 'VALIDATION']);
      }
    }
    expect((await caseOf({ id: mine.id })).duplicateOf).toBeNull();
  });

  it('never returns a case out of scope through populate, on one case or in a list', async () => {
    const { mine } = await officersCase();
    const secretCase = await caseOf({ project: { code: 'HWAY' } });
    // A link made before this rule, or by someone who may read both.
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { duplicateOf: secretCase.id } });
    const token = await app.tokenFor(ADMIN_ROLES.officerWater);
    const get = (path: string, query: object) => app.http().get(path).query(query).set('Authorization', `Bearer ${token}`);
    const reads = [
      await get(cmPath(GRIEVANCE, mine.documentId), {}),
      await get(cmPath(GRIEVANCE, mine.documentId), { populate: '*' }),
      await get(cmPath(GRIEVANCE, mine.documentId), { 'populate[duplicateOf][populate]': '*' }),
      await get(cmPath(GRIEVANCE, mine.documentId), { 'populate[duplicateOf][fields][0]': 'description' }),
      await get(cmPath(GRIEVANCE), { populate: 'duplicateOf' }),
      await get(cmPath(GRIEVANCE), { 'populate[duplicateOf][populate]': '*' }),
      await get(cmPath('api::grievance-event.grievance-event'), { 'populate[grievance][populate]': 'duplicateOf' }),
      await get(`/content-manager/relations/${GRIEVANCE}/${mine.documentId}/duplicateOf`, {}),
    ];
    for (const res of reads) {
      expect(res.status).toBeLessThan(500);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(secretCase.description);
      expect(text).not.toContain(secretCase.trackingCode);
      expect(text).not.toContain(secretCase.documentId);
    }
    // Someone who may read both still sees the link.
    const admin = await cmAs(app, ADMIN_ROLES.superAdmin);
    const whole = await app.http().get(cmPath(GRIEVANCE, mine.documentId)).query({ 'populate[duplicateOf][fields][0]': 'trackingCode' }).set('Authorization', `Bearer ${await app.tokenFor(ADMIN_ROLES.superAdmin)}`);
    expect(JSON.stringify(whole.body)).toContain(secretCase.trackingCode);
    expect((await admin.get(GRIEVANCE, mine.documentId)).status).toBe(200);
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { duplicateOf: null } });
  });

  it('refuses filtering or sorting by the fields of a linked case, which would spell out a case out of scope', async () => {
    const { mine } = await officersCase();
    const secretCase = await caseOf({ project: { code: 'DIST' }, department: { code: 'ROADS' } });
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { duplicateOf: secretCase.id } });
    const prefix = secretCase.trackingCode.slice(0, 14);
    for (const email of [ADMIN_ROLES.officerWater, ADMIN_ROLES.viewer]) {
      const token = await app.tokenFor(email);
      const list = (query: string) => app.http().get(`${cmPath(GRIEVANCE)}?page=1&pageSize=10&${query}`).set('Authorization', `Bearer ${token}`);
      for (const query of [
        `filters[duplicateOf][trackingCode][$startsWith]=${prefix}`,
        `filters[$and][0][duplicateOf][description][$containsi]=a`,
        `filters[$or][0][duplicateOf][caseStatus][$eq]=escalated`,
        `filters[duplicateOf][assignee][email][$startsWith]=officer`,
        `filters[duplicateOf][department][code][$eq]=ROADS`,
        `filters[$not][duplicateOf][id][$notNull]=true`,
        `filters[events][grievance][citizenPhone][$eq]=%2B911234567890`,
        `filters[duplicateOf][citizenPhone][$eq]=%2B911234567890`,
        `sort=duplicateOf.trackingCode:asc`,
        `sort[0]=updatedAt:desc&sort[1]=duplicateOf.submittedAt:asc`,
      ]) {
        const res = await list(query);
        expect([email, query, res.status, res.body.error?.details?.code]).toEqual([email, query, 400, 'VALIDATION']);
      }
      // Relations into anything else still filter.
      expect((await list('filters[department][code][$eq]=WATER')).status).toBe(200);
    }
    // Case events are scoped through their case: their list still answers.
    const events = await app.http().get(`${cmPath('api::grievance-event.grievance-event')}?page=1&pageSize=5`).set('Authorization', `Bearer ${await app.tokenFor(ADMIN_ROLES.projectAdmin)}`);
    expect(events.status).toBeLessThan(400);
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { duplicateOf: null } });
  });

  it("a linked case's own likely duplicates and sealed contact do not come with it", async () => {
    const { mine } = await officersCase();
    const linked = await caseOf({ project: { code: 'DIST' }, department: { code: 'WATER' }, id: { $ne: mine.id } });
    const hidden = await caseOf({ project: { code: 'DIST' }, department: { code: 'HEALTH' } });
    await q(GRIEVANCE).update({ where: { id: linked.id }, data: { citizenName: 'Asha Devi', intakeAnalysis: { duplicates: [{ trackingCode: hidden.trackingCode, documentId: hidden.documentId, score: 0.9 }] } } });
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { duplicateOf: linked.id } });
    for (const email of [ADMIN_ROLES.officerWater, ADMIN_ROLES.viewer]) {
      const token = await app.tokenFor(email);
      // The viewer reads the whole project: the duplicate is theirs to see; the officer's is not.
      const mayRead = (await app.http().get(cmPath(GRIEVANCE, hidden.documentId)).set('Authorization', `Bearer ${token}`)).status === 200;
      expect([email, mayRead]).toEqual([email, email === ADMIN_ROLES.viewer]);
      for (const query of [{ 'populate[duplicateOf][fields][0]': 'intakeAnalysis' }, { populate: '*' }, { 'populate[duplicateOf][populate]': '*' }, { 'populate[duplicateOf][fields][0]': 'citizenName' }]) {
        const res = await app.http().get(cmPath(GRIEVANCE, mine.documentId)).query(query).set('Authorization', `Bearer ${token}`);
        expect(res.status).toBeLessThan(500);
        const text = JSON.stringify(res.body);
        const link = JSON.stringify(res.body.data?.duplicateOf ?? null);
        expect([email, query, text.includes(hidden.documentId), link.includes('citizenName'), link.includes('enc:')]).toEqual([email, query, mayRead && text.includes(hidden.documentId), false, false]);
      }
    }
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { duplicateOf: null } });
  });

  it('relation answers never select the secret hash, the phone index or the sealed contact', async () => {
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const event = await q('api::grievance-event.grievance-event').findOne({ populate: { grievance: true } });
    for (const field of ['secretHash', 'citizenPhoneIndex', 'citizenPhone', 'citizenName', 'citizenEmail']) {
      for (const path of [`/content-manager/relations/api::grievance-event.grievance-event/grievance`, `/content-manager/relations/api::grievance-event.grievance-event/${event.documentId}/grievance`]) {
        const res = await app.http().get(path).query({ 'fields[0]': field }).set('Authorization', `Bearer ${token}`);
        expect([field, path, res.status, res.body.error?.details?.code]).toEqual([field, path, 400, 'VALIDATION']);
      }
    }
  });

  it('likely duplicates name only cases the reader may read', async () => {
    const { mine } = await officersCase();
    const hidden = await caseOf({ project: { code: 'DIST' }, department: { code: 'HEALTH' } });
    const visible = await caseOf({ id: mine.id });
    await q(GRIEVANCE).update({
      where: { id: mine.id },
      data: { intakeAnalysis: { ...(mine.intakeAnalysis ?? {}), duplicates: [
        { trackingCode: hidden.trackingCode, documentId: hidden.documentId, score: 0.9 },
        { trackingCode: visible.trackingCode, documentId: visible.documentId, score: 0.8 },
      ] } },
    });
    const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
    const actions = await officer.actions(mine.documentId);
    expect(actions.status).toBe(200);
    expect(actions.body.data.analysis.duplicates.map((d: any) => d.trackingCode)).toEqual([visible.trackingCode]);
    const cm = await cmAs(app, ADMIN_ROLES.officerWater);
    const opened = await cm.get(GRIEVANCE, mine.documentId);
    expect(JSON.stringify(opened.body)).not.toContain(hidden.trackingCode);
    const head = await workflowAs(app, ADMIN_ROLES.superAdmin);
    expect((await head.actions(mine.documentId)).body.data.analysis.duplicates).toHaveLength(2);
  });
});

describe('the sensitive flag', () => {
  it('cannot be cleared in the form, whoever saves it', async () => {
    const documentId = await fileCase(app, 'DIST-GBV', 'Harassment at the ration shop.');
    for (const email of [ADMIN_ROLES.superAdmin, ADMIN_ROLES.projectAdmin]) {
      for (const value of [false, null, 0, '0', 'false', '']) {
        const res = await (await cmAs(app, email)).update(GRIEVANCE, documentId, { sensitive: value });
        expect([email, value, res.status, res.body.error?.details?.code, res.body.error?.details?.fields]).toEqual([email, value, 400, 'NOT_EDITABLE', ['sensitive']]);
      }
    }
    // Nor by an officer on a case of his own that was marked sensitive by hand.
    const { mine } = await officersCase();
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { sensitive: true } });
    for (const value of [null, 0, '0', 'false']) {
      const res = await (await cmAs(app, ADMIN_ROLES.officerWater)).update(GRIEVANCE, mine.documentId, { sensitive: value });
      expect([value, res.status, res.body.error?.details?.code]).toEqual([value, 400, 'NOT_EDITABLE']);
    }
    expect((await caseOf({ id: mine.id })).sensitive).toBe(true);
    await q(GRIEVANCE).update({ where: { id: mine.id }, data: { sensitive: false } });
    expect((await caseOf({ documentId })).sensitive).toBe(true);
  });

  it('is cleared by the workflow with a step-up and a reason, audited, never on a sensitive category', async () => {
    const gbv = await fileCase(app, 'DIST-GBV', 'Harassment at the ration shop.');
    const misfiled = await fileCase(app, 'DIST-WATER-SUPPLY', 'No water in the tap for two days.');
    // Marking a case sensitive is a protective edit anyone who may edit it can make.
    const admin = await cmAs(app, ADMIN_ROLES.projectAdmin);
    expect((await admin.update(GRIEVANCE, misfiled, { sensitive: true })).status).toBe(200);
    const row = await caseOf({ documentId: misfiled });
    expect(row.sensitive).toBe(true);
    const tracked = await app.http().get(`/api/grievances/track/${row.trackingCode}`);
    expect(tracked.body.data.category).toBeUndefined();

    const flow = await workflowAs(app, ADMIN_ROLES.projectAdmin);
    const unmark = (documentId: string, body: object) => flow.act(documentId, { action: 'unmark_sensitive', version: 0, ...body });
    const noStepUp = await unmark(misfiled, { reason: 'Misfiled: a water supply complaint.' });
    expect([noStepUp.status, noStepUp.body.error?.details?.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    await stepUp(app, ADMIN_ROLES.projectAdmin);
    const noReason = await unmark(misfiled, {});
    expect([noReason.status, noReason.body.error?.details?.code]).toEqual([400, 'VALIDATION']);
    const gbvRefused = await unmark(gbv, { reason: 'Not sensitive.' });
    expect([gbvRefused.status, gbvRefused.body.error?.details?.code]).toEqual([422, 'SENSITIVE_CATEGORY']);
    expect((await caseOf({ documentId: gbv })).sensitive).toBe(true);

    const before = await lastSeq(app);
    const done = await unmark(misfiled, { reason: 'Misfiled: a water supply complaint.' });
    expect(done.status).toBe(200);
    expect((await caseOf({ documentId: misfiled })).sensitive).toBe(false);
    const audit = (await eventsAfter(app, before)).filter((e: any) => e.action === 'workflow.unmark_sensitive');
    expect(audit).toHaveLength(1);
    const history = await flow.history(misfiled);
    expect(history.body.data.find((e: any) => e.action === 'unmark_sensitive')).toMatchObject({ visibility: 'internal', note: 'Misfiled: a water supply complaint.' });
    // A second click finds nothing to clear.
    const again = await unmark(misfiled, { version: 1, reason: 'Again.' });
    expect([again.status, again.body.error?.details?.code]).toEqual([422, 'ILLEGAL_TRANSITION']);
  });

  it('follows the category: reclassifying into a sensitive category makes the case sensitive', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'The tap attendant harasses women at the standpost.');
    const gbv = await q('api::category.category').findOne({ where: { code: 'DIST-GBV', locale: 'en' } });
    const res = await (await cmAs(app, ADMIN_ROLES.projectAdmin)).update(GRIEVANCE, documentId, { category: { connect: [{ documentId: gbv.documentId }] } });
    expect(res.status).toBe(200);
    expect((await caseOf({ documentId })).sensitive).toBe(true);
  });
});
