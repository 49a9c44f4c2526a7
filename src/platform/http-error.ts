/**
 * Writes an error answer in Strapi's envelope with a stable `details.code` (docs/public-api.md), for
 * controllers that refuse a request themselves rather than throwing.
 */
const NAMES: Record<number, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  422: 'UnprocessableEntityError',
  429: 'RateLimitError',
};

export function failWith(ctx: any, status: number, code: string, message: string, errors?: unknown[]): void {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name: NAMES[status] ?? 'ApplicationError', message, details: { code, ...(errors ? { errors } : {}) } } };
}
