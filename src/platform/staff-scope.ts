/**
 * What a staff member is responsible for, read from their staff profile. RBAC conditions and
 * (later) routing use it.
 */
import { UID } from './uids';

export interface StaffScope {
  projectDocumentIds: string[];
  departmentDocumentIds: string[];
  /** Regions on the profile and every region below them. */
  regionDocumentIds: string[];
}

const EMPTY: StaffScope = { projectDocumentIds: [], departmentDocumentIds: [], regionDocumentIds: [] };

/**
 * One read per staff member and request. Strapi builds a staff member's abilities by running
 * every RBAC condition of every permission of their roles, each of which asks for the scope:
 * without this, a single admin request read the staff profile seven times (28 statements).
 * The memo lives as long as the request's context, so a changed profile counts from the next
 * request on; outside a request (scripts, the sweep) every call reads afresh.
 */
const perRequest = new WeakMap<object, Map<number, Promise<StaffScope>>>();

export function loadStaffScope(userId: number): Promise<StaffScope> {
  return memoPerRequest(perRequest, userId, () => readStaffScope(userId));
}

/** `read()` once per request context and key; a failed read is not kept. */
export function memoPerRequest<K, V>(store: WeakMap<object, Map<K, Promise<V>>>, key: K, read: () => Promise<V>): Promise<V> {
  const context = strapi.requestContext.get() as object | undefined;
  if (!context) return read();
  let memo = store.get(context);
  if (!memo) store.set(context, (memo = new Map()));
  let value = memo.get(key);
  if (!value) {
    value = read();
    memo.set(key, value);
    value.catch(() => memo!.delete(key));
  }
  return value;
}

async function readStaffScope(userId: number): Promise<StaffScope> {
  const profile = await strapi.db.query(UID.staffProfile as any).findOne({
    where: { user: { id: userId }, active: true },
    populate: {
      projects: { select: ['documentId'] },
      departments: { select: ['documentId'] },
      regions: { select: ['documentId'] },
    },
  });
  if (!profile) return EMPTY;
  const docIds = (rows: Array<{ documentId: string }> = []) => [...new Set(rows.map((r) => r.documentId))];
  return {
    projectDocumentIds: docIds(profile.projects),
    departmentDocumentIds: docIds(profile.departments),
    regionDocumentIds: await withDescendants(docIds(profile.regions)),
  };
}

/** Breadth-first walk down the region tree; one query per level (a tree is a handful of levels deep). */
async function withDescendants(roots: string[]): Promise<string[]> {
  const seen = new Set(roots);
  let frontier = roots;
  while (frontier.length > 0) {
    const children = await strapi.db.query(UID.region as any).findMany({
      where: { parent: { documentId: { $in: frontier } } },
      select: ['documentId'],
    });
    frontier = children.map((c: { documentId: string }) => c.documentId).filter((id: string) => !seen.has(id));
    frontier.forEach((id) => seen.add(id));
  }
  return [...seen];
}
