/**
 * Grievance creation by any path gets the same treatment from the intake function, and the
 * fields only intake and the workflow own cannot be written from outside.
 */
import { normaliseTrackingCode } from '../../src/domain/tracking-code';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';

const GRIEVANCE = 'api::grievance.grievance';
let app: TestApp;

const byCode = async (uid: string, code: string) =>
  app.strapi.db.query(uid as any).findOne({ where: { code, locale: 'en' } });
const connect = (row: { id: number; documentId: string }) => ({ connect: [{ id: row.id, documentId: row.documentId, locale: 'en' }] });
const grievanceCount = () => app.strapi.db.query(GRIEVANCE as any).count({});
const loadGrievance = (documentId: string) =>
  app.strapi.db.query(GRIEVANCE as any).findOne({
    where: { documentId },
    populate: { department: true, project: true, category: true, events: true, assignee: true },
  });

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 12 });
});
afterAll(async () => {
  await app.stop();
});

describe('an intake clerk typing in a paper complaint in the content manager', () => {
  it('gets a tracking code, status submitted, version 0, the category defaults and a received event', async () => {
    const project = await byCode('api::project.project', 'DIST');
    const category = await byCode('api::category.category', 'DIST-WATER-QUALITY');
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const res = await cm.create(GRIEVANCE, {
      project: connect(project),
      category: connect(category),
      description: 'Brown water from the tap in ward 4 since Monday.',
      channel: 'letter',
    });
    expect(res.status).toBe(201);
    const saved = await loadGrievance(res.body.data.documentId);
    expect(normaliseTrackingCode(saved.trackingCode)).toBe(saved.trackingCode);
    expect(saved.trackingCode.startsWith('DIST-')).toBe(true);
    expect(saved.caseStatus).toBe('submitted');
    expect(saved.version).toBe(0);
    expect(saved.escalationLevel).toBe(1);
    expect(saved.priority).toBe('urgent'); // the category's default
    expect(saved.department.code).toBe('WATER'); // the category's default department
    expect(saved.channel).toBe('letter');
    expect(Date.parse(saved.submittedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Level 1 of the district ladder acknowledges within 48 business hours (see deadlines.test.ts).
    expect(Date.parse(saved.acknowledgeDueAt)).toBeGreaterThanOrEqual(Date.parse(saved.submittedAt) + 48 * 3_600_000);
    expect(saved.events).toHaveLength(1);
    expect(saved.events[0]).toMatchObject({ type: 'received', toStatus: 'submitted', actorType: 'staff', actorLabel: 'Lata Joshi' });
  });

  it('refuses status, tracking code, version and SLA fields set with the form, naming them, and writes nothing', async () => {
    const project = await byCode('api::project.project', 'DIST');
    const category = await byCode('api::category.category', 'DIST-ROAD-DAMAGE');
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const before = await grievanceCount();
    const res = await cm.create(GRIEVANCE, {
      project: connect(project),
      category: connect(category),
      description: 'Pothole outside the bus stop.',
      caseStatus: 'closed',
      trackingCode: 'DIST-20200101-AAAAAAAA0',
      version: 7,
      slaState: 'breached',
      escalationLevel: 3,
      resolveDueAt: '2030-01-01T00:00:00.000Z',
    });
    expect([res.status, res.body.error?.details?.code]).toEqual([400, 'NOT_EDITABLE']);
    expect([...res.body.error.details.fields].sort()).toEqual(['caseStatus', 'escalationLevel', 'resolveDueAt', 'slaState', 'trackingCode', 'version']);
    expect(await grievanceCount()).toBe(before);
  });

  it('refuses a grievance without project, category or description with 400 VALIDATION and writes nothing', async () => {
    const before = await grievanceCount();
    const eventsBefore = await app.strapi.db.query('api::grievance-event.grievance-event' as any).count({});
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const res = await cm.create(GRIEVANCE, { description: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('VALIDATION');
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path[0]).sort()).toEqual(['category', 'description', 'project']);
    expect(await grievanceCount()).toBe(before);
    expect(await app.strapi.db.query('api::grievance-event.grievance-event' as any).count({})).toBe(eventsBefore);
  });

  it("refuses a category of another project", async () => {
    const before = await grievanceCount();
    const project = await byCode('api::project.project', 'DIST');
    const foreign = await byCode('api::category.category', 'HWAY-COMPENSATION');
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const res = await cm.create(GRIEVANCE, { project: connect(project), category: connect(foreign), description: 'Compensation not paid.' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('VALIDATION');
    expect(res.body.error.message).toMatch(/another project/);
    expect(await grievanceCount()).toBe(before);
  });
});

describe('the document service (any other creator, e.g. a later public API or import job)', () => {
  it('applies the same intake function', async () => {
    const project = await byCode('api::project.project', 'HWAY');
    const category = await byCode('api::category.category', 'HWAY-GBV-SEA');
    const created = await app.strapi.documents(GRIEVANCE as any).create({
      data: { project: project.documentId, category: category.documentId, description: 'Reported through the service provider.', caseStatus: 'resolved' },
    } as any);
    const saved = await loadGrievance(created.documentId);
    expect(saved.caseStatus).toBe('submitted');
    expect(saved.trackingCode).toMatch(/^HWAY-\d{8}-[0-9A-Z]{9}$/);
    expect(saved.sensitive).toBe(true); // a sensitive category makes a sensitive case
    expect(saved.priority).toBe('urgent');
    expect(saved.department.code).toBe('SAFEGUARD');
    expect(saved.events.map((e: { type: string; actorType: string }) => [e.type, e.actorType])).toEqual([['received', 'system']]);
  });

  it('gives every grievance a distinct tracking code, enforced by a unique index', async () => {
    const rows = await app.strapi.db.query(GRIEVANCE as any).findMany({ select: ['trackingCode'] });
    const codes = rows.map((r: { trackingCode: string }) => r.trackingCode);
    expect(new Set(codes).size).toBe(codes.length);
    const [first, second] = await app.strapi.db.query(GRIEVANCE as any).findMany({ select: ['id', 'trackingCode'], limit: 2 });
    // Read the message rather than `rejects.toThrow`: the SQLite driver's error class comes from
    // the first test file's realm when several suites share a process, so it is not an Error here.
    const failure = await app.strapi.db
      .query(GRIEVANCE as any)
      .update({ where: { id: second.id }, data: { trackingCode: first.trackingCode } })
      .then(() => null, (error: unknown) => error as { message?: string });
    expect(String(failure?.message)).toMatch(/unique|duplicate/i);
  });
});

describe('editing a case in the content manager', () => {
  it('shows status, tracking code, version, assignee and SLA fields as read-only', async () => {
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    const res = await app.http().get(`/content-manager/content-types/${GRIEVANCE}/configuration`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const { metadatas } = res.body.data.contentType;
    for (const field of ['caseStatus', 'trackingCode', 'version', 'assignee', 'slaState', 'resolveDueAt', 'escalationLevel']) {
      expect([field, metadatas[field].edit.editable]).toEqual([field, false]);
    }
    expect(metadatas.description.edit.editable).toBe(true);
    expect(res.body.data.contentType.layouts.list).toEqual(['trackingCode', 'caseStatus', 'priority', 'slaState', 'resolveDueAt', 'department', 'submittedAt']);
  });

  it('cannot change its status, version or tracking code, but can correct the description', async () => {
    const officer = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN_ROLES.officerWater } });
    const mine = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { assignee: { id: officer.id } } });
    const cm = await cmAs(app, ADMIN_ROLES.officerWater);
    // Owned fields changed: refused whole, naming them, and the description is not saved either.
    const refused = await cm.update(GRIEVANCE, mine.documentId, {
      description: `${mine.description} (address corrected)`,
      caseStatus: mine.caseStatus === 'closed' ? 'submitted' : 'closed',
      version: 99,
      trackingCode: 'DIST-20200101-AAAAAAAA0',
    });
    expect([refused.status, refused.body.error.details.code, refused.body.error.details.fields]).toEqual([400, 'NOT_EDITABLE', ['caseStatus', 'version', 'trackingCode']]);
    expect((await loadGrievance(mine.documentId)).description).toBe(mine.description);
    // The form's echo of the same values is fine.
    const res = await cm.update(GRIEVANCE, mine.documentId, {
      description: `${mine.description} (address corrected)`,
      caseStatus: mine.caseStatus,
      version: mine.version,
      trackingCode: mine.trackingCode,
    });
    expect(res.status).toBe(200);
    const saved = await loadGrievance(mine.documentId);
    expect(saved.description).toMatch(/address corrected/);
    expect(saved.caseStatus).toBe(mine.caseStatus);
    expect(saved.version).toBe(mine.version);
    expect(saved.trackingCode).toBe(mine.trackingCode);
  });

  it('cannot blank the description or move the case to a category of another project', async () => {
    const any = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { project: { code: 'DIST' } } });
    const foreign = await byCode('api::category.category', 'HWAY-ACCESS');
    const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
    const blank = await cm.update(GRIEVANCE, any.documentId, { description: '' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.code).toBe('VALIDATION');
    const moved = await cm.update(GRIEVANCE, any.documentId, { category: connect(foreign) });
    expect(moved.status).toBe(400);
    const saved = await loadGrievance(any.documentId);
    expect(saved.description).toBe(any.description);
    expect(saved.category.code.startsWith('DIST-')).toBe(true);
  });

  it('never deletes a grievance, not even for a super admin', async () => {
    const any = await app.strapi.db.query(GRIEVANCE as any).findOne({});
    const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
    const res = await cm.remove(GRIEVANCE, any.documentId);
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('NOT_ALLOWED');
    expect(await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { id: any.id } })).not.toBeNull();
  });

  it('cannot edit or delete case history', async () => {
    const event = await app.strapi.db.query('api::grievance-event.grievance-event' as any).findOne({});
    const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
    const edit = await cm.update('api::grievance-event.grievance-event', event.documentId, { note: 'rewritten' });
    expect(edit.status).toBe(403);
    const remove = await cm.remove('api::grievance-event.grievance-event', event.documentId);
    expect(remove.status).toBe(403);
    const after = await app.strapi.db.query('api::grievance-event.grievance-event' as any).findOne({ where: { id: event.id } });
    expect(after.note).toBe(event.note);
  });
});
