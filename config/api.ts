export default ({ env }) => ({
  rest: {
    prefix: '/api',
    defaultLimit: env.int('API_DEFAULT_PAGE_SIZE', 25),
    maxLimit: env.int('API_MAX_PAGE_SIZE', 100),
    withCount: true,
    // Unknown query parameters are a 400, not silently ignored.
    strictParams: true,
  },
});
