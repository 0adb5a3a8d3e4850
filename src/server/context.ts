import type { NotesRepository } from './storage/repository';
import type { ChangeBus } from './sync/change-bus';
import type { Metrics } from './http/metrics';
import type { ExportTickets } from './services/export-tickets';
import type { DocCache } from './services/doc-cache';
import type { StoredFiles } from './services/stored-files';
import type { ServerLog } from './http/logging';
import type { UploadLimits } from './services/upload-limits';

/** Everything a service needs; one per running server. */
export interface ServerContext {
  repo: NotesRepository;
  /** Failures that do not end in an HTTP 5xx (a mutation of a batch, a socket frame) are logged here. */
  log: ServerLog;
  bus: ChangeBus;
  metrics: Metrics;
  tickets: ExportTickets;
  /** Decoded Yjs docs of recently written nodes/documents (an optimisation; never trusted blindly). */
  docs: DocCache;
  dataDir: string;
  /** Uploaded bytes on disk (TUS FileStore), removed when their rows go. */
  files: StoredFiles;
  /** Default `maxFileSize` for new notebooks, in bytes. */
  defaultMaxFileSize: number;
  /** Per-user upload size and budget limits (none unless configured). */
  uploadLimits?: UploadLimits;
  startedAt: string;
  /** Fault injection for crash tests: runs after each mutation of a batch, inside its open transaction. */
  afterMutation?: () => void;
  now(): string;
}
