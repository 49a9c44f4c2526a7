/** Staff case API of the cases plugin, as the admin panel's workflow panel calls it. */
import { ADMIN_ROLES, type TestApp } from './app';

export async function workflowAs(app: TestApp, email: string) {
  const token = await app.tokenFor(email);
  const auth = (req: any) => req.set('Authorization', `Bearer ${token}`);
  const base = (documentId: string) => `/cases/grievances/${documentId}`;
  return {
    actions: (documentId: string) => auth(app.http().get(`${base(documentId)}/actions`)),
    assignees: (documentId: string) => auth(app.http().get(`${base(documentId)}/assignees`)),
    history: (documentId: string) => auth(app.http().get(`${base(documentId)}/history`)),
    act: (documentId: string, body: object) => auth(app.http().post(`${base(documentId)}/transitions`).send(body)),
  };
}

/** Files a new case through intake (the document service), as a citizen or clerk would. */
export async function fileCase(app: TestApp, categoryCode: string, description = 'Test complaint') {
  const category = await app.strapi.db.query('api::category.category' as any).findOne({
    where: { code: categoryCode, locale: 'en' },
    populate: { project: true },
  });
  const created = await app.strapi.documents('api::grievance.grievance' as any).create({
    data: { project: category.project.documentId, category: category.documentId, description },
  } as any);
  return created.documentId as string;
}

export const caseRow = (app: TestApp, documentId: string) =>
  app.strapi.db.query('api::grievance.grievance' as any).findOne({
    where: { documentId },
    populate: { assignee: true, department: true, events: true },
  });

export const userId = async (app: TestApp, email: string) =>
  (await app.strapi.db.query('admin::user').findOne({ where: { email } })).id as number;

/** Takes a new DIST water-supply case to resolved, as its department head and officer would. */
/** `extra` goes with the resolve step (e.g. `visibility: 'public'`). */
export async function resolveAsWaterStaff(app: TestApp, documentId: string, resolution = 'Pipe replaced.', extra: Record<string, unknown> = {}): Promise<void> {
  const head = await workflowAs(app, ADMIN_ROLES.headWater);
  const officer = await workflowAs(app, ADMIN_ROLES.officerWater);
  const steps: Array<[typeof head, object]> = [
    [head, { action: 'acknowledge', version: 0 }],
    [head, { action: 'assign', version: 1, assignee: await userId(app, ADMIN_ROLES.officerWater) }],
    [officer, { action: 'start', version: 2 }],
    [officer, { action: 'resolve', version: 3, resolution, ...extra }],
  ];
  for (const [who, body] of steps) {
    const res = await who.act(documentId, body);
    if (res.status !== 200) throw new Error(`${JSON.stringify(body)} answered ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A case a citizen filed on the portal (with its case secret), resolved by the water officer. */
export async function resolvedCitizenCase(app: TestApp, description = 'Broken pipe near the market.') {
  const res = await app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description } });
  if (res.status !== 201) throw new Error(`submission answered ${res.status} ${JSON.stringify(res.body)}`);
  const { trackingCode, caseSecret } = res.body.data as { trackingCode: string; caseSecret: string };
  const { documentId } = await app.strapi.db.query('api::grievance.grievance' as any).findOne({ where: { trackingCode } });
  await resolveAsWaterStaff(app, documentId);
  return { trackingCode, caseSecret, documentId: documentId as string };
}
