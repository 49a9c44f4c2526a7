export const PLUGIN_ID = 'security';

export const UID = {
  secondFactor: 'plugin::security.second-factor',
  stepUpGrant: 'plugin::security.step-up-grant',
  handover: 'plugin::security.handover',
  slaLevel: 'api::sla-level.sla-level',
  staffProfile: 'api::staff-profile.staff-profile',
  department: 'api::department.department',
} as const;

/** What needs a fresh step-up (the seeds' "OTP and password" rule); the names appear in errors and in the audit log. */
export const STEP_UP_PURPOSES = ['reject', 'unmark_sensitive', 'priority_override', 'roles_and_scopes', 'post_handover', 'personal_data_export', 'second_factor_reset', 'api_tokens'] as const;
export type StepUpPurpose = (typeof STEP_UP_PURPOSES)[number];

export const ERROR = {
  STEP_UP_REQUIRED: 'STEP_UP_REQUIRED',
  STEP_UP_FAILED: 'STEP_UP_FAILED',
  NOT_ENROLLED: 'SECOND_FACTOR_NOT_ENROLLED',
  ALREADY_ENROLLED: 'SECOND_FACTOR_ALREADY_ENROLLED',
  RATE_LIMITED: 'RATE_LIMITED',
  VALIDATION: 'VALIDATION',
  NOT_ALLOWED: 'NOT_ALLOWED',
  HANDOVER_REQUIRED: 'HANDOVER_REQUIRED',
  HANDOVER_PENDING: 'HANDOVER_PENDING',
  HANDOVER_CLOSED: 'HANDOVER_CLOSED',
} as const;

/** How long an offered post waits for the colleague's answer. */
export const HANDOVER_DAYS = 7;

/** TOTP as authenticator apps expect it (RFC 6238 defaults); one step either side forgives a slow phone clock. */
export const TOTP = { digits: 6, period: 30, algorithm: 'SHA1', window: 1, issuer: 'GRM' } as const;

/** Failed step-up attempts per user before a pause (password and code guessing). */
export const STEP_UP_FAILURES = { limit: 5, windowMs: 15 * 60_000 };

export const AUDIT = {
  enrolled: 'security.second_factor_enrolled',
  reset: 'security.second_factor_reset',
  steppedUp: 'security.step_up',
  stepUpFailed: 'security.step_up_failed',
  required: 'security.step_up_required',
  handoverOffered: 'security.handover_offered',
  handoverCompleted: 'security.handover_completed',
  handoverDeclined: 'security.handover_declined',
  handoverWithdrawn: 'security.handover_withdrawn',
} as const;
