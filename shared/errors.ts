/**
 * The app's one error hierarchy. Every error a request can end with is an AppError with a stable
 * `code`; `shared/api/problem.ts` maps them to RFC 9457 problem+json in one place. Expected domain
 * outcomes (deduplicated, scope busy) are values, not exceptions.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Whether retrying the same request later may succeed. */
  readonly retryable: boolean = false;
  /** Extra problem members (safe to show the caller). */
  readonly extensions: Record<string, unknown> = {};

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldError {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Missing or invalid credentials. The message is deliberately generic: it must not help an attacker. */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(options?: { cause?: unknown }) {
    super('A valid bearer token is required.', options);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(readonly capability: string) {
    super(`Your role does not allow this (${capability}).`);
  }
}

/** Also what a non-member gets for anything in a workspace: it "does not exist" for them. */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(what = 'The resource') {
    super(`${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this.extensions, extensions);
  }
}

/** A request body that is not JSON (by its Content-Type). */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor() {
    super('The request body must be JSON, sent with Content-Type: application/json.');
  }
}

/** A request body over the route's limit; refused before it is parsed. */
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than this route accepts (${limitBytes} bytes).`);
    this.extensions.limitBytes = limitBytes;
  }
}

/** A write lost an optimistic-concurrency race too many times; the caller may retry. */
export class ConcurrencyError extends AppError {
  readonly status = 409;
  readonly code = 'concurrent_update';
  override readonly retryable = true;
  constructor(what: string) {
    super(`${what} was changed by someone else at the same time; try again.`);
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  override readonly retryable = true;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Anything else: logged in full, answered as a bare 500 that echoes nothing. */
export class InternalError extends AppError {
  readonly status = 500;
  readonly code = 'internal_error';
  constructor(options?: { cause?: unknown }) {
    super('Something went wrong on our side.', options);
  }
}
