import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileView, TransferView } from '../../shared/contract/files';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { AppError, ErrorCode, notFound } from '../../shared/lib/result';
import { NodeAction, canOnNode } from '../../shared/model/permissions';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { NodesService } from '../nodes/nodes.service';
import type { Replica } from '../replica/replica';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import { formatFileSize } from '../../shared/model/file-types';
import { detectMimeType } from './file-types';
import {
  DEFAULT_UPLOADER_OPTIONS,
  FileUploader,
  type FilesRemote,
  type LiveProgress,
  type UploaderOptions,
} from './file-uploader';
import { FileDownloads, type DownloadHint, type Downloaded } from './file-downloads';
import { FileStore } from './file-store';
import { FilesRepository, type FileRow } from './files.repository';

export interface FilesOptions {
  /** Bytes of downloaded files kept on this device; the least recently used go first beyond it. */
  cacheLimitBytes?: number;
  uploader?: Partial<UploaderOptions>;
}

export const DEFAULT_CACHE_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

/** Where the bytes of an account's files live: next to its replica. */
export const filesFolder = (replica: Replica): string => join(dirname(replica.path), 'files');

/**
 * Files of one account (decision 0013). Adding a file copies it into the account's folder — flushed to disk
 * before the call answers, so "saved" means saved, online or not — and records it in the replica; on a server
 * account the upload is then a durable job (`FileUploader`). Files attached on other devices are fetched on
 * demand into a bounded cache; a file still uploading is never evicted.
 */
export class FilesService {
  private readonly repo: FilesRepository;
  private readonly notebooks: NotebooksRepository;
  readonly store: FileStore;
  private uploader: FileUploader | null = null;
  private remote: FilesRemote | null = null;
  private readonly downloads: FileDownloads;
  /** Uploads' bytes sent and speed of the attempt in flight (the row keeps only what the server acknowledged). */
  private readonly live = new Map<string, LiveProgress>();
  private transfersTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly cacheLimitBytes: number;
  private readonly uploaderOptions: UploaderOptions;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly nodes: Pick<NodesService, 'get' | 'roleOn'>,
    /** A server account: files are uploaded; the Local account keeps them on this device. */
    private readonly synced: boolean,
    options: FilesOptions = {},
  ) {
    this.repo = new FilesRepository(replica.db);
    this.notebooks = new NotebooksRepository(replica.db);
    this.store = new FileStore(filesFolder(replica));
    this.cacheLimitBytes = options.cacheLimitBytes ?? DEFAULT_CACHE_LIMIT_BYTES;
    this.uploaderOptions = { ...DEFAULT_UPLOADER_OPTIONS, ...options.uploader };
    this.downloads = new FileDownloads(
      this.store,
      (notebookId, fileId, done) => this.downloaded(notebookId, fileId, done),
      () => this.transfersChanged(),
    );
  }

  /** Start-up: what a crash left half-written, or bytes no row knows, are removed before anything is added. */
  async sweep(): Promise<void> {
    await this.store.sweep(this.repo.cachedIds());
  }

  /** A server account's uploads start (and resume) once it has a server to talk to. */
  connect(remote: FilesRemote): void {
    this.remote = remote;
    this.uploader = new FileUploader({
      repo: this.repo,
      store: this.store,
      remote,
      options: this.uploaderOptions,
      changed: (fileId, live) => this.changed(fileId, live),
      tooLarge: (row) => this.tooLarge(row.notebookId, row.name, row.size),
    });
    this.uploader.pump();
  }

  async add(
    nodeId: string,
    input: { name: string; mimeType?: string | undefined; data: Uint8Array },
  ): Promise<FileView> {
    const node = this.assertCanAttach(nodeId);
    this.assertFits(node.notebookId, input.name, input.data.length);
    const id = newId(IdPrefix.file);
    await this.store.writeBytes(id, input.data);
    return this.record(
      id,
      node.notebookId,
      nodeId,
      input.name,
      input.data.length,
      input.mimeType,
      input.data,
    );
  }

  /** A file elsewhere on this device (a picked file, a benchmark's): copied in the same way. */
  async addFromPath(
    nodeId: string,
    input: { name: string; mimeType?: string | undefined; path: string },
  ): Promise<FileView> {
    const node = this.assertCanAttach(nodeId);
    this.assertFits(node.notebookId, input.name, (await stat(input.path)).size);
    const id = newId(IdPrefix.file);
    await this.store.copyFrom(id, input.path);
    const size = (await this.store.size(id)) ?? 0;
    const handle = await open(this.store.path(id), 'r');
    const head = new Uint8Array(4096);
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    return this.record(id, node.notebookId, nodeId, input.name, size, input.mimeType, head.subarray(0, size));
  }

  /**
   * The largest file the notebook's server accepts (its `maxFileSize`, from the notebook list), so a file over
   * it is refused before a byte is copied or sent; null: no limit known (the Local account keeps any size).
   */
  maxBytes(notebookId: string): number | null {
    return this.synced ? this.notebooks.maxFileSize(notebookId) : null;
  }

  list(notebookId: string, nodeId?: string): FileView[] {
    return this.repo.list(notebookId, nodeId).map((row) => this.view(row));
  }

  get(fileId: string): FileView {
    return this.view(this.require(fileId));
  }

  /** The bytes' path on this device, fetched first if needed; every use moves the file up in the cache. */
  async localPath(notebookId: string, fileId: string): Promise<string> {
    await this.download(notebookId, fileId);
    this.repo.touch(fileId, isoNow(this.clock));
    return this.store.path(fileId);
  }

  /** Makes sure the file's bytes are here (one download per file at a time). */
  async download(notebookId: string, fileId: string, hint: DownloadHint = {}): Promise<FileView> {
    const row = this.repo.get(fileId);
    if (row && row.notebookId !== notebookId) throw notFound('File', fileId);
    if (row?.cached === 1) return this.view(row);
    await this.downloads.fetch(this.remote, notebookId, fileId, row ?? hint);
    return this.get(fileId);
  }

  pause(fileId: string): FileView {
    const row = this.require(fileId);
    if (row.state !== 'uploading') return this.view(row);
    this.repo.setState(fileId, 'paused', null);
    void this.uploader?.halt(fileId);
    this.changed(fileId, null);
    return this.get(fileId);
  }

  resume(fileId: string): FileView {
    const row = this.require(fileId);
    if (row.state !== 'paused' && row.state !== 'failed') return this.view(row);
    this.repo.setState(fileId, 'uploading', null);
    this.changed(fileId, null);
    this.uploader?.pump();
    return this.get(fileId);
  }

  /** An upload given up: its bytes go here and on the server. A file already uploaded stays (it is in use). */
  async cancel(fileId: string): Promise<null> {
    const row = this.require(fileId);
    if (row.state === 'uploaded' || row.state === 'remote')
      throw new AppError(ErrorCode.conflict, 'This file is uploaded already; remove its block instead', [
        { path: 'fileId', message: `the file is ${row.state}` },
      ]);
    await this.uploader?.halt(fileId, row.uploadUrl !== null);
    this.repo.delete(fileId);
    await this.store.remove(fileId);
    this.changed(fileId, null, { ...row, cached: 0 });
    return null;
  }

  /** Uploads not done yet, oldest first, then downloads running or failed (the Transfers view). */
  transfers(): TransferView[] {
    const uploads = this.repo.unfinished().map((row): TransferView => {
      const live = this.live.get(row.id);
      const active = row.state === 'uploading' && this.uploader?.isRunning(row.id) === true;
      return {
        fileId: row.id,
        notebookId: row.notebookId,
        nodeId: row.nodeId,
        name: row.name,
        size: row.size,
        direction: 'upload',
        status:
          row.state === 'uploading' ? (active ? 'active' : 'waiting') : (row.state as 'paused' | 'failed'),
        doneBytes: Math.min(row.size, Math.max(row.sentBytes, live?.sentBytes ?? 0)),
        bytesPerSecond: active ? (live?.bytesPerSecond ?? null) : null,
        error: row.lastError,
      };
    });
    return [...uploads, ...this.downloads.views()];
  }

  /** Stops a download, or forgets a failed one (asking for the file again retries it). */
  cancelDownload(fileId: string): null {
    this.downloads.cancel(fileId);
    return null;
  }

  stop(): void {
    this.uploader?.stop();
    this.downloads.stop();
    if (this.transfersTimer) clearTimeout(this.transfersTimer);
    this.transfersTimer = null;
  }

  /** The Transfers view gets the whole list, at most every 200 ms (progress arrives every 100 ms per file). */
  private transfersChanged(): void {
    if (this.transfersTimer) return;
    this.transfersTimer = setTimeout(() => {
      this.transfersTimer = null;
      this.events.emit('file.transfersChanged', {
        accountId: this.replica.accountId,
        transfers: this.transfers(),
      });
    }, 200);
    this.transfersTimer.unref();
  }

  private assertCanAttach(nodeId: string) {
    const node = this.nodes.get(nodeId);
    const role = this.nodes.roleOn(nodeId);
    const decision = canOnNode(
      role,
      this.replica.userId,
      { type: node.type as 'page', createdBy: '' },
      NodeAction.editDocument,
    );
    if (!decision.allowed)
      throw new AppError(ErrorCode.forbidden, 'Your role here does not allow adding files', [
        { path: 'nodeId', message: `your role is ${role ?? 'none'}` },
      ]);
    return node;
  }

  /** Why a file of `size` bytes cannot go to this notebook's server, or null when it may. */
  private tooLarge(notebookId: string, name: string, size: number): string | null {
    const limit = this.maxBytes(notebookId);
    if (limit === null || size <= limit) return null;
    return `${name} is ${formatFileSize(size)}; this notebook's server accepts files up to ${formatFileSize(limit)}`;
  }

  private assertFits(notebookId: string, name: string, size: number): void {
    const reason = this.tooLarge(notebookId, name, size);
    if (reason)
      throw new AppError(ErrorCode.payloadTooLarge, reason, [
        { path: 'data', message: `${size} bytes, at most ${this.maxBytes(notebookId)}` },
      ]);
  }

  private record(
    id: string,
    notebookId: string,
    nodeId: string,
    name: string,
    size: number,
    claimedType: string | undefined,
    head: Uint8Array,
  ): FileView {
    const now = isoNow(this.clock);
    this.repo.insert({
      id,
      notebookId,
      nodeId,
      name,
      mimeType: detectMimeType(head, claimedType, name),
      size,
      createdAt: now,
      createdBy: this.replica.userId,
      state: this.synced ? 'uploading' : 'local',
      uploadUrl: null,
      sentBytes: 0,
      lastError: null,
      cached: 1,
      lastUsedAt: now,
    });
    this.changed(id, null);
    this.uploader?.pump();
    return this.get(id);
  }

  /** A finished download: the file is cached here (a file not known yet is recorded as `remote`). */
  private async downloaded(notebookId: string, fileId: string, done: Downloaded): Promise<void> {
    const now = isoNow(this.clock);
    const known = this.repo.get(fileId);
    if (known) this.repo.setCached(fileId, true, now);
    else
      this.repo.insert({
        id: fileId,
        notebookId,
        nodeId: null,
        name: done.name ?? fileId,
        mimeType: done.mimeType ?? 'application/octet-stream',
        size: done.size,
        createdAt: now,
        createdBy: '',
        state: 'remote',
        uploadUrl: null,
        sentBytes: done.size,
        lastError: null,
        cached: 1,
        lastUsedAt: now,
      });
    await this.evict(fileId);
    this.changed(fileId, null);
  }

  /** Least recently used cached files go until the cache fits its limit again (never `keep`, never uploads). */
  private async evict(keep: string): Promise<void> {
    let total = this.repo.cachedBytes();
    for (const row of this.repo.evictable()) {
      if (total <= this.cacheLimitBytes) return;
      if (row.id === keep || this.downloads.isRunning(row.id)) continue;
      this.repo.setCached(row.id, false, null);
      await this.store.remove(row.id);
      total -= row.size;
      this.changed(row.id, null);
    }
  }

  private require(fileId: string): FileRow {
    const row = this.repo.get(fileId);
    if (!row) throw notFound('File', fileId);
    return row;
  }

  private view(row: FileRow, live: LiveProgress | null = null): FileView {
    return {
      id: row.id,
      notebookId: row.notebookId,
      nodeId: row.nodeId,
      name: row.name,
      mimeType: row.mimeType,
      size: row.size,
      state: row.state,
      uploadedBytes: Math.min(row.size, Math.max(row.sentBytes, live?.sentBytes ?? 0)),
      error: row.lastError,
      cached: row.cached === 1,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
    };
  }

  private changed(fileId: string, live: LiveProgress | null, gone?: FileRow): void {
    if (live) this.live.set(fileId, live);
    else this.live.delete(fileId);
    this.transfersChanged();
    const row = gone ?? this.repo.get(fileId);
    if (!row) return;
    this.events.emit('file.changed', {
      accountId: this.replica.accountId,
      file: this.view(row, live),
      bytesPerSecond: live?.bytesPerSecond ?? null,
      removed: gone !== undefined,
    });
  }
}
