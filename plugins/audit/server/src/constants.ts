export const PLUGIN_ID = 'audit';
export const AUDIT_UID = 'plugin::audit.audit-event';
export const AUDIT_TABLE = 'audit_events';
/** Key of the PostgreSQL advisory lock held by the one sealer at work (any constant unique to this use). */
export const SEAL_LOCK_KEY = 7_740_311;
/** Events sealed per transaction: a burst (a sweep's escalations) is sealed in a few short transactions. */
export const SEAL_BATCH = 1000;
/** Marks every statement of the sealer, so statement counts can tell it from the requests it follows. */
export const SEAL_MARK = '/* audit:seal */';
/** After a COMMIT with events, the sealer runs this much later, so events committed together are sealed together. */
export const SEAL_DELAY_MS = 10;
/** When another instance's sealer holds the lock, try again this much later (it may have missed our events). */
export const SEAL_RETRY_MS = 50;
/** How long a reader waits for the sealer's lock before it reads the chain as sealed so far. */
export const SEAL_WAIT_MS = 5000;
/** Every instance looks for unsealed events this often: the events of an instance that died before sealing. */
export const SEAL_INTERVAL_MS = 2000;
/** Events read per page by verify and export: bounded memory on any chain length. */
export const PAGE_SIZE = 2000;

export const READ_ACTION = 'plugin::audit.read';

/** Roles whose readers see the whole trail; anyone else granted READ_ACTION sees their projects' events. */
export const WHOLE_TRAIL_ROLES = ['strapi-super-admin', 'grm-viewer'];

export const UID = {
  grievance: 'api::grievance.grievance',
  staffProfile: 'api::staff-profile.staff-profile',
} as const;
