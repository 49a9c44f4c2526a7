/** The admin content-manager API, as the admin panel calls it. */
import type { TestApp } from './app';

export const cmPath = (uid: string, documentId?: string) =>
  `/content-manager/collection-types/${uid}${documentId ? `/${documentId}` : ''}`;

export async function cmList(app: TestApp, email: string, uid: string, query: Record<string, string | number> = {}) {
  const token = await app.tokenFor(email);
  return app.http().get(cmPath(uid)).query({ page: 1, pageSize: 100, ...query }).set('Authorization', `Bearer ${token}`);
}

export async function cmAs(app: TestApp, email: string) {
  const token = await app.tokenFor(email);
  const auth = (req: any) => req.set('Authorization', `Bearer ${token}`);
  return {
    get: (uid: string, documentId: string) => auth(app.http().get(cmPath(uid, documentId))),
    create: (uid: string, body: object) => auth(app.http().post(cmPath(uid)).send(body)),
    update: (uid: string, documentId: string, body: object) => auth(app.http().put(cmPath(uid, documentId)).send(body)),
    remove: (uid: string, documentId: string) => auth(app.http().delete(cmPath(uid, documentId))),
  };
}
