/**
 * What a relation picker of the content manager offers (docs/roles.md, "Relation pickers"):
 * localized records once, in the locale being edited (the default locale for a record that is not
 * localized, such as a case), and only records of the project the edited record belongs to, or,
 * for a new record or a pick of projects themselves, of the staff member's projects (super admins:
 * every project). Without this a case's department picker listed every project's departments,
 * each three times, once per locale.
 */
import { loadStaffScope } from './staff-scope';
import { UID } from './uids';

/** For each target: the path from it to the documentId of the project it belongs to. */
const PROJECT_PATH: Record<string, string[]> = {
  [UID.project]: ['documentId'],
  [UID.department]: ['projects', 'documentId'],
  [UID.category]: ['project', 'documentId'],
  [UID.region]: ['project', 'documentId'],
  [UID.slaLevel]: ['project', 'documentId'],
  [UID.holiday]: ['project', 'documentId'],
  [UID.notificationTemplate]: ['project', 'documentId'],
  [UID.grievance]: ['project', 'documentId'],
};

/** Roles that work across every project. */
const EVERY_PROJECT_ROLES = ['strapi-super-admin'];

/** `{ projects: { documentId: value } }` from `['projects', 'documentId']`. */
export function nestedFilter(path: string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
}

/** The projects an existing record belongs to, through `project`, `projects` or its case; null when it has none. */
async function projectsOfRecord(uid: string, documentId: string): Promise<string[] | null> {
  if (uid === UID.project) return null; // a project's own pickers link it to others: the staff member's scope applies
  const attributes = (strapi.contentTypes as any)[uid]?.attributes ?? {};
  const populate: Record<string, unknown> = {};
  if (attributes.project?.target === UID.project) populate.project = { select: ['documentId'] };
  if (attributes.projects?.target === UID.project) populate.projects = { select: ['documentId'] };
  if (attributes.grievance?.target === UID.grievance) populate.grievance = { select: ['id'], populate: { project: { select: ['documentId'] } } };
  if (Object.keys(populate).length === 0) return null;
  const row = await strapi.db.query(uid as any).findOne({ where: { documentId }, populate });
  if (!row) return null;
  const ids = [row.project?.documentId, ...(row.projects ?? []).map((p: { documentId: string }) => p.documentId), row.grievance?.project?.documentId].filter(Boolean);
  return ids.length > 0 ? [...new Set<string>(ids)] : null;
}

/**
 * The filter that keeps a picker of `targetUid` (opened on `sourceUid`, record `sourceDocumentId`
 * when it exists) to the right project; null when nothing narrows it.
 */
export async function relationProjectFilter(
  sourceUid: string,
  sourceDocumentId: string | undefined,
  targetUid: string,
  user: { id: number; roles?: Array<{ code: string }> } | undefined
): Promise<Record<string, unknown> | null> {
  const path = PROJECT_PATH[targetUid];
  if (!path || !user) return null;
  let projects: string[] | null = null;
  if (sourceDocumentId && targetUid !== UID.project) projects = await projectsOfRecord(sourceUid, sourceDocumentId);
  if (!projects) {
    if ((user.roles ?? []).some((r) => EVERY_PROJECT_ROLES.includes(r.code))) return null;
    projects = (await loadStaffScope(user.id)).projectDocumentIds;
  }
  // An empty scope offers nothing, rather than an `$in: []` that some drivers read as "no filter".
  return nestedFilter(path, { $in: projects.length > 0 ? projects : ['-'] });
}

/** The locale a picker lists a localized target in: the one asked for, else the default. */
export async function pickerLocale(targetUid: string, asked: unknown): Promise<string | null> {
  const target = (strapi.contentTypes as any)[targetUid];
  if (!target || !strapi.plugin('i18n').service('content-types').isLocalizedContentType(target)) return null;
  if (typeof asked === 'string' && asked !== '') return asked;
  return strapi.plugin('i18n').service('locales').getDefaultLocale();
}
