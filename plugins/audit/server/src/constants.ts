export const PLUGIN_ID = 'audit';
export const AUDIT_UID = 'plugin::audit.audit-event';
export const AUDIT_TABLE = 'audit_events';
/** Key of the PostgreSQL advisory lock that serialises appends (any constant unique to this use). */
export const APPEND_LOCK_KEY = 7_740_311;
/** Events read per page by verify and export: bounded memory on any chain length. */
export const PAGE_SIZE = 2000;

export const READ_ACTION = 'plugin::audit.read';

/** Roles whose readers see the whole trail; anyone else granted READ_ACTION sees their projects' events. */
export const WHOLE_TRAIL_ROLES = ['strapi-super-admin', 'grm-viewer'];

export const UID = {
  grievance: 'api::grievance.grievance',
  staffProfile: 'api::staff-profile.staff-profile',
} as const;
