/** Staff API of the workflow plugin, as the admin panel's workflow panel calls it. */
import type { TestApp } from './app';

export async function workflowAs(app: TestApp, email: string) {
  const token = await app.tokenFor(email);
  const auth = (req: any) => req.set('Authorization', `Bearer ${token}`);
  const base = (documentId: string) => `/workflow/grievances/${documentId}`;
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
