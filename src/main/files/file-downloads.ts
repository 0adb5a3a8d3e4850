import { AppError, ErrorCode } from '../../shared/lib/result';
import type { TransferView } from '../../shared/contract/files';
import type { FileStore } from './file-store';
import type { FilesRemote } from './file-uploader';

/** What a finished download tells the service to record. */
export interface Downloaded {
  size: number;
  /** From the response's headers (a file not known here yet). */
  name: string | null;
  mimeType: string | null;
}

/** What is known of a file before its download answers (its row here, or its block's attributes). */
export interface DownloadHint {
  nodeId?: string | null | undefined;
  name?: string | undefined;
  size?: number | undefined;
}

interface Download {
  notebookId: string;
  fileId: string;
  nodeId: string | null;
  name: string;
  size: number;
  received: number;
  startedAt: number;
  /** Set when it failed: kept (shown in Transfers, retried by asking again) until it succeeds or is dismissed. */
  error: string | null;
  controller: AbortController | null;
  promise: Promise<void> | null;
}

/**
 * Downloads of files attached elsewhere into the store, one per file at a time, with their progress and their
 * failures (kept in memory: a download is asked for again when the file is shown or opened, so a failure needs
 * no durable job, only a place where the user sees it and can retry).
 */
export class FileDownloads {
  private readonly downloads = new Map<string, Download>();

  constructor(
    private readonly store: FileStore,
    /** Records the downloaded bytes (inside the shared download, so it runs once per download). */
    private readonly finish: (notebookId: string, fileId: string, done: Downloaded) => Promise<void>,
    /** Progress, a failure, an end: the Transfers view is told (throttled by the caller). */
    private readonly changed: () => void,
  ) {}

  isRunning(fileId: string): boolean {
    return this.downloads.get(fileId)?.promise != null;
  }

  /** Fetches the file's bytes into the store; a second call while one runs shares it. */
  fetch(remote: FilesRemote | null, notebookId: string, fileId: string, known: DownloadHint): Promise<void> {
    const running = this.downloads.get(fileId);
    if (running?.promise) return running.promise;
    const download: Download = {
      notebookId,
      fileId,
      nodeId: known.nodeId ?? running?.nodeId ?? null,
      name: known.name ?? running?.name ?? fileId,
      size: known.size ?? running?.size ?? 0,
      received: 0,
      startedAt: Date.now(),
      error: null,
      controller: new AbortController(),
      promise: null,
    };
    this.downloads.set(fileId, download);
    download.promise = this.run(remote, download).then(
      () => {
        if (this.downloads.get(fileId) === download) this.downloads.delete(fileId);
        this.changed();
      },
      (error: unknown) => {
        const cancelled = download.controller?.signal.aborted === true;
        if (this.downloads.get(fileId) === download) {
          if (cancelled) this.downloads.delete(fileId);
          else {
            download.error = error instanceof Error ? error.message : String(error);
            download.controller = null;
            download.promise = null;
          }
        }
        this.changed();
        if (cancelled)
          throw new AppError(ErrorCode.conflict, 'The download was cancelled', [
            { path: 'fileId', message: 'cancelled' },
          ]);
        throw error;
      },
    );
    this.changed();
    return download.promise;
  }

  /** Stops a running download (nothing of it is kept) or forgets a failed one. */
  cancel(fileId: string): void {
    const download = this.downloads.get(fileId);
    if (!download) return;
    if (download.controller) download.controller.abort();
    else {
      this.downloads.delete(fileId);
      this.changed();
    }
  }

  stop(): void {
    for (const download of this.downloads.values()) download.controller?.abort();
  }

  views(): TransferView[] {
    const now = Date.now();
    return [...this.downloads.values()].map((d) => {
      const seconds = (now - d.startedAt) / 1_000;
      return {
        fileId: d.fileId,
        notebookId: d.notebookId,
        nodeId: d.nodeId,
        name: d.name,
        size: d.size,
        direction: 'download',
        status: d.error === null ? 'active' : 'failed',
        doneBytes: d.received,
        bytesPerSecond: d.error === null && seconds > 0.05 ? Math.round(d.received / seconds) : null,
        error: d.error,
      };
    });
  }

  private async run(remote: FilesRemote | null, download: Download): Promise<void> {
    const { fileId } = download;
    if (!remote)
      throw new AppError(ErrorCode.unavailable, 'This file is not on this device and there is no server', [
        { path: 'fileId', message: 'not cached' },
      ]);
    const signal = download.controller?.signal;
    let response: Response;
    try {
      response = await remote.downloadFile(download.notebookId, fileId, signal);
    } catch (error) {
      throw new AppError(ErrorCode.unavailable, 'The file cannot be downloaded while offline', [
        { path: 'fileId', message: error instanceof Error ? error.message : String(error) },
      ]);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      // The same answer for a file never uploaded and one on a page this user may not read (decision 0010).
      if (response.status === 404 || response.status === 403)
        throw new AppError(
          ErrorCode.notFound,
          'The file is not on the server (yet): the device that added it may still be uploading it',
          [{ path: 'fileId', message: `HTTP ${response.status}` }],
        );
      if (response.status === 409)
        throw new AppError(
          ErrorCode.unavailable,
          'The file is not on the server yet: the device that added it is still uploading it',
          [{ path: 'fileId', message: 'HTTP 409 (upload not complete)' }],
        );
      throw new AppError(
        ErrorCode.unavailable,
        `The server could not send the file (HTTP ${response.status})`,
        [{ path: 'fileId', message: `HTTP ${response.status}` }],
      );
    }
    const name = dispositionName(response.headers.get('content-disposition'));
    if (name) download.name = name;
    const length = Number(response.headers.get('content-length'));
    if (download.size === 0 && Number.isSafeInteger(length) && length > 0) download.size = length;
    this.changed();
    const size = await this.store.writeStream(fileId, response.body, (bytes) => {
      download.received = bytes;
      this.changed();
    });
    await this.finish(download.notebookId, fileId, {
      size,
      name,
      mimeType: response.headers.get('content-type')?.split(';')[0]?.trim() || null,
    });
  }
}

/** `filename*=UTF-8''…` (else `filename="…"`) of a Content-Disposition header. */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // malformed: try the plain one
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
}
