/**
 * Browser test: the project administrator tightens an SLA level in the form and, before saving,
 * previews which open cases the change would breach and escalate.
 */
import { ADMIN_ROLES } from '../helpers/app';
import { browserSuite } from '../helpers/browser';
import { caseRow, fileCase, workflowAs } from '../helpers/workflow';

const suite = browserSuite({ grievancesPerProject: 4 });
const DAY = 86_400_000;

it('previews the impact of an unsaved SLA level change from the edit view', async () => {
  const { app } = suite;
  const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Tanker did not come to Belgaon.');
  await (await workflowAs(app, ADMIN_ROLES.headWater)).act(documentId, { action: 'acknowledge', version: 0 });
  await app.strapi.db.query('api::grievance.grievance' as any).update({ where: { documentId }, data: { slaStartedAt: new Date(Date.now() - 10 * DAY) } });
  const { trackingCode } = await caseRow(app, documentId);
  const level = await app.strapi.db.query('api::sla-level.sla-level' as any).findOne({ where: { project: { code: 'DIST' }, order: 1, locale: 'en' } });

  const page = await suite.logIn(ADMIN_ROLES.projectAdmin, { width: 1440, height: 1100 });
  await page.goto(`${app.baseUrl}/admin/content-manager/collection-types/api::sla-level.sla-level/${level.documentId}?plugins[i18n][locale]=en`);
  const hours = page.locator('input[name="resolveWithinHours"]');
  await hours.waitFor({ timeout: 60_000 });
  await hours.fill('1');
  await page.getByTestId('sla-preview').click();
  const result = page.getByTestId('sla-preview-result');
  await result.waitFor({ timeout: 30_000 });
  await result.getByText(trackingCode).waitFor();
  expect(await result.innerText()).toMatch(/would escalate: [1-9]/i);
  await suite.screenshot(page, 'sla-level-preview.png');

  // A preview changes nothing: the form is unsaved and the case keeps its deadlines.
  expect(await caseRow(app, documentId)).toMatchObject({ escalationLevel: 1, slaState: 'on_track' });
});
