/**
 * Refuses, with 400 VALIDATION, requests whose shape Strapi's own handlers do not check and crash
 * on with a 500 (both found by tests/integration/fuzz.test.ts):
 *
 * 1. a write (POST/PUT/PATCH) whose body is not a JSON object: `Content-Type: text/plain` leaves
 *    a string, on which i18n's locale check for content-manager writes assigns a property. That
 *    check is mounted on the router before the route's own chain, so this holds for every path
 *    rather than for one spelling of the content manager's (docs/security.md, "Guards follow the
 *    route"); no route of this app takes a body that is not an object;
 *
 * 2. a `filters` query whose list of conditions holds something that is not a condition:
 *    `GET /api/regions?filters[]=1` parsed to `filters: ['1']`, which Strapi's query validation
 *    let through and the query engine turned into `WHERE "0" = '1'`, a SQL error and a 500 for
 *    anyone. The lists concerned are the top-level one and those of `$and` / `$or`; value lists
 *    (`$in`, `$between` ...) are untouched.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';

const isCondition = (value: unknown) => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** The path of the first list of conditions holding a non-condition, or null. */
export function misshapenFilters(filters: unknown, path = 'filters', depth = 0): string | null {
  if (depth > 200 || !filters || typeof filters !== 'object') return null;
  if (Array.isArray(filters)) {
    for (const [i, item] of filters.entries()) {
      if (!isCondition(item)) return `${path}[${i}]`;
      const inner = misshapenFilters(item, `${path}[${i}]`, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  for (const [key, value] of Object.entries(filters)) {
    if ((key === '$and' || key === '$or') && Array.isArray(value)) {
      const inner = misshapenFilters(value, `${path}[${key}]`, depth + 1);
      if (inner) return inner;
    } else if (isCondition(value)) {
      const inner = misshapenFilters(value, `${path}[${key}]`, depth + 1);
      if (inner) return inner;
    }
  }
  return null;
}

const isWrite = (ctx: any) => ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH';

/** Runs after strapi::body (config/middlewares.ts), so the body is parsed. */
export default () => async (ctx: any, next: () => Promise<void>) => {
  const body = ctx.request?.body;
  if (isWrite(ctx) && body !== undefined && !isCondition(body)) {
    throw new errors.ValidationError('The request body must be a JSON object.', { code: ERROR_CODES.VALIDATION, source: 'body' });
  }
  const where = ctx.query && typeof ctx.query === 'object' ? misshapenFilters(ctx.query.filters) : null;
  if (where) throw new errors.ValidationError(`${where} must be a condition object`, { code: ERROR_CODES.VALIDATION, key: where, source: 'query' });
  await next();
};
