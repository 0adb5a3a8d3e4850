import { DocumentsService } from '../documents/documents.service';
import { NodesService } from '../nodes/nodes.service';
import { NotebooksService } from '../notebooks/notebooks.service';
import type { Replica } from '../replica/replica';
import type { Clock } from './clock';
import type { EventBus } from './events';

/** The services of one account, all over the account's replica. */
export class AccountContext {
  readonly notebooks: NotebooksService;
  readonly nodes: NodesService;
  readonly documents: DocumentsService;

  constructor(
    readonly replica: Replica,
    events: EventBus,
    clock: Clock,
  ) {
    this.notebooks = new NotebooksService(replica, events, clock);
    this.nodes = new NodesService(replica, events, clock);
    this.documents = new DocumentsService(replica, events, clock);
  }

  close(): void {
    this.documents.stop();
    this.replica.db.close();
  }
}
