const route = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler: `security.${handler}`,
  config: { policies: ['admin::isAuthenticatedAdmin'] },
});

export default {
  admin: {
    type: 'admin',
    routes: [
      route('GET', '/second-factor', 'status'),
      route('POST', '/second-factor', 'enrol'),
      route('POST', '/second-factor/confirm', 'confirm'),
      route('DELETE', '/second-factor/:userId', 'reset'),
      route('POST', '/step-up', 'stepUp'),
      route('GET', '/handovers', 'handovers'),
      route('POST', '/handovers', 'offer'),
      route('POST', '/handovers/:id/accept', 'accept'),
      route('POST', '/handovers/:id/close', 'closeHandover'),
    ],
  },
};
