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

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one mapping from errors to RFC 9457 problem details. Unknown errors, and errors that are not
 * the caller's to see (a 500, an AtlasError that is no AppError), never leak their text.
 */
export function toProblem(error: unknown): Problem {
  const appError =
    error instanceof AppError && error.status !== 500 ? error : new InternalError({ cause: error });
  return {
    type: `https://tenantatlas.dev/problems/${appError.code.replace(/_/g, '-')}`,
    title: TITLES[appError.status] ?? 'Error',
    status: appError.status,
    code: appError.code,
    detail: appError.message,
    ...(appError instanceof ValidationError && appError.errors.length > 0 && { errors: appError.errors }),
    ...appError.extensions,
  };
}
