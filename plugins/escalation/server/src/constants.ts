export const UID = {
  grievance: 'api::grievance.grievance',
  grievanceEvent: 'api::grievance-event.grievance-event',
  project: 'api::project.project',
  slaLevel: 'api::sla-level.sla-level',
  holiday: 'api::holiday.holiday',
  region: 'api::region.region',
  department: 'api::department.department',
  staffProfile: 'api::staff-profile.staff-profile',
  slaReminder: 'plugin::escalation.sla-reminder',
} as const;

/** Monday to Friday, when a project does not say otherwise. */
export const DEFAULT_WORKING_DAYS = [1, 2, 3, 4, 5];
