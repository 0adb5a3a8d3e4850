import type { NotesRepository } from './storage/repository';
import type { ChangeBus } from './sync/change-bus';
import type { Metrics } from './http/metrics';
import type { ExportTickets } from './services/export-tickets';

/** Everything a service needs; one per running server. */
export interface ServerContext {
  repo: NotesRepository;
  bus: ChangeBus;
  metrics: Metrics;
  tickets: ExportTickets;
  dataDir: string;
  /** Default `maxFileSize` for new notebooks, in bytes. */
  defaultMaxFileSize: number;
  startedAt: string;
  now(): string;
}
