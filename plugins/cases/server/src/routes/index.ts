const route = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler,
  config: { policies: ['admin::isAuthenticatedAdmin'] },
});

/** The staff case API, one list for both prefixes (each router gets its own route objects: route guards tag them). */
const caseRoutes = () => [
  route('GET', '/grievances/:documentId/actions', 'workflow.actions'),
  route('GET', '/grievances/:documentId/assignees', 'workflow.assignees'),
  route('GET', '/grievances/:documentId/history', 'workflow.history'),
  route('GET', '/grievances/:documentId/transfer-targets', 'workflow.transferTargets'),
  route('GET', '/grievances/:documentId/files', 'workflow.files'),
  route('POST', '/grievances/:documentId/transitions', 'workflow.transition'),
];

export default {
  admin: {
    type: 'admin',
    routes: [...caseRoutes(), route('GET', '/queue', 'queue.list'), route('GET', '/queue/export', 'queue.export')],
  },
  // Integrations written against the workflow plugin's paths keep working for one release
  // (docs/workflow.md, "Staff API"): the same handlers under /workflow.
  workflowAliases: {
    type: 'admin',
    prefix: '/workflow',
    routes: caseRoutes(),
  },
};
