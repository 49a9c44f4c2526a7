const route = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler: `workflow.${handler}`,
  config: { policies: ['admin::isAuthenticatedAdmin'] },
});

export default {
  admin: {
    type: 'admin',
    routes: [
      route('GET', '/grievances/:documentId/actions', 'actions'),
      route('GET', '/grievances/:documentId/assignees', 'assignees'),
      route('GET', '/grievances/:documentId/history', 'history'),
      route('GET', '/grievances/:documentId/transfer-targets', 'transferTargets'),
      route('GET', '/grievances/:documentId/files', 'files'),
      route('POST', '/grievances/:documentId/transitions', 'transition'),
    ],
  },
};
