/**
 * Gives every error response a stable `details.code` (docs/public-api.md), including the errors
 * Strapi itself raises or writes (query and body validation, permissions, rate limits), so
 * clients never have to parse messages.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';

const CODE_BY_STATUS: Record<number, string> = {
  400: ERROR_CODES.VALIDATION,
  401: ERROR_CODES.UNAUTHORIZED,
  403: ERROR_CODES.NOT_ALLOWED,
  404: ERROR_CODES.NOT_FOUND,
  405: ERROR_CODES.METHOD_NOT_ALLOWED,
  413: ERROR_CODES.VALIDATION,
  415: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
  429: ERROR_CODES.RATE_LIMITED,
  // A method no route knows (TRACE, PROPFIND ...): the router answers 501.
  501: ERROR_CODES.METHOD_NOT_ALLOWED,
};

const withCode = (details: unknown, status: number) => {
  const current = (details && typeof details === 'object' ? details : {}) as Record<string, unknown>;
  const code = CODE_BY_STATUS[status];
  return current.code || !code ? current : { ...current, code };
};

/**
 * A PostgreSQL "data exception" (SQLSTATE class 22: a value too long for its column, a character
 * the encoding refuses, a number out of range ...) is a value from the request the database
 * cannot take, not a fault of the server. src/middlewares/request-shape.ts refuses the known
 * shapes before any handler; this is the net under it.
 */
const isDataException = (error: any) => typeof error?.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code) && typeof error?.severity === 'string';

export default () => async (ctx: any, next: () => Promise<void>) => {
  try {
    await next();
    // No route matched: strapi::errors (outside this middleware) would answer a bare 404.
    if (!ctx.response._explicitStatus) throw new errors.NotFoundError('Not Found', { code: ERROR_CODES.NOT_FOUND });
  } catch (caught) {
    let error = caught;
    if (isDataException(error)) {
      strapi.log.warn(`A request held a value the database refused (SQLSTATE ${(error as any).code}): ${ctx.method} ${ctx.path}`);
      error = new errors.ValidationError('The request holds a value that cannot be stored or compared.', { code: ERROR_CODES.VALIDATION });
    }
    // The multipart parser (formidable) says what is wrong in `httpCode`, not `status`: a missing
    // boundary or a truncated form answered 500 (tests/integration/fuzz.test.ts).
    const parserStatus = Number((error as any)?.httpCode);
    if (!(error instanceof errors.ApplicationError) && !(error as any)?.status && parserStatus >= 400 && parserStatus < 500) {
      const message = `The request body cannot be read: ${(error as Error).message}`;
      error = parserStatus === 413 ? new errors.PayloadTooLargeError(message) : new errors.ValidationError(message);
    }
    // A handler that already answered with a client error and then crashed on its own
    // `return ctx.forbidden()` (the content manager's relation routes for createdBy/updatedBy)
    // keeps its answer instead of turning it into a 500.
    const written = ctx.body?.error;
    if (!(error instanceof errors.ApplicationError) && error instanceof TypeError && written && ctx.status >= 400 && ctx.status < 500 && written.status === ctx.status) {
      written.details = withCode(written.details, ctx.status);
      return;
    }
    // Thrown errors are formatted by strapi::errors, which runs outside this middleware.
    if (error instanceof errors.ApplicationError) {
      const status = error instanceof errors.ValidationError ? 400
        : error instanceof errors.UnauthorizedError ? 401
        : error instanceof errors.ForbiddenError || error instanceof errors.PolicyError ? 403
        : error instanceof errors.NotFoundError ? 404
        : error instanceof errors.PayloadTooLargeError ? 413
        : error instanceof errors.RateLimitError ? 429
        : 0;
      error.details = withCode(error.details, status);
    } else if (error && typeof error === 'object' && Number((error as any).status) >= 400 && Number((error as any).status) < 500) {
      // Client errors from below Strapi (the body parser: malformed JSON, a body too large).
      const status = Number((error as any).status);
      (error as any).details = withCode((error as any).details, status);
    }
    throw error;
  }
  // The router's own refusals (a known path with another method) have a status and no body.
  if (ctx.status === 405 && ctx.body == null) {
    ctx.body = { data: null, error: { status: 405, name: 'MethodNotAllowedError', message: 'Method Not Allowed', details: {} } };
  }
  if (ctx.status === 501 && ctx.body == null) {
    ctx.body = { data: null, error: { status: 501, name: 'NotImplementedError', message: 'Not Implemented', details: {} } };
  }
  // Errors written straight to the response (ctx.forbidden(), ctx.notFound() ...).
  const body = ctx.body;
  if (ctx.status >= 400 && body && typeof body === 'object' && body.error && typeof body.error === 'object') {
    body.error.details = withCode(body.error.details, ctx.status);
  }
};
