export default ({ env }) => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET'),
    // The refresh cookie: HttpOnly always; Secure in production over HTTPS (or forced with
    // ADMIN_COOKIE_SECURE=true behind a TLS proxy, with TRUSTED_PROXY_HOPS set); never sent cross-site.
    cookie: {
      sameSite: 'strict',
      ...(env('ADMIN_COOKIE_SECURE', '') === '' ? {} : { secure: env.bool('ADMIN_COOKIE_SECURE') }),
    },
  },
  apiToken: {
    salt: env('API_TOKEN_SALT'),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT'),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY'),
  },
  flags: {
    nps: false,
    promoteEE: false,
  },
  autoOpen: false,
  watchIgnoreFiles: ['**/tests/**', '**/test-output/**', '**/.tmp/**'],
});
