/**
 * The error envelope shared by the IPC contract and the REST API: `{message, code, details}`.
 * Results cross process boundaries as data because a thrown Error keeps only its message over Electron IPC.
 */
export const ErrorCode = {
  badRequest: 'bad_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  versionConflict: 'version_conflict',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  internal: 'internal_error',
  unavailable: 'unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorEnvelope {
  message: string;
  code: string;
  details: ErrorDetail[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorEnvelope };

/** A failure a handler means to report (not a bug): carries its envelope across the boundary intact. */
export class AppError extends Error {
  readonly code: string;
  readonly details: ErrorDetail[];
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toEnvelope(): ErrorEnvelope {
    return { message: this.message, code: this.code, details: this.details };
  }
}

export const notFound = (what: string, id: string): AppError =>
  new AppError(ErrorCode.notFound, `${what} not found`, [
    { path: 'id', message: `no ${what.toLowerCase()} ${id}` },
  ]);

export const badRequest = (message: string, details: ErrorDetail[] = []): AppError =>
  new AppError(ErrorCode.badRequest, message, details);

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
}

export function validationError(issues: readonly ZodLikeIssue[], prefix = ''): AppError {
  const details = issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || prefix || '(root)',
    message: issue.message,
  }));
  const first = details[0];
  const message = first ? `Invalid input: ${first.path}: ${first.message}` : 'Invalid input';
  return new AppError(ErrorCode.badRequest, message, details);
}

export function toErrorEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof AppError) return error.toEnvelope();
  return { message: 'Internal error', code: ErrorCode.internal, details: [] };
}
