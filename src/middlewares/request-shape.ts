/**
 * Refuses, before any handler runs, request shapes that Strapi's own handlers or the database
 * do not check and crash on with a 500 (found by tests/integration/fuzz.test.ts and
 * tests/integration/hostile-input.test.ts). One place for every route: the content API, the
 * admin API and the content manager alike.
 *
 * 1. Text the database cannot store or compare: a NUL character (PostgreSQL refuses `\u0000` in
 *    text) or a lone UTF-16 surrogate (`"\ud800"` in JSON; not UTF-8, so the driver would
 *    silently store U+FFFD instead of what was sent), anywhere in the path, the query (keys and
 *    values) or a parsed body (keys and values). 400 VALIDATION.
 *
 * 2. A `filters` query (at the top or inside `populate`) that is not made of conditions:
 *    `filters[]=1`, `$and` / `$or` holding something other than a list of conditions, `$not`
 *    holding something other than a condition, an operator whose value is itself an object
 *    (`filters[code][$eq][$ne]=x`), or a list of objects where values belong. Strapi's query
 *    validation lets these through and the query engine turns them into SQL errors. 400 VALIDATION.
 *
 * 3. A write (POST/PUT/PATCH) whose body is not a JSON object: `Content-Type: text/plain` leaves
 *    a string, on which i18n's locale check for content-manager writes assigns a property. That
 *    check is mounted on the router before the route's own chain, so this holds for every path
 *    rather than for one spelling of the content manager's (docs/security.md, "Guards follow the
 *    route"); no route of this app takes a body that is not an object.
 *
 * 4. A public write (a body sent to the content API) that is not JSON: a browser on any site may
 *    post a form or `text/plain` to another origin without a CORS preflight, so only JSON, which
 *    needs one, is taken (415 UNSUPPORTED_MEDIA_TYPE). The routes whose clients cannot send JSON
 *    are listed in NON_JSON_WRITES (docs/public-api.md).
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';
import { failWith } from '../platform/http-error';

const isCondition = (value: unknown) => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const GROUP_OPERATORS = ['$and', '$or'];
/** Nesting below this is refused as a whole rather than walked (no legitimate query comes near). */
const MAX_DEPTH = 200;

/** Comparisons that take a list: `$in`/`$notIn` one value or several, `$between` exactly two. */
const LIST_OPERATORS = ['$in', '$notin'];
/** Whether a comparison's operand has the shape its operator takes (Strapi passes it to knex as is). */
const operandFits = (operator: string, value: unknown): boolean =>
  operator === '$between' ? Array.isArray(value) && value.length === 2 && value.every(isScalar)
  : LIST_OPERATORS.includes(operator) ? isScalar(value) || (Array.isArray(value) && value.every(isScalar))
  : isScalar(value);

/** A list of conditions may come as an array or, past qs's array limit, as an object keyed by index. */
const conditionList = (value: unknown): unknown[] | null => (Array.isArray(value) ? value : isCondition(value) ? Object.values(value as object) : null);

/** The path of the first part of a `filters` value that is not a condition where one belongs, or null. */
export function misshapenFilters(filters: unknown, path = 'filters', depth = 0): string | null {
  if (filters === undefined) return null;
  if (depth > MAX_DEPTH) return path;
  // The top level may be a list of conditions (`filters[0][code]=x`), which Strapi treats as `$and`.
  if (depth === 0 && Array.isArray(filters)) return misshapenList(filters, path, depth);
  // A bare value (`filters=1`) is refused by Strapi's own validation.
  if (depth === 0 && !isCondition(filters)) return null;
  if (!isCondition(filters)) return path;
  for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
    const at = `${path}[${key}]`;
    const operator = key.toLowerCase();
    if (GROUP_OPERATORS.includes(operator)) {
      const list = conditionList(value);
      const inner = list ? misshapenList(list, at, depth + 1) : at;
      if (inner) return inner;
    } else if (operator === '$not') {
      const inner = isCondition(value) ? misshapenFilters(value, at, depth + 1) : at;
      if (inner) return inner;
    } else if (operator.startsWith('$')) {
      // A comparison takes one value, or the list its operator takes, never a condition.
      if (!operandFits(operator, value)) return at;
    } else if (isCondition(value)) {
      // An attribute or a relation: a condition on it, recursively.
      const inner = misshapenFilters(value, at, depth + 1);
      if (inner) return inner;
    } else if (Array.isArray(value) && !value.every(isScalar)) {
      return at;
    }
  }
  return null;
}

function misshapenList(list: unknown[], path: string, depth: number): string | null {
  for (const [i, item] of list.entries()) {
    if (!isCondition(item)) return `${path}[${i}]`;
    const inner = misshapenFilters(item, `${path}[${i}]`, depth + 1);
    if (inner) return inner;
  }
  return null;
}

/** Every `filters` value in a query: at the top and inside `populate` (`populate[x][filters]...`). */
export function misshapenQuery(query: unknown): string | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: query, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (!value || typeof value !== 'object' || depth > MAX_DEPTH) continue;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}[${key}]` : key;
      if (key === 'filters') {
        const where = misshapenFilters(inner, at);
        if (where) return where;
      } else {
        stack.push({ value: inner, path: at, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** A NUL, or a high surrogate not followed by a low one, or a low one not after a high one. */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const unstorableText = (text: string) => UNSTORABLE.test(text);

/** The path of the first key or string value holding text no database can store, or null. */
export function unstorableIn(value: unknown, root: string): string | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (unstorableText(current)) return path;
    } else if (current && typeof current === 'object' && depth <= MAX_DEPTH * 50) {
      // Buffers and streams (uploaded files) are not text.
      if (Buffer.isBuffer(current) || typeof (current as any).pipe === 'function') continue;
      for (const [key, inner] of Object.entries(current as Record<string, unknown>)) {
        const at = `${path}[${key}]`;
        if (unstorableText(key)) return at;
        stack.push({ value: inner, path: at, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** The path as the router sees its parameters (percent-decoded), or the raw path when it cannot be decoded. */
const decodedPath = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/**
 * Content-API writes whose clients cannot send JSON, and what they may send instead:
 * the portal's attachments and Strapi's upload (files, multipart), Open311 GeoReport v2 clients (the spec posts
 * `application/x-www-form-urlencoded`; they need an API token, which a browser never sends by
 * itself) and SMS gateways (Twilio-style form callbacks; signed, see docs/public-api.md).
 */
export const NON_JSON_WRITES: Record<string, string[]> = {
  '/grievances/attachments': ['multipart'],
  // Strapi's media upload, for API tokens that hold the upload permission (never the public).
  '/upload': ['multipart'],
  '/open311/v2/requests.json': ['urlencoded', 'multipart'],
  '/open311/v2/requests.xml': ['urlencoded', 'multipart'],
  '/intake/sms': ['urlencoded'],
};

/**
 * Whether a write's body type is acceptable: JSON, no body at all, or a type listed for the
 * route. Paths are compared as the router compares them (case-insensitively, with or without a
 * trailing slash); any other spelling is not in the list and so is held to JSON.
 */
export function bodyTypeAllowed(options: { prefix: string; path: string; method: string; type: string; hasBody: boolean }): boolean {
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(options.method)) return true;
  const path = options.path.toLowerCase().replace(/\/+$/, '');
  const prefix = options.prefix.toLowerCase().replace(/\/+$/, '');
  if (!path.startsWith(`${prefix}/`)) return true;
  if (!options.hasBody && !options.type) return true;
  const type = options.type.toLowerCase();
  if (type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type)) return true;
  const allowed = NON_JSON_WRITES[path.slice(prefix.length)] ?? [];
  return (allowed.includes('urlencoded') && type === 'application/x-www-form-urlencoded') || (allowed.includes('multipart') && type === 'multipart/form-data');
}

const isWrite = (ctx: any) => ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH';

const refuse = (message: string, details: Record<string, unknown>) => new errors.ValidationError(message, { code: ERROR_CODES.VALIDATION, ...details });

/** Runs after strapi::query and strapi::body (config/middlewares.ts), so query and body are parsed. */
export default (_config: unknown, { strapi }: { strapi: any }) => async (ctx: any, next: () => Promise<void>) => {
  if (unstorableText(decodedPath(String(ctx.path ?? '')))) throw refuse('The path holds a NUL character or a broken Unicode character.', { source: 'path' });
  const query = ctx.query && typeof ctx.query === 'object' ? ctx.query : {};
  const badQueryText = unstorableIn(query, 'query');
  if (badQueryText) throw refuse(`${badQueryText} holds a NUL character or a broken Unicode character.`, { key: badQueryText, source: 'query' });
  const where = misshapenQuery(query);
  if (where) throw refuse(`${where} must be a condition: an attribute, a relation or an operator with a value.`, { key: where, source: 'query' });

  const hasBody = Number(ctx.request.length) > 0 || Boolean(ctx.get('Transfer-Encoding'));
  const prefix = String(strapi.config.get('api.rest.prefix', '/api'));
  if (!bodyTypeAllowed({ prefix, path: String(ctx.path ?? ''), method: ctx.method, type: String(ctx.request.type ?? ''), hasBody })) {
    return failWith(ctx, 415, ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'This route takes a JSON body (Content-Type: application/json).');
  }
  const body = ctx.request?.body;
  if (isWrite(ctx) && body !== undefined && !isCondition(body)) throw refuse('The request body must be a JSON object.', { source: 'body' });
  const badBodyText = unstorableIn(body, 'body');
  if (badBodyText) throw refuse(`${badBodyText} holds a NUL character or a broken Unicode character.`, { key: badBodyText, source: 'body' });
  await next();
};
