const route = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler: `audit.${handler}`,
  config: { policies: ['admin::isAuthenticatedAdmin'] },
});

export default {
  admin: {
    type: 'admin',
    routes: [
      route('GET', '/events', 'events'),
      route('GET', '/events/export', 'exportEvents'),
      route('GET', '/verify', 'verify'),
      route('GET', '/head', 'head'),
    ],
  },
};
