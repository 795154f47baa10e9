import type { ProblemCode, ProblemCodeOf } from './api/problem-types';

/**
 * The app's one error hierarchy. Every error the app raises on purpose is an AtlasError with a stable
 * `code`. Those a request can end with are AppErrors (an HTTP status too): `shared/api/problem.ts`
 * maps them to RFC 9457 problem+json in one place. Those an operation can end with carry a run
 * failure's reason code: `toRunFailure` (beside `RunFailure`) maps them. Expected domain outcomes
 * (deduplicated, scope busy) are values, not exceptions.
 */
export abstract class AtlasError extends Error {
  abstract readonly code: string;
  /** Whether trying the same thing again later may succeed. */
  readonly retryable: boolean = false;
  /** Set by errors an operation may end with: the reason code of the run failure it becomes. */
  readonly reasonCode?: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An error a request can end with. A 500 never shows its message (the problem mapper hides it). */
export abstract class AppError extends AtlasError {
  abstract readonly status: number;
  /** Described in the problem catalog: a code that is not there does not compile. */
  abstract override readonly code: ProblemCode;
  /** Extra problem members (safe to show the caller). */
  readonly extensions: Record<string, unknown> = {};
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
    readonly code: ProblemCodeOf<409>,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this.extensions, extensions);
  }
}

/** A well-formed request the app refuses for a reason of its own (an invalid restore token). */
export class BadRequestError extends AppError {
  readonly status = 400;
  constructor(
    readonly code: ProblemCodeOf<400>,
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
    readonly code: ProblemCodeOf<503>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The settings are invalid or missing: nothing can run until an operator fixes them. */
export class ConfigError extends AtlasError {
  readonly code = 'invalid_configuration';
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}

/** A state the app's own bookkeeping should never be in (a run or cursor that is gone): a bug or lost data. */
export class InvariantError extends AtlasError {
  readonly code = 'internal_error';
}

/** Anything else: logged in full, answered as a bare 500 that echoes nothing. */
export class InternalError extends AppError {
  readonly status = 500;
  readonly code = 'internal_error';
  constructor(options?: { cause?: unknown }) {
    super('Something went wrong on our side.', options);
  }
}
