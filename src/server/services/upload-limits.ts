import { ErrorCode } from '../../shared/lib/result';
import type { ServerContext } from '../context';
import { ApiError } from '../http/errors';
import type { AccountRow, NotebookRow } from '../storage/repository';

/** Per-user upload limits (each off unless set). A notebook's own `maxFileSize` always applies as well. */
export interface UploadLimits {
  /** The largest file one user may upload, bytes; the smaller of this and the notebook's `maxFileSize` wins. */
  maxFileSize?: number;
  /** Bytes one user may start uploading within `windowMs`. */
  bytesPerWindow?: number;
  /** Uploads one user may start within `windowMs`. */
  uploadsPerWindow?: number;
  /** Default: one hour. */
  windowMs?: number;
}

const HOUR_MS = 3_600_000;

export const formatBytes = (bytes: number): string => {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
};

/** The largest file `user` may upload to `notebook`. */
export const maxUploadSize = (ctx: ServerContext, notebook: NotebookRow): number =>
  Math.min(notebook.maxFileSize, ctx.uploadLimits?.maxFileSize ?? Number.POSITIVE_INFINITY);

/**
 * Checked when an upload is created, before a byte of it is accepted: its declared size against the largest
 * allowed (413 `payload_too_large`), then the user's budget for the window (429 `rate_limited`, with the
 * seconds until the oldest upload in the window leaves it).
 */
export function assertUploadAllowed(
  ctx: ServerContext,
  user: AccountRow,
  notebook: NotebookRow,
  size: number,
): void {
  const max = maxUploadSize(ctx, notebook);
  if (size > max) {
    throw new ApiError(
      413,
      ErrorCode.payloadTooLarge,
      `This file is ${formatBytes(size)}; files here can be at most ${formatBytes(max)}.`,
      [{ path: 'headers.upload-length', message: `at most ${max} bytes` }],
    );
  }
  const limits = ctx.uploadLimits;
  if (!limits || (limits.bytesPerWindow === undefined && limits.uploadsPerWindow === undefined)) return;
  const windowMs = limits.windowMs ?? HOUR_MS;
  const now = Date.parse(ctx.now());
  const usage = ctx.repo.uploadUsage(user.id, new Date(now - windowMs).toISOString());
  const overCount = limits.uploadsPerWindow !== undefined && usage.count + 1 > limits.uploadsPerWindow;
  const overBytes = limits.bytesPerWindow !== undefined && usage.bytes + size > limits.bytesPerWindow;
  if (!overCount && !overBytes) return;
  const oldest = usage.oldest === null ? now : Date.parse(usage.oldest);
  const retryAfter = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  throw new UploadBudgetError(
    overCount
      ? `You have started ${usage.count} uploads in the last ${windowMs / 60_000} minutes, the most allowed.`
      : `This upload would take you past ${formatBytes(limits.bytesPerWindow ?? 0)} in ${windowMs / 60_000} minutes.`,
    retryAfter,
  );
}

/** Records an upload that was created (inside the creating transaction). */
export function logUpload(ctx: ServerContext, userId: string, bytes: number): void {
  const now = ctx.now();
  const windowMs = ctx.uploadLimits?.windowMs ?? HOUR_MS;
  ctx.repo.logUpload(userId, now, bytes, new Date(Date.parse(now) - windowMs).toISOString());
}

export class UploadBudgetError extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, ErrorCode.rateLimited, message, [
      { path: 'headers.upload-length', message: `retry in ${retryAfterSeconds} s` },
    ]);
  }
}
