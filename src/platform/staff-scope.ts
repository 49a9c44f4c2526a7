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

export async function loadStaffScope(userId: number): Promise<StaffScope> {
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
