export default ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'global::error-codes',
  'plugin::audit.request-audit',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      // Public sites that may call the content API; '*' is never the default.
      origin: env.array('CORS_ORIGINS', ['http://localhost:1337']),
      credentials: false,
    },
  },
  'strapi::poweredBy',
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
  'global::request-shape',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
