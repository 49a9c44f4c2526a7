/**
 * Staff see only what their role and staff profile allow, proven through the admin API that
 * the content manager itself calls.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs, cmList } from '../helpers/content-manager';

const GRIEVANCE = 'api::grievance.grievance';
let app: TestApp;

const userId = async (email: string) => (await app.strapi.db.query('admin::user').findOne({ where: { email } })).id;
const listed = async (email: string) => {
  const res = await cmList(app, email, GRIEVANCE, { pageSize: 500 });
  expect(res.status).toBe(200);
  return res.body as { results: any[]; pagination: { total: number } };
};
const countWhere = (where: Record<string, unknown>) => app.strapi.db.query(GRIEVANCE as any).count({ where });

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 40 });
});
afterAll(async () => {
  await app.stop();
});

it('an officer sees exactly the cases assigned to them', async () => {
  const me = await userId(ADMIN_ROLES.officerWater);
  const { results, pagination } = await listed(ADMIN_ROLES.officerWater);
  const expected = await countWhere({ assignee: { id: me } });
  expect(expected).toBeGreaterThan(0);
  expect(pagination.total).toBe(expected);
  const ids = results.map((r) => r.id);
  const assigned = await app.strapi.db.query(GRIEVANCE as any).findMany({ where: { id: { $in: ids } }, populate: { assignee: true } });
  expect(assigned.every((g: any) => g.assignee?.id === me)).toBe(true);
});

it("an officer cannot open or edit another officer's case", async () => {
  const roads = await userId(ADMIN_ROLES.officerRoads);
  const other = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { assignee: { id: roads } } });
  const cm = await cmAs(app, ADMIN_ROLES.officerWater);
  const read = await cm.get(GRIEVANCE, other.documentId);
  expect(read.status).toBe(403);
  expect(read.body.error.details.code).toBe('NOT_ALLOWED');
  const edit = await cm.update(GRIEVANCE, other.documentId, { description: 'overwritten' });
  expect(edit.status).toBe(403);
  const after = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { id: other.id } });
  expect(after.description).toBe(other.description);
});

it("a department head sees only their department's cases", async () => {
  const { results, pagination } = await listed(ADMIN_ROLES.headWater);
  expect(pagination.total).toBe(await countWhere({ department: { code: 'WATER' } }));
  expect(pagination.total).toBeGreaterThan(0);
  expect(new Set(results.map((r) => r.department?.code))).toEqual(new Set(['WATER']));
});

it("a project admin sees only their projects' cases", async () => {
  const { results, pagination } = await listed(ADMIN_ROLES.projectAdmin);
  expect(pagination.total).toBe(await countWhere({ project: { code: 'DIST' } }));
  expect(new Set(results.map((r) => r.project?.code))).toEqual(new Set(['DIST']));
  const hway = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { project: { code: 'HWAY' } } });
  const cm = await cmAs(app, ADMIN_ROLES.projectAdmin);
  expect((await cm.get(GRIEVANCE, hway.documentId)).status).toBe(403);
});

it("a viewer reads every case but never a citizen's contact details", async () => {
  const { results, pagination } = await listed(ADMIN_ROLES.viewer);
  expect(pagination.total).toBe(await countWhere({}));
  const withContact = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { citizenPhone: { $notNull: true } } });
  const cm = await cmAs(app, ADMIN_ROLES.viewer);
  const one = await cm.get(GRIEVANCE, withContact.documentId);
  expect(one.status).toBe(200);
  expect(one.body.data.description).toBe(withContact.description);
  expect(one.body.data).not.toHaveProperty('citizenPhone');
  expect(one.body.data).not.toHaveProperty('citizenName');
  for (const row of results) expect(row).not.toHaveProperty('citizenPhone');
  const edit = await cm.update(GRIEVANCE, withContact.documentId, { description: 'changed by a reviewer' });
  expect(edit.status).toBe(403);
});

it('an intake clerk can file a case but not edit one', async () => {
  const any = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { project: { code: 'DIST' } } });
  const cm = await cmAs(app, ADMIN_ROLES.intake);
  expect((await cm.update(GRIEVANCE, any.documentId, { description: 'changed' })).status).toBe(403);
});

it('the "in my regions" condition includes every sub-region', async () => {
  // A role of the operator's own making, scoped by region: a block officer of Northbank (DIST-B1).
  const roleService = app.strapi.service('admin::role');
  const role = await roleService.create({ name: 'Block officer', description: 'Cases in my block' });
  const fields = app.strapi.service('admin::content-type').getNestedFields(app.strapi.contentTypes[GRIEVANCE], { components: app.strapi.components });
  await roleService.assignPermissions(role.id, [
    { action: 'plugin::content-manager.explorer.read', subject: GRIEVANCE, properties: { fields }, conditions: ['api::in-my-regions'] },
  ]);
  const user = await app.strapi.service('admin::user').create({
    email: 'block.officer@demo.local', firstname: 'Block', lastname: 'Officer', password: 'Demo-Password-1', isActive: true, roles: [role.id],
  });
  const block = await app.strapi.db.query('api::region.region' as any).findOne({ where: { code: 'DIST-B1', locale: 'en' } });
  await app.strapi.documents('api::staff-profile.staff-profile' as any).create({
    data: { email: 'block.officer@demo.local', displayName: 'Block Officer', user: user.id, regions: [block.documentId] },
  } as any);

  const { results, pagination } = await listed('block.officer@demo.local');
  const villages = ['DIST-B1-V1', 'DIST-B1-V2', 'DIST-B1-V3'];
  expect(pagination.total).toBe(await countWhere({ region: { code: { $in: villages } } }));
  expect(pagination.total).toBeGreaterThan(0);
  for (const row of results) expect(villages).toContain(row.region.code);
});

it('staff without a profile see no cases at all', async () => {
  const roleService = app.strapi.service('admin::role');
  const officer = await roleService.findOne({ code: 'grm-department-head' });
  await app.strapi.service('admin::user').create({
    email: 'new.head@demo.local', firstname: 'New', lastname: 'Head', password: 'Demo-Password-1', isActive: true, roles: [officer.id],
  });
  // Every condition grants nothing, so the content manager refuses the list outright.
  const res = await cmList(app, 'new.head@demo.local', GRIEVANCE);
  expect(res.status).toBe(403);
  expect(res.body.results).toBeUndefined();
});
