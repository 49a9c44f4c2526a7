/** The Public role of the content API: reference data only, public fields only, strict parameters. */
import { startApp, TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 5 });
});
afterAll(async () => {
  await app.stop();
});

it('lists projects with their localised names, without private fields', async () => {
  const en = await app.http().get('/api/projects').query({ sort: 'code' });
  expect(en.status).toBe(200);
  expect(en.body.data.map((p: any) => [p.code, p.name])).toEqual([
    ['DIST', 'Riverside District Administration'],
    ['HWAY', 'Eastern Highway Improvement Project'],
  ]);
  expect(en.body.data[0]).not.toHaveProperty('reportRecipients');
  const hi = await app.http().get('/api/projects').query({ locale: 'hi', sort: 'code' });
  expect(hi.body.data[0].name).toBe('रिवरसाइड ज़िला प्रशासन');
  const fr = await app.http().get('/api/projects').query({ locale: 'fr', sort: 'code' });
  expect(fr.body.data[1].name).toBe("Projet d'amélioration de la route de l'Est");
});

it('serves departments, regions and categories for forms, without private fields', async () => {
  const departments = await app.http().get('/api/departments').query({ locale: 'fr', 'filters[code][$eq]': 'WATER' });
  expect(departments.status).toBe(200);
  expect(departments.body.data[0].name).toBe('Eau et assainissement');
  expect(departments.body.data[0]).not.toHaveProperty('head');

  const regions = await app.http().get('/api/regions').query({ 'filters[level][$eq]': 3, 'pagination[pageSize]': 100 });
  expect(regions.status).toBe(200);
  expect(regions.body.data.map((r: any) => r.code)).toEqual(expect.arrayContaining(['DIST-B1', 'DIST-B2', 'DIST-B3']));

  const categories = await app.http().get('/api/categories').query({ 'filters[code][$eq]': 'DIST-LAND-RECORDS', populate: 'intakeFields' });
  expect(categories.status).toBe(200);
  const [land] = categories.body.data;
  expect(land.defaultPriority).toBe('normal');
  expect(land).not.toHaveProperty('keywords');
  expect(land.intakeFields[0]).toMatchObject({ code: 'plot_number', required: true });
});

it('exposes nothing else: no grievances, case history, staff or configuration writes', async () => {
  for (const path of ['/api/grievances', '/api/grievance-events', '/api/staff-profiles', '/api/sla-levels', '/api/notification-templates', '/api/holidays']) {
    const res = await app.http().get(path);
    expect([403, 404]).toContain(res.status);
  }
  const create = await app.http().post('/api/projects').send({ data: { code: 'EVIL', name: 'x' } });
  expect([403, 404, 405]).toContain(create.status);
  expect(await app.strapi.db.query('api::project.project' as any).count({ where: { code: 'EVIL' } })).toBe(0);
  // Relations to case data cannot be pulled in through populate either.
  const populated = await app.http().get('/api/departments').query({ populate: '*' });
  expect(JSON.stringify(populated.body)).not.toMatch(/citizen|trackingCode/);
});

it('refuses unknown query parameters with 400 VALIDATION', async () => {
  const res = await app.http().get('/api/projects').query({ foo: 'bar' });
  expect(res.status).toBe(400);
  expect(res.body.error.details.code).toBe('VALIDATION');
  expect(res.body.error.message).toMatch(/foo/);
});

it('caps the page size', async () => {
  const res = await app.http().get('/api/regions').query({ 'pagination[pageSize]': 10000 });
  expect(res.status).toBe(200);
  expect(res.body.meta.pagination.pageSize).toBeLessThanOrEqual(100);
});

it('offers English, French and Hindi, English by default', async () => {
  const locales = await app.strapi.plugin('i18n').service('locales').find();
  expect(locales.map((l: { code: string }) => l.code).sort()).toEqual(['en', 'fr', 'hi']);
  expect(await app.strapi.plugin('i18n').service('locales').getDefaultLocale()).toBe('en');
});

it('keeps the users-permissions login and registration closed to the public, however often tried: no password is checked there', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 11; i += 1) {
    statuses.push((await app.http().post('/api/auth/local').send({ identifier: 'nobody@example.org', password: 'wrong-password' })).status);
  }
  // Refused by the route's permission before any password check, so there is nothing to count or limit.
  expect(statuses).toEqual(Array(11).fill(403));
  expect((await app.http().post('/api/auth/local/register').send({ username: 'spam', email: 'spam@example.org', password: 'Spam-Password-1' })).status).toBe(403);
  expect(await app.strapi.db.query('plugin::users-permissions.user').count({})).toBe(0);
});
