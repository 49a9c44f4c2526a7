/** Content-type UIDs, in one place. */
export const UID = {
  project: 'api::project.project',
  region: 'api::region.region',
  department: 'api::department.department',
  category: 'api::category.category',
  slaLevel: 'api::sla-level.sla-level',
  notificationTemplate: 'api::notification-template.notification-template',
  staffProfile: 'api::staff-profile.staff-profile',
  grievance: 'api::grievance.grievance',
  grievanceEvent: 'api::grievance-event.grievance-event',
  holiday: 'api::holiday.holiday',
  transferRequest: 'api::transfer-request.transfer-request',
} as const;

/** Configuration types an administrator maintains in the admin panel. */
export const CONFIGURATION_UIDS = [
  UID.project,
  UID.region,
  UID.department,
  UID.category,
  UID.slaLevel,
  UID.notificationTemplate,
  UID.staffProfile,
  UID.holiday,
] as const;

/** Reference data the public portal may read through the content API. */
export const PUBLIC_REFERENCE_UIDS = [UID.project, UID.department, UID.region, UID.category] as const;
