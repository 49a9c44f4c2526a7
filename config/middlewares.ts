/** Where uploaded images are served from when they live in S3 (the media library shows them). */
const storageOrigins = (env: any): string[] => {
  const url = env('S3_PUBLIC_URL', '') || env('S3_ENDPOINT', '');
  try {
    return url ? [new URL(url).origin] : [];
  } catch {
    return [];
  }
};

export default ({ env }) => [
  // Strapi's logger wrote the query string; this one never does (src/middlewares/request-log.ts).
  'global::request-log',
  'strapi::errors',
  'global::error-codes',
  {
    // Strapi's helmet defaults (CSP with default-src 'self' and object-src 'none', HSTS,
    // frame-ancestors 'self', nosniff, no-referrer), plus the storage origin for images.
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'img-src': ["'self'", 'data:', 'blob:', ...storageOrigins(env)],
          'media-src': ["'self'", 'data:', 'blob:', ...storageOrigins(env)],
        },
      },
    },
  },
  {
    name: 'strapi::cors',
    config: {
      // Public sites that may call the content API; '*' is never the default.
      origin: env.array('CORS_ORIGINS', ['http://localhost:1337']),
      credentials: false,
    },
  },
  'strapi::query',
  {
    name: 'strapi::body',
    config: {
      jsonLimit: env('BODY_JSON_LIMIT', '256kb'),
      formLimit: env('BODY_FORM_LIMIT', '256kb'),
      textLimit: env('BODY_TEXT_LIMIT', '256kb'),
      // Webhook signatures are computed over the exact bytes received.
      includeUnparsed: true,
    },
  },
  // After the body parser: refuses request shapes Strapi's own handlers crash on.
  'global::request-shape',
  // The request audit, the sign-in limits and the step-up guard are not listed here: they run
  // inside the route the router matched, keyed on its handler (src/platform/route-guards.ts).
  'strapi::session',
  'strapi::favicon',
  // Before the static file routes: /uploads serves only published reports' files.
  'global::upload-access',
  'strapi::public',
];
