import { createReadStream } from 'node:fs';
import type * as Tus from 'tus-js-client';
import type { DetailedError, Upload } from 'tus-js-client';
import type { FileRow, FilesRepository } from './files.repository';
import type { FileStore } from './file-store';

/** What the uploader needs of the server (ServerClient). */
export interface FilesRemote {
  /** The file's TUS URL: the server pre-allocates nothing, the app names the file, creation and upload share it. */
  fileUploadUrl(notebookId: string, fileId: string): string;
  /** The `Authorization` header value. */
  authorization(): string;
  /** `GET …/files/{fileId}`, unread; `signal` stops it (a cancelled download). */
  downloadFile(notebookId: string, fileId: string, signal?: AbortSignal): Promise<Response>;
}

export interface UploaderOptions {
  /** Bytes per PATCH; the server's offset is saved after each. */
  chunkSize: number;
  /** Uploads in flight at once. */
  concurrency: number;
  retry: { baseMs: number; maxMs: number };
}

export const DEFAULT_UPLOADER_OPTIONS: UploaderOptions = {
  chunkSize: 8 * 1024 * 1024,
  concurrency: 2,
  retry: { baseMs: 1_000, maxMs: 60_000 },
};

/** A refusal the upload cannot get past by trying again (too large, no longer allowed, …). */
const isPermanent = (status: number): boolean =>
  status >= 400 && status < 500 && ![401, 408, 409, 423, 429].includes(status);

function refusal(error: Error | DetailedError): { status: number | null; message: string } {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  const status = response?.getStatus() ?? null;
  let message = error.message;
  try {
    const body = JSON.parse(response?.getBody() ?? '') as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not our envelope: keep tus-js-client's message
  }
  return { status, message };
}

export interface LiveProgress {
  sentBytes: number;
  bytesPerSecond: number | null;
}

interface Running {
  upload: Upload;
  /** Progress since this attempt started, for the speed shown. */
  startedAt: number;
  startedFrom: number;
  lastEmit: number;
}

/**
 * Sends the account's waiting uploads with tus-js-client, a few at a time. Each upload's URL is saved as soon
 * as it exists and its server offset after every chunk; a new attempt (after a failure, a pause, a restart)
 * asks the server for its offset (`HEAD`) and goes on from there, never from byte 0 while the server still has
 * the upload. A refusal (4xx) marks the file failed with the server's reason, kept for a retry; anything else
 * (the network, a restart of the server) retries with backoff for as long as the app runs.
 */
export class FileUploader {
  private readonly running = new Map<string, Running>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs: number;
  private stopped = false;
  private tus: Promise<typeof Tus> | null = null;

  constructor(
    private readonly deps: {
      repo: FilesRepository;
      store: FileStore;
      remote: FilesRemote;
      options: UploaderOptions;
      /** A file's row changed (state, offset); `live`: the bytes sent so far and the speed, while it uploads. */
      changed(fileId: string, live: LiveProgress | null): void;
      /** Why the server will refuse this file for its size (its notebook's `maxFileSize`), or null. */
      tooLarge(row: FileRow): string | null;
    },
  ) {
    this.retryMs = deps.options.retry.baseMs;
  }

  /** Starts waiting uploads, up to the concurrency. */
  pump(): void {
    if (this.stopped) return;
    for (const row of this.deps.repo.waiting()) {
      if (this.running.size >= this.deps.options.concurrency) return;
      if (!this.running.has(row.id)) void this.start(row);
    }
  }

  isRunning(fileId: string): boolean {
    return this.running.has(fileId);
  }

  /** Stops one upload where it is (the server keeps what it has; `terminate` deletes it there too). */
  async halt(fileId: string, terminate = false): Promise<void> {
    const running = this.running.get(fileId);
    this.running.delete(fileId);
    if (running) await running.upload.abort(terminate).catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const id of [...this.running.keys()]) void this.halt(id);
  }

  private async start(row: FileRow): Promise<void> {
    const { repo, store, remote, options } = this.deps;
    // Loaded on the first upload only: start-up never evaluates it (decision 0009).
    const { Upload } = await (this.tus ??= import('tus-js-client'));
    const current = repo.get(row.id);
    if (this.stopped || this.running.has(row.id) || current?.state !== 'uploading') return;
    if ((await store.size(row.id)) === null) {
      repo.setState(row.id, 'failed', "This device's copy of the file is gone; add the file again.");
      this.deps.changed(row.id, null);
      return;
    }
    if (this.stopped || this.running.has(row.id)) return;
    // Known before a byte is sent (a limit learned after the file was added, or lowered since).
    const tooLarge = this.deps.tooLarge(current);
    if (tooLarge) {
      repo.setState(row.id, 'failed', tooLarge);
      this.deps.changed(row.id, null);
      this.pump();
      return;
    }
    const endpoint = remote.fileUploadUrl(row.notebookId, row.id);
    const upload: Upload = new Upload(createReadStream(store.path(row.id)), {
      endpoint,
      // The file's URL is known before it exists, so even a first attempt asks for the offset first: a POST whose
      // answer was lost (the upload exists, we never heard) then goes on instead of failing as a duplicate.
      uploadUrl: current.uploadUrl ?? endpoint,
      uploadSize: row.size,
      chunkSize: options.chunkSize,
      // A few quick retries inside one attempt; after that our own backoff (never giving up) takes over.
      retryDelays: [200, 1_000, 3_000],
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      headers: { authorization: remote.authorization() },
      metadata: {
        filename: row.name,
        filetype: row.mimeType,
        ...(row.nodeId === null ? {} : { documentId: row.nodeId }),
      },
      onUploadUrlAvailable: () => {
        if (upload.url && upload.url !== current.uploadUrl) repo.setUploadUrl(row.id, upload.url);
      },
      onChunkComplete: (_chunk, accepted) => {
        if (!this.owns(row.id, upload)) return;
        repo.setSentBytes(row.id, accepted);
        this.progress(row.id, accepted, true);
      },
      onProgress: (sent) => {
        if (this.owns(row.id, upload)) this.progress(row.id, sent, false);
      },
      onSuccess: () => {
        if (!this.owns(row.id, upload)) return;
        this.running.delete(row.id);
        repo.setSentBytes(row.id, row.size);
        repo.setState(row.id, 'uploaded', null);
        this.retryMs = options.retry.baseMs;
        this.deps.changed(row.id, null);
        this.pump();
      },
      onError: (error) => {
        if (!this.owns(row.id, upload)) return;
        this.running.delete(row.id);
        const { status, message } = refusal(error);
        if (status !== null && isPermanent(status)) {
          repo.setState(row.id, 'failed', message);
          this.deps.changed(row.id, null);
          this.pump();
          return;
        }
        this.retryLater();
      },
    });
    this.running.set(row.id, { upload, startedAt: Date.now(), startedFrom: current.sentBytes, lastEmit: 0 });
    upload.start();
  }

  private owns(fileId: string, upload: Upload): boolean {
    return !this.stopped && this.running.get(fileId)?.upload === upload;
  }

  /** Progress events at most every 100 ms (and at each saved chunk), with the attempt's average speed. */
  private progress(fileId: string, sent: number, saved: boolean): void {
    const running = this.running.get(fileId);
    if (!running) return;
    const now = Date.now();
    if (!saved && now - running.lastEmit < 100) return;
    running.lastEmit = now;
    const seconds = (now - running.startedAt) / 1_000;
    const speed = seconds > 0.05 ? Math.round(Math.max(0, sent - running.startedFrom) / seconds) : null;
    this.deps.changed(fileId, { sentBytes: sent, bytesPerSecond: speed });
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, this.deps.options.retry.maxMs);
  }
}
