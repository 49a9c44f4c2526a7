/** Stable error codes carried in `error.details.code` (docs/public-api.md). */
export const ERROR_CODES = {
  VALIDATION: 'VALIDATION',
  NOT_ALLOWED: 'NOT_ALLOWED',
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  STALE_VERSION: 'STALE_VERSION',
  RATE_LIMITED: 'RATE_LIMITED',
  IDEMPOTENCY_MISMATCH: 'IDEMPOTENCY_MISMATCH',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_EDITABLE: 'NOT_EDITABLE',
  /** An image whose header declares more pixels than may be decoded (docs/security.md#files). */
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  /** A secret sent in a URL (which proxies and logs keep): refused, whatever it is. */
  SECRET_IN_URL: 'SECRET_IN_URL',
  /** Public figures are published for calendar months, quarters and years only (docs/public-api.md). */
  FIXED_PERIOD_REQUIRED: 'FIXED_PERIOD_REQUIRED',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface FieldError {
  path: string[];
  message: string;
}

/** A refusal from pure domain code; the app layer turns it into an HTTP error. */
export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly errors: FieldError[] = []
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Why a citizen action was refused (status and code to answer with), from the case's public services. */
export class CitizenRefusal extends Error {
  /** The case secret did not match: a guess, counted by the caller's limits. */
  readonly wrongSecret: boolean;
  constructor(readonly status: number, readonly code: string, message: string, options: { wrongSecret?: boolean } = {}) {
    super(message);
    this.wrongSecret = options.wrongSecret ?? false;
  }
}

/** Why an uploaded attachment was refused (status and code to answer with). */
export class AttachmentRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}
