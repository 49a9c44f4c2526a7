/**
 * The content manager's relation pickers (`/content-manager/relations/...`, what the edit form's
 * dropdowns list) offer each localized record once, in the locale being edited, and only records
 * of the edited record's project, or of the staff member's projects for a new record.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { fileCase } from '../helpers/workflow';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 2 });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const GRIEVANCE = 'api::grievance.grievance';

async function pick(email: string, model: string, field: string, query: Record<string, unknown> = {}) {
  const token = await app.tokenFor(email);
  const res = await app.http().get(`/content-manager/relations/${model}/${field}`).query({ pageSize: 100, ...query }).set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  return res.body.results as Array<{ id: number; documentId: string; locale?: string; name?: string; code?: string }>;
}

/** documentIds of the records of a type that belong to a project (through `project` or `projects`). */
async function documentIdsOf(uid: string, projectCode: string, relation: 'project' | 'projects' = 'project') {
  const rows = await app.strapi.db.query(uid as any).findMany({ where: { locale: 'en', [relation]: { code: projectCode } }, select: ['documentId'] });
  return [...new Set(rows.map((r: { documentId: string }) => r.documentId))].sort();
}

const once = (results: Array<{ documentId: string }>) => expect(new Set(results.map((r) => r.documentId)).size).toBe(results.length);
const ids = (results: Array<{ documentId: string }>) => [...new Set(results.map((r) => r.documentId))].sort();

describe("a case's pickers", () => {
  it('list each project once, in the default locale', async () => {
    const projects = await pick(ADMIN_ROLES.superAdmin, GRIEVANCE, 'project');
    once(projects);
    expect(projects.every((p) => p.locale === 'en')).toBe(true);
    const all = await app.strapi.db.query('api::project.project' as any).findMany({ where: { locale: 'en' }, select: ['documentId'] });
    expect(ids(projects)).toEqual(ids(all));
  });

  it("list the departments, categories and regions of the case's own project only, each once", async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Burst pipe.');
    const row = await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { documentId }, populate: { department: true, category: true } });
    // A picker leaves out what the case already holds.
    const departments = await pick(ADMIN_ROLES.superAdmin, GRIEVANCE, 'department', { id: documentId });
    once(departments);
    const dist = await documentIdsOf('api::department.department', 'DIST', 'projects');
    expect(ids(departments)).toEqual(dist.filter((d) => d !== row.department.documentId));
    // None of the other project's departments is offered.
    const highwayOnly = (await documentIdsOf('api::department.department', 'HWAY', 'projects')).filter((d) => !dist.includes(d));
    expect(highwayOnly.length).toBeGreaterThan(0);
    expect(ids(departments).filter((d) => highwayOnly.includes(d))).toEqual([]);

    const categories = await pick(ADMIN_ROLES.superAdmin, GRIEVANCE, 'category', { id: documentId });
    once(categories);
    expect(ids(categories)).toEqual((await documentIdsOf('api::category.category', 'DIST')).filter((c) => c !== row.category.documentId));

    const regions = await pick(ADMIN_ROLES.superAdmin, GRIEVANCE, 'region', { id: documentId });
    once(regions);
    const distRegions = await documentIdsOf('api::region.region', 'DIST');
    expect(regions.length).toBeGreaterThan(0);
    expect(ids(regions).filter((r) => !distRegions.includes(r))).toEqual([]);
  });

  it("a new case's pickers keep to the staff member's projects", async () => {
    // The project admin works for DIST only.
    const projects = await pick(ADMIN_ROLES.projectAdmin, GRIEVANCE, 'project');
    const dist = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
    expect(ids(projects)).toEqual([dist.documentId]);
    const departments = await pick(ADMIN_ROLES.projectAdmin, GRIEVANCE, 'department');
    once(departments);
    expect(ids(departments)).toEqual(await documentIdsOf('api::department.department', 'DIST', 'projects'));
  });

  it('a picker asked for another locale lists that locale, still once each', async () => {
    const projects = await pick(ADMIN_ROLES.superAdmin, GRIEVANCE, 'project', { locale: 'fr' });
    once(projects);
    expect(projects.every((p) => p.locale === 'fr')).toBe(true);
  });
});

it("a category's default-department picker offers only its project's departments", async () => {
  const category = await app.strapi.db.query('api::category.category' as any).findOne({ where: { code: 'DIST-WATER-SUPPLY', locale: 'en' } });
  const departments = await pick(ADMIN_ROLES.superAdmin, 'api::category.category', 'defaultDepartment', { id: category.documentId, locale: 'en' });
  once(departments);
  expect(departments.length).toBeGreaterThan(0);
  const dist = await documentIdsOf('api::department.department', 'DIST', 'projects');
  expect(ids(departments).filter((d) => !dist.includes(d))).toEqual([]);
});
