/**
 * Custom admin RBAC conditions (Community edition) that scope staff to their projects,
 * departments, regions or assigned cases. A condition returns a filter on the permission's
 * subject; the content manager applies it to lists as a database filter and to single
 * records in memory, so the paths below must name relations the subject really has.
 */
import { loadStaffScope, memoPerRequest, StaffScope } from './staff-scope';
import { UID } from './uids';
import { OPEN_STATUSES } from '../domain/vocabulary';

type Filter = Record<string, unknown> | boolean;
type ScopeKey = keyof StaffScope;

/** For each condition: the path from each subject to the scoped relation's documentId. */
const PATHS: Record<string, { scope: ScopeKey | null; paths: Record<string, string> }> = {
  'in-my-projects': {
    scope: 'projectDocumentIds',
    paths: {
      [UID.grievance]: 'project.documentId',
      [UID.grievanceEvent]: 'grievance.project.documentId',
      [UID.transferRequest]: 'grievance.project.documentId',
      [UID.project]: 'documentId',
      [UID.category]: 'project.documentId',
      [UID.slaLevel]: 'project.documentId',
      [UID.region]: 'project.documentId',
      [UID.holiday]: 'project.documentId',
      [UID.notificationTemplate]: 'project.documentId',
      [UID.department]: 'projects.documentId',
      [UID.staffProfile]: 'projects.documentId',
    },
  },
  'in-my-departments': {
    scope: 'departmentDocumentIds',
    paths: {
      [UID.grievance]: 'department.documentId',
      [UID.grievanceEvent]: 'grievance.department.documentId',
      [UID.transferRequest]: 'grievance.department.documentId',
      [UID.department]: 'documentId',
      [UID.staffProfile]: 'departments.documentId',
    },
  },
  'in-my-regions': {
    scope: 'regionDocumentIds',
    paths: {
      [UID.grievance]: 'region.documentId',
      [UID.grievanceEvent]: 'grievance.region.documentId',
      [UID.region]: 'documentId',
    },
  },
};

export const CONDITION_IDS = {
  inMyProjects: 'api::in-my-projects',
  inMyDepartments: 'api::in-my-departments',
  inMyRegions: 'api::in-my-regions',
  assignedToMe: 'api::assigned-to-me',
  transferToMyDepartments: 'api::transfer-to-my-departments',
} as const;

const scoped = (name: string) => async (user: { id: number; permission?: { subject?: string } }): Promise<Filter> => {
  const { scope, paths } = PATHS[name];
  const path = paths[user.permission?.subject ?? ''];
  if (!path || !scope) return false;
  const ids = (await loadStaffScope(user.id))[scope];
  // An empty scope grants nothing, rather than an `$in: []` that some drivers read as "no filter".
  if (ids.length === 0) return false;
  return { [path]: { $in: ids } };
};

/**
 * Cases whose pending transfer is addressed to one of the staff member's departments, so that
 * the receiving head can open the case and its request to decide it (docs/workflow.md,
 * "Transfers"). The filter names the cases (and requests) one by one: it ends with the decision,
 * and it never reaches the other cases of the department the transfer comes from.
 */
const pendingPerRequest = new WeakMap<object, Map<number, Promise<any[]>>>();

const pendingTransferToMyDepartments = async (user: { id: number; permission?: { subject?: string } }): Promise<Filter> => {
  const subject = user.permission?.subject ?? '';
  if (subject !== UID.grievance && subject !== UID.transferRequest) return false;
  const { departmentDocumentIds } = await loadStaffScope(user.id);
  if (departmentDocumentIds.length === 0) return false;
  // Asked once per request for both subjects (cases and requests), like the scope itself.
  const pending = await memoPerRequest(pendingPerRequest, user.id, () =>
    strapi.db.query(UID.transferRequest as any).findMany({
      where: { decision: 'pending', toDepartment: { documentId: { $in: departmentDocumentIds } }, grievance: { caseStatus: { $in: [...OPEN_STATUSES] } } },
      select: ['documentId'],
      populate: { grievance: { select: ['documentId'] } },
    })
  );
  const ids: string[] = subject === UID.grievance ? pending.map((p: any) => p.grievance?.documentId).filter(Boolean) : pending.map((p: any) => p.documentId);
  if (ids.length === 0) return false;
  return { documentId: { $in: [...new Set(ids)] } };
};

const ASSIGNEE_PATHS: Record<string, string> = {
  [UID.grievance]: 'assignee.id',
  [UID.grievanceEvent]: 'grievance.assignee.id',
  [UID.transferRequest]: 'grievance.assignee.id',
};

export async function registerRbacConditions(): Promise<void> {
  await strapi.service('admin::permission').conditionProvider.registerMany([
    { displayName: 'In my projects', name: 'in-my-projects', category: 'Grievance redress', handler: scoped('in-my-projects') },
    { displayName: 'In my departments', name: 'in-my-departments', category: 'Grievance redress', handler: scoped('in-my-departments') },
    {
      displayName: 'In my regions (with sub-regions)',
      name: 'in-my-regions',
      category: 'Grievance redress',
      handler: scoped('in-my-regions'),
    },
    {
      displayName: 'Pending transfer to my departments',
      name: 'transfer-to-my-departments',
      category: 'Grievance redress',
      handler: pendingTransferToMyDepartments,
    },
    {
      displayName: 'Assigned to me',
      name: 'assigned-to-me',
      category: 'Grievance redress',
      handler: async (user: { id: number; permission?: { subject?: string } }) => {
        const path = ASSIGNEE_PATHS[user.permission?.subject ?? ''];
        return path ? { [path]: user.id } : false;
      },
    },
  ]);
}
