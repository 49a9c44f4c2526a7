/** An SMS or WhatsApp HTTP gateway from `<PREFIX>_GATEWAY_*` variables (docs/notifications.md). */
const gateway = (env: any, prefix: string) => ({
  url: env(`${prefix}_GATEWAY_URL`, ''),
  preset: env(`${prefix}_GATEWAY_PRESET`, 'generic'),
  from: env(`${prefix}_FROM`, ''),
  username: env(`${prefix}_GATEWAY_USERNAME`, ''),
  password: env(`${prefix}_GATEWAY_PASSWORD`, ''),
  token: env(`${prefix}_GATEWAY_TOKEN`, ''),
  bodyTemplate: env(`${prefix}_GATEWAY_BODY`, ''),
  timeoutMs: env.int(`${prefix}_GATEWAY_TIMEOUT_MS`, 15_000),
});

/** Report schedules the operator moved (`REPORTS_CRON_<KIND>`); the others keep the plugin's defaults. */
const reportSchedules = (env: any) =>
  Object.fromEntries(
    ['monthly_public', 'quarterly_public', 'monthly_escalated', 'monthly_performance']
      .map((kind) => [kind, env(`REPORTS_CRON_${kind.toUpperCase()}`, '')])
      .filter(([, rule]) => rule)
  );

export default ({ env }) => ({
  i18n: { enabled: true },
  cases: { enabled: true, resolve: './plugins/cases' },
  audit: { enabled: true, resolve: './plugins/audit' },
  security: {
    enabled: true,
    resolve: './plugins/security',
    config: {
      // Sensitive actions need password + authenticator code (docs/security.md).
      stepUpRequired: env.bool('STEP_UP_REQUIRED', true),
      stepUpWindowMinutes: env.int('STEP_UP_WINDOW_MINUTES', 5),
    },
  },
  escalation: {
    enabled: true,
    resolve: './plugins/escalation',
    config: { sweepCron: env('ESCALATION_SWEEP_CRON', '* * * * *') },
  },
  notifications: {
    enabled: true,
    resolve: './plugins/notifications',
    config: {
      dispatchIntervalMs: env.int('NOTIFICATIONS_DISPATCH_INTERVAL_MS', 5_000),
      maxAttempts: env.int('NOTIFICATIONS_MAX_ATTEMPTS', 8),
      retryBaseMs: env.int('NOTIFICATIONS_RETRY_BASE_MS', 30_000),
      retryMaxMs: env.int('NOTIFICATIONS_RETRY_MAX_MS', 6 * 3_600_000),
      leaseMs: env.int('NOTIFICATIONS_LEASE_MS', 120_000),
      portalUrl: env('PORTAL_URL', env('PUBLIC_URL', '') ? `${env('PUBLIC_URL')}/portal` : ''),
      emailConfigured: Boolean(env('SMTP_HOST', '')),
      messageIdDomain: env('EMAIL_MESSAGE_ID_DOMAIN', 'grm.local'),
      // `outbox` keeps e-mail, SMS and WhatsApp in the demo outbox instead of sending them
      // (npm run demo sets it); refused in production unless explicitly allowed (docs/notifications.md).
      delivery: env('NOTIFICATIONS_DELIVERY', ''),
      demoOutboxInProduction: env.bool('NOTIFICATIONS_DEMO_OUTBOX_IN_PRODUCTION', false),
      sms: gateway(env, 'SMS'),
      whatsapp: gateway(env, 'WHATSAPP'),
    },
  },
  reports: { enabled: true, resolve: './plugins/reports', config: { schedules: reportSchedules(env) } },
  open311: { enabled: true, resolve: './plugins/open311', config: { contact: env('OPEN311_CONTACT', '') } },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET'),
      // Brute-force protection on the citizen/user login and password routes.
      ratelimit: {
        enabled: env.bool('AUTH_RATELIMIT_ENABLED', true),
        interval: env.int('AUTH_RATELIMIT_INTERVAL_MS', 60_000),
        max: env.int('AUTH_RATELIMIT_MAX', 5),
      },
    },
  },
  upload: env('UPLOAD_PROVIDER', 'local') === 'aws-s3'
    ? {
        config: {
          provider: 'aws-s3',
          providerOptions: {
            baseUrl: env('S3_PUBLIC_URL', undefined),
            rootPath: env('S3_ROOT_PATH', undefined),
            s3Options: {
              credentials: {
                accessKeyId: env('S3_ACCESS_KEY_ID'),
                secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
              },
              endpoint: env('S3_ENDPOINT', undefined),
              forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', false),
              region: env('S3_REGION', 'us-east-1'),
              params: { ACL: env('S3_ACL', 'private'), Bucket: env('S3_BUCKET') },
              // The AWS SDK's default integrity checksums use chunked uploads with trailers that
              // many S3-compatible stores (older MinIO, Ceph, others) reject or store corrupted;
              // WHEN_REQUIRED works with AWS and with them. Set WHEN_SUPPORTED for AWS-only checksums.
              requestChecksumCalculation: env('S3_CHECKSUMS', 'WHEN_REQUIRED'),
              responseChecksumValidation: env('S3_CHECKSUMS', 'WHEN_REQUIRED'),
            },
          },
          sizeLimit: env.int('UPLOAD_SIZE_LIMIT_BYTES', 20 * 1024 * 1024),
        },
      }
    : { config: { sizeLimit: env.int('UPLOAD_SIZE_LIMIT_BYTES', 20 * 1024 * 1024) } },
  email: env('SMTP_HOST', '')
    ? {
        config: {
          provider: 'nodemailer',
          providerOptions: {
            host: env('SMTP_HOST'),
            port: env.int('SMTP_PORT', 587),
            secure: env.bool('SMTP_SECURE', false),
            auth: env('SMTP_USERNAME', '') ? { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') } : undefined,
          },
          settings: {
            defaultFrom: env('EMAIL_FROM', 'grm@localhost'),
            defaultReplyTo: env('EMAIL_REPLY_TO', env('EMAIL_FROM', 'grm@localhost')),
          },
        },
      }
    : {},
});
