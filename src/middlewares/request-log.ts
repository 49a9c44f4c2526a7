/**
 * The HTTP request log, in place of `strapi::logger` (which writes `ctx.url`, query string
 * included, so a secret sent in a URL reached the log). A line names the method, the path, the
 * time taken and the status; of the query string only that there was one. No client address or
 * user agent is logged either (docs/security.md, "What a public request leaves behind").
 */
import type { Core } from '@strapi/strapi';

/** The path as logged: the query string, whatever it holds, is never written. */
export function loggedTarget(path: string, querystring: string): string {
  return querystring ? `${path}?…` : path;
}

export function requestLine(method: string, path: string, querystring: string, ms: number, status: number): string {
  return `${method} ${loggedTarget(path, querystring)} (${ms} ms) ${status}`;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: any, next: () => Promise<void>) => {
    const start = Date.now();
    await next();
    strapi.log.http(requestLine(ctx.method, ctx.path, ctx.querystring, Math.ceil(Date.now() - start), ctx.status));
  };
