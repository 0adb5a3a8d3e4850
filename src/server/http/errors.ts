import { ApiErrorCode } from '../../shared/api/common';
import { AppError, ErrorCode, type ErrorDetail, type ErrorEnvelope } from '../../shared/lib/result';

/** An AppError with the HTTP status it answers with; every failure a route reports is one of these. */
export class ApiError extends AppError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: ErrorDetail[] = [],
  ) {
    super(code, message, details);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = []): ApiError =>
  new ApiError(400, ErrorCode.badRequest, message, details);
export const forbidden = (
  message = 'You do not have permission to perform this action.',
  code = 'forbidden',
) => new ApiError(403, code, message);
export const notFound = (message = 'Not found.', code: string = ErrorCode.notFound) =>
  new ApiError(404, code, message);
export const conflict = (message: string, code: string = ErrorCode.conflict) =>
  new ApiError(409, code, message);

/** Status for an AppError thrown by shared code (which knows codes, not HTTP). */
const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.badRequest]: 400,
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.notFound]: 404,
  [ErrorCode.conflict]: 409,
  [ErrorCode.versionConflict]: 409,
  [ErrorCode.payloadTooLarge]: 413,
  [ErrorCode.rateLimited]: 429,
  [ErrorCode.unavailable]: 503,
};

export function toHttpError(error: unknown): { status: number; envelope: ErrorEnvelope } {
  if (error instanceof ApiError) return { status: error.status, envelope: error.toEnvelope() };
  if (error instanceof AppError)
    return { status: STATUS_BY_CODE[error.code] ?? 400, envelope: error.toEnvelope() };
  return {
    status: 500,
    envelope: { message: 'Internal server error', code: ApiErrorCode.unknown, details: [] },
  };
}
