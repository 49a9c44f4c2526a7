export default ({ env }) => ({
  // Scheduled jobs run only when a test turns them on.
  cron: { enabled: env.bool('CRON_ENABLED', false) },
  logger: { updates: { enabled: false }, startup: { enabled: false } },
});
