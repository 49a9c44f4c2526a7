export const PLUGIN_ID = 'cases';

export const UID = {
  grievance: 'api::grievance.grievance',
  grievanceEvent: 'api::grievance-event.grievance-event',
  transferRequest: 'api::transfer-request.transfer-request',
  project: 'api::project.project',
  department: 'api::department.department',
  slaLevel: 'api::sla-level.sla-level',
  staffProfile: 'api::staff-profile.staff-profile',
} as const;

/** Admin role codes and the workflow role each one plays. */
export const ROLE_BY_ADMIN_ROLE: Record<string, 'admin' | 'project_admin' | 'department_head' | 'officer' | 'intake' | 'viewer'> = {
  'strapi-super-admin': 'admin',
  'grm-project-admin': 'project_admin',
  'grm-department-head': 'department_head',
  'grm-officer': 'officer',
  'grm-intake-clerk': 'intake',
  'grm-viewer': 'viewer',
};

/** Staff actions that need a fresh step-up (password and authenticator code) from the security plugin. */
export const STEP_UP_ACTIONS = ['reject', 'unmark_sensitive'] as const;

/** Admin roles whose members may be assigned cases. */
export const ASSIGNABLE_ADMIN_ROLES = ['grm-officer'];

/** HTTP status for each refusal code of the workflow (docs/public-api.md). */
export const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION: 400,
  INVALID_ID: 400,
  UNKNOWN_ACTION: 400,
  ASSIGNEE_OUT_OF_SCOPE: 400,
  NOT_ALLOWED: 403,
  SEGREGATION_OF_DUTIES: 403,
  NOT_FOUND: 404,
  STALE_VERSION: 409,
  ILLEGAL_TRANSITION: 422,
  SENSITIVE_CATEGORY: 422,
};

/** Strapi 5 document ids are 24 lowercase alphanumerics (cuid2). */
export const DOCUMENT_ID = /^[a-z0-9]{24}$/;

/** Columns of the queue's CSV export, in order (docs/workflow.md, "Exporting a view"). */
export const QUEUE_EXPORT_COLUMNS = [
  { key: 'trackingCode', header: 'Tracking code' },
  { key: 'project', header: 'Project' },
  { key: 'category', header: 'Category' },
  { key: 'department', header: 'Department' },
  { key: 'status', header: 'Status' },
  { key: 'priority', header: 'Priority' },
  { key: 'slaState', header: 'SLA' },
  { key: 'level', header: 'Level' },
  { key: 'channel', header: 'Channel' },
  { key: 'submittedAt', header: 'Received' },
  { key: 'dueAt', header: 'Due' },
  { key: 'resolvedAt', header: 'Resolved' },
] as const;

/** Rows the export reads per statement: enough to amortise the round trip, few enough to hold. */
export const QUEUE_EXPORT_BATCH = 2000;
