import type { CommentsService } from '../comments/comments.service';
import type { DocumentsService } from '../documents/documents.service';
import type { InteractionsService } from '../interactions/interactions.service';
import type { NodesService } from '../nodes/nodes.service';
import type { NotebooksService } from '../notebooks/notebooks.service';
import type { ReactionsService } from '../reactions/reactions.service';
import type { Replica } from '../replica/replica';

/**
 * What syncing needs of a server account: its replica and the domain operations that apply, confirm or
 * revert server changes — nothing else of the account (the composition root's `AccountContext` provides it).
 * Kept narrow so sync/ depends on the services it calls, not on the place that builds them.
 */
export interface SyncedAccount {
  readonly replica: Replica;
  readonly notebooks: Pick<NotebooksService, 'list' | 'mirror' | 'forget'>;
  readonly nodes: Pick<
    NodesService,
    'applyRemoteUpdate' | 'applyRemoteDeletion' | 'dropRoot' | 'reloadFromStoredUpdates'
  >;
  readonly documents: Pick<
    DocumentsService,
    'applyRemoteUpdate' | 'remoteUpdateCommitted' | 'reloadFromStoredUpdates'
  >;
  readonly reactions: Pick<ReactionsService, 'confirmed' | 'echoed'>;
  readonly interactions: Pick<InteractionsService, 'recordStream' | 'announce'>;
  /** A page's comments changed on the server (its `node.comments` item): fetched again; connected: sent. */
  readonly comments: Pick<CommentsService, 'remoteChanged' | 'flush'>;
}

/** What the stream applier needs: the replica and the services that apply stream items. */
export type StreamTarget = Pick<SyncedAccount, 'replica' | 'nodes' | 'documents' | 'reactions'>;
