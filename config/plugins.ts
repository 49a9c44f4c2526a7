export default ({ env }) => ({
  i18n: { enabled: true },
  workflow: { enabled: true, resolve: './plugins/workflow' },
  audit: { enabled: true, resolve: './plugins/audit' },
  escalation: {
    enabled: true,
    resolve: './plugins/escalation',
    config: { sweepCron: env('ESCALATION_SWEEP_CRON', '* * * * *') },
  },
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
