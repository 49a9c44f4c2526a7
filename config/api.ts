/** A messaging channel's webhook settings from `INTAKE_<CHANNEL>_*` (docs/public-api.md). */
const channel = (env: any, name: string) => ({
  secret: env(`INTAKE_${name}_SECRET`, ''),
  verifyToken: env(`INTAKE_${name}_VERIFY_TOKEN`, ''),
  // An empty per-channel setting (as .env.example leaves it) falls back to the default.
  project: env(`INTAKE_${name}_PROJECT`, '') || env('INTAKE_DEFAULT_PROJECT', ''),
  category: env(`INTAKE_${name}_CATEGORY`, '') || env('INTAKE_DEFAULT_CATEGORY', ''),
});

export default ({ env }) => ({
  rest: {
    prefix: '/api',
    defaultLimit: env.int('API_DEFAULT_PAGE_SIZE', 25),
    maxLimit: env.int('API_MAX_PAGE_SIZE', 100),
    withCount: true,
    // Unknown query parameters are a 400, not silently ignored.
    strictParams: true,
  },
  /**
   * Limits per client address on the public routes, counted in the database so they hold
   * across instances (src/platform/rate-limit.ts).
   */
  publicLimits: {
    submit: { limit: env.int('RATE_LIMIT_SUBMIT_PER_MINUTE', 10), windowMs: 60_000 },
    track: { limit: env.int('RATE_LIMIT_TRACK_PER_MINUTE', 120), windowMs: 60_000 },
    citizenAction: { limit: env.int('RATE_LIMIT_CITIZEN_ACTIONS_PER_MINUTE', 10), windowMs: 60_000 },
    // Messaging providers post from few addresses: a generous limit per address.
    channelIntake: { limit: env.int('RATE_LIMIT_CHANNEL_INTAKE_PER_MINUTE', 600), windowMs: 60_000 },
    // Open311 POST requests files cases like the portal's submit does.
    open311Submit: { limit: env.int('RATE_LIMIT_OPEN311_SUBMIT_PER_MINUTE', 10), windowMs: 60_000 },
  },
  /**
   * Wrong case secrets (accept, appeal, feedback, receipt; src/domain/attempt-limits.ts): a hard
   * limit per case and address together; past a number of failures from anywhere, each address
   * must pause between its own failures, so nobody can lock the citizen out of their case.
   */
  caseSecretLimits: {
    perClient: env.int('RATE_LIMIT_ATTEMPTS_PER_CASE_PER_HOUR', 10),
    windowMs: 3_600_000,
    slowdownAfter: env.int('RATE_LIMIT_CASE_SLOWDOWN_AFTER', 20),
    maxPauseSeconds: env.int('RATE_LIMIT_CASE_MAX_PAUSE_SECONDS', 120),
  },
  /**
   * Failed sign-ins (admin panel and users-permissions; src/platform/sign-in-limits.ts): per
   * client address whatever account it tries; per account and address together; past a number
   * of failures on an account from anywhere, each address is paced (never locked out).
   */
  signInLimits: {
    perClient: { limit: env.int('SIGN_IN_FAILURES_PER_CLIENT', 20), windowMs: env.int('SIGN_IN_WINDOW_MINUTES', 15) * 60_000 },
    perAccount: {
      perClient: env.int('SIGN_IN_FAILURES_PER_ACCOUNT', 10),
      windowMs: env.int('SIGN_IN_WINDOW_MINUTES', 15) * 60_000,
      slowdownAfter: env.int('SIGN_IN_SLOWDOWN_AFTER', 10),
      maxPauseSeconds: env.int('SIGN_IN_MAX_PAUSE_SECONDS', 120),
    },
  },
  /**
   * Idempotency-Key claims (src/platform/idempotency.ts): a claim whose request never finished
   * (an instance killed, the database restarted mid-request) is taken over after this long.
   */
  idempotency: { staleMs: env.int('IDEMPOTENCY_STALE_MS', 30_000) },
  /** Citizens' attachments (src/domain/attachments.ts for the accepted types). */
  attachments: {
    maxBytes: env.int('ATTACHMENT_MAX_BYTES', 5 * 1024 * 1024),
    maxFiles: env.int('ATTACHMENT_MAX_FILES', 5),
  },
  /** Stored files: signed download links, image size, removal of unused files (docs/security.md#files). */
  files: {
    // Empty: derived from the first of APP_KEYS.
    linkSecret: env('FILE_LINK_SECRET', ''),
    linkMinutes: env.int('FILE_LINK_MINUTES', 15),
    maxImagePixels: env.int('UPLOAD_MAX_IMAGE_PIXELS', 40_000_000),
    orphanMaxAgeHours: env.float('UPLOAD_ORPHAN_MAX_AGE_HOURS', 48),
    orphanCron: env('UPLOAD_ORPHAN_CRON', '23 * * * *'),
  },
  /** Signed intake webhooks per channel (`POST /api/intake/:channel`); no secret = channel off. */
  channelIntake: {
    whatsapp: channel(env, 'WHATSAPP'),
    facebook: channel(env, 'FACEBOOK'),
    chat: channel(env, 'CHAT'),
    sms: channel(env, 'SMS'),
  },
});
