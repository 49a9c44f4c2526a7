/**
 * Guards that belong to particular routes (step-up, sign-in limits, the admin request audit) run inside the route that the router matched, keyed on its
 * handler, never on the text of the URL. The router matches `/ADMIN/login`, `/admin/login/`,
 * `/admin//login` and `/admin/%6Cogin` to the same handler that a guard comparing strings would
 * miss; a guard that runs inside the route cannot be walked around by spelling
 * (docs/security.md, "Guards follow the route").
 *
 * Strapi composes each route as: route info (ctx.state.route), authentication, authorisation,
 * policies, the route's middlewares, the controller. The guards are put in front of the route's
 * own middlewares, for every route, when Strapi registers the routes; each guard reads
 * `routeIdOf(ctx.state.route)` and passes through the routes it does not care about.
 */
import type { Core } from '@strapi/strapi';

type Middleware = (ctx: any, next: () => Promise<unknown>) => Promise<unknown>;

interface RouteInfo {
  handler?: unknown;
  info?: { pluginName?: string; apiName?: string };
}

/**
 * The matched route's handler as one name: `admin::user.update`,
 * `plugin::content-manager.collection-types.update`, `api::grievance.public.track`. Routes whose
 * handler is a function have no name ('').
 */
export function routeIdOf(route: RouteInfo | undefined | null): string {
  if (!route || typeof route.handler !== 'string') return '';
  const handler = route.handler.trim();
  const { pluginName, apiName } = route.info ?? {};
  if (handler.includes('::')) return handler;
  if (pluginName === 'admin') return `admin::${handler}`;
  if (pluginName) return `plugin::${pluginName}.${handler}`;
  if (apiName) return `api::${apiName}.${handler}`;
  return handler;
}

/** The route id of the request being handled ('' before routing or for an unmatched path). */
export const matchedRoute = (ctx: any): string => routeIdOf(ctx?.state?.route);

/**
 * Names of Strapi middlewares (global::..., plugin::...) that run first in every route, in this
 * order: the first wraps the others (the request audit sees the sign-in limit's 429).
 */
export const ROUTE_GUARDS = [
  'plugin::audit.request-audit',
  'global::sign-in-throttle',
  'plugin::security.step-up-guard',
] as const;

/** A route's own middlewares, before any app in this process put its guards in front of them. */
const OWN_MIDDLEWARES = Symbol('own route middlewares');

/**
 * Puts the guards in front of the route's own middlewares, in place: Strapi tags the same route
 * object with its router type, which the OpenAPI generator and the permission sync read back.
 * Route definitions are module-level objects that a second app in one process (tests, operator
 * scripts) registers again, so the guards replace the previous app's rather than pile up.
 */
function guard(route: any, guards: Middleware[]): void {
  route.config = route.config ?? {};
  if (!(OWN_MIDDLEWARES in route)) Object.defineProperty(route, OWN_MIDDLEWARES, { value: route.config.middlewares ?? [] });
  route.config.middlewares = [...guards, ...route[OWN_MIDDLEWARES]];
}

/**
 * Called from the app's register(): Strapi registers every router (admin, plugins, APIs) through
 * `strapi.server.routes` after all register() hooks, so wrapping it reaches every route once.
 */
export function installRouteGuards(strapi: Core.Strapi): void {
  const server = strapi.server as any;
  const original = server.routes.bind(server);
  let guards: Middleware[] | null = null;
  const resolve = (): Middleware[] =>
    (guards ??= ROUTE_GUARDS.map((name) => {
      const factory = strapi.middleware(name) as unknown as ((config: object, ctx: { strapi: Core.Strapi }) => Middleware) | undefined;
      if (!factory) throw new Error(`Route guard ${name} is not registered.`);
      return factory({}, { strapi });
    }));
  server.routes = (routes: any) => {
    const list = Array.isArray(routes) ? routes : routes?.routes;
    for (const route of Array.isArray(list) ? list : []) guard(route, resolve());
    return original(routes);
  };
}
