import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, bytes, id } from './schemas';

/**
 * Files attached to pages (image and file blocks), offline-first: a file is copied into the account's data
 * folder before `file.add` answers, then uploaded with TUS from main, resuming from the server's offset after
 * a restart or a dropped connection. Files attached elsewhere are downloaded on demand into a local cache.
 */

export const FileState = {
  /** Waiting for or in the middle of its upload. */
  uploading: 'uploading',
  /** Upload paused by the user (kept, resumable). */
  paused: 'paused',
  /** The server refused the upload (kept with the reason, retryable). */
  failed: 'failed',
  /** On the server. */
  uploaded: 'uploaded',
  /** The Local account's: kept on this device only. */
  local: 'local',
  /** Attached elsewhere: known here, bytes fetched on demand. */
  remote: 'remote',
} as const;
export type FileState = (typeof FileState)[keyof typeof FileState];

export interface FileView {
  id: string;
  notebookId: string;
  /** The page it is attached to. */
  nodeId: string | null;
  name: string;
  mimeType: string;
  size: number;
  state: FileState;
  /** Bytes the server has acknowledged (uploads). */
  uploadedBytes: number;
  /** Why the last attempt failed (kept until a retry succeeds). */
  error: string | null;
  /** The bytes are on this device (shown without the network). */
  cached: boolean;
  createdAt: string;
  createdBy: string;
}

/** Which way a file's bytes are moving. */
export const TransferDirection = { upload: 'upload', download: 'download' } as const;
export type TransferDirection = (typeof TransferDirection)[keyof typeof TransferDirection];

export const TransferStatus = {
  /** Bytes are moving now. */
  active: 'active',
  /** Queued behind others, or waiting for the server to be reachable again (retried by itself). */
  waiting: 'waiting',
  /** Paused by the user (uploads). */
  paused: 'paused',
  /** Stopped with a reason: kept until it is retried or cancelled. */
  failed: 'failed',
} as const;
export type TransferStatus = (typeof TransferStatus)[keyof typeof TransferStatus];

/** An upload or download of the Transfers view (Sync panel). */
export interface TransferView {
  fileId: string;
  notebookId: string;
  /** The page it is attached to, when known on this device. */
  nodeId: string | null;
  name: string;
  /** 0 while a download's size is not known yet. */
  size: number;
  direction: TransferDirection;
  status: TransferStatus;
  /** Bytes sent (uploads: the most the server acknowledged or this attempt sent) or received so far. */
  doneBytes: number;
  /** The current attempt's average speed, while active. */
  bytesPerSecond: number | null;
  error: string | null;
}

/** The largest file one `file.add` carries (a browser-mode frame is at most 64 MiB of base64). */
export const FILE_ADD_MAX_BYTES = 32 * 1024 * 1024;

/** Names are the user's, shown and exported; never a path on disk (files are stored by id). */
const fileName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'at most 255 characters')
  .refine((value) => ![...value].some((c) => c.charCodeAt(0) < 0x20), 'must not contain control characters');
const mimeType = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type like image/png');

export const fileCommands = {
  /** Copies the bytes into the account's folder (durable when this answers) and queues the upload. */
  'file.add': command<FileView>()(() =>
    z.object({
      accountId,
      nodeId: id,
      name: fileName,
      mimeType: mimeType.optional(),
      data: bytes.refine((b) => b.length <= FILE_ADD_MAX_BYTES, 'at most 32 MiB per file here'),
    }),
  ),
  /**
   * The largest file the notebook's server accepts (`maxBytes`, its `maxFileSize`; null: no limit known), so a
   * picked file over it is refused before it is read or sent.
   */
  'file.limit': command<{ maxBytes: number | null }>()(() => z.object({ accountId, notebookId: id })),
  /** The files this device knows, of a page or of a notebook. */
  'file.list': command<FileView[]>()(() => z.object({ accountId, notebookId: id, nodeId: id.optional() })),
  'file.get': command<FileView>()(() => z.object({ accountId, fileId: id })),
  /**
   * Makes sure the bytes are on this device (downloads them if needed); answers the view. `name` and `size`
   * (the block's) name the download in Transfers until the server's answer says them.
   */
  'file.download': command<FileView>()(() =>
    z.object({
      accountId,
      notebookId: id,
      fileId: id,
      name: fileName.optional(),
      size: z.number().int().nonnegative().optional(),
    }),
  ),
  'file.pause': command<FileView>()(() => z.object({ accountId, fileId: id })),
  /** Resumes a paused upload, or retries a failed one. */
  'file.resume': command<FileView>()(() => z.object({ accountId, fileId: id })),
  /** Stops an upload for good: its bytes are removed here and on the server. */
  'file.cancel': command<null>()(() => z.object({ accountId, fileId: id })),
  /** The account's uploads not done yet (waiting, active, paused, failed) and its downloads (active, failed). */
  'file.transfers': command<TransferView[]>()(() => z.object({ accountId })),
  /** Stops a download (the partial bytes are dropped), or forgets a failed one. */
  'file.cancelDownload': command<null>()(() => z.object({ accountId, fileId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const fileEvents = {
  /**
   * A file's state or upload progress changed (`bytesPerSecond`: the current upload speed, when known);
   * `removed`: it was cancelled and is gone.
   */
  'file.changed': event<{
    accountId: string;
    file: FileView;
    bytesPerSecond: number | null;
    removed: boolean;
  }>(),
  /** The account's transfers changed (progress at most every 200 ms): the whole list, as `file.transfers`. */
  'file.transfersChanged': event<{ accountId: string; transfers: TransferView[] }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
