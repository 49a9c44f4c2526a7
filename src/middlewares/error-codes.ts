/**
 * Gives every error response a stable `details.code` (CONTRACT.md), including the errors
 * Strapi itself raises (validation of query parameters and bodies, permissions, rate limits),
 * so clients never have to parse messages.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';

const codeFor = (error: unknown): string | null => {
  if (error instanceof errors.ValidationError) return ERROR_CODES.VALIDATION;
  if (error instanceof errors.RateLimitError) return ERROR_CODES.RATE_LIMITED;
  if (error instanceof errors.ForbiddenError) return ERROR_CODES.NOT_ALLOWED;
  if (error instanceof errors.PolicyError) return ERROR_CODES.NOT_ALLOWED;
  if (error instanceof errors.UnauthorizedError) return ERROR_CODES.UNAUTHORIZED;
  if (error instanceof errors.NotFoundError) return ERROR_CODES.NOT_FOUND;
  return null;
};

export default () => async (_ctx: unknown, next: () => Promise<void>) => {
  try {
    await next();
  } catch (error) {
    const code = codeFor(error);
    if (code && error instanceof errors.ApplicationError) {
      const details = (error.details ?? {}) as Record<string, unknown>;
      if (!details.code) error.details = { ...details, code };
    }
    throw error;
  }
};
