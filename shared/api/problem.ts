import { PROBLEM_TYPES, problemTypeUri } from './problem-types';
import { AppError, InternalError, ValidationError } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

/**
 * The one mapping from errors to RFC 9457 problem details. Unknown errors, and errors that are not
 * the caller's to see (a 500, an AtlasError that is no AppError), never leak their text.
 */
export function toProblem(error: unknown): Problem {
  const appError =
    error instanceof AppError && error.status !== 500 ? error : new InternalError({ cause: error });
  return {
    type: problemTypeUri(appError.code),
    title: PROBLEM_TYPES[appError.code].title,
    status: appError.status,
    code: appError.code,
    detail: appError.message,
    ...(appError instanceof ValidationError && appError.errors.length > 0 && { errors: appError.errors }),
    ...appError.extensions,
  };
}
