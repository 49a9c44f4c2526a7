export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // Number of reverse proxies in front of the app whose X-Forwarded-For we trust (docs/security.md).
  proxy: env.int('TRUSTED_PROXY_HOPS', 0) > 0
    ? { koa: { proxyIpHeader: 'X-Forwarded-For', maxIpsCount: env.int('TRUSTED_PROXY_HOPS', 0) } }
    : false,
  app: {
    keys: env.array('APP_KEYS'),
  },
  cron: {
    enabled: env.bool('CRON_ENABLED', true),
  },
  logger: {
    updates: { enabled: false },
    startup: { enabled: env.bool('STARTUP_LOG', true) },
  },
});
