import * as z from 'zod';
import type { TiptapDoc } from '../crdt/document';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, bytes, id } from './schemas';

/** A page's document: the Yjs state an editor binds to and its updates. */

export interface DocumentOpenView {
  documentId: string;
  /** Yjs state (confirmed + pending local updates) the editor binds to. */
  state: Uint8Array;
  /** Materialised TipTap JSON, for previews and as the first paint while the editor binds. */
  content: TiptapDoc;
  updatedAt: string;
}

export interface DocumentSaveView {
  documentId: string;
  savedAt: string;
}

export const documentCommands = {
  'document.open': command<DocumentOpenView>()(() => z.object({ accountId, documentId: id })),
  'document.update': command<DocumentSaveView>()(() =>
    z.object({ accountId, documentId: id, update: bytes.refine((u) => u.length > 0, 'must not be empty') }),
  ),
  'document.close': command<null>()(() => z.object({ accountId, documentId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const documentEvents = {
  /** A document received an update from another window or device; editors merge it into their Y.Doc. */
  'document.updated': event<{ accountId: string; documentId: string; update: Uint8Array; origin: string }>(),
  /**
   * Local changes of a document were discarded (the user dropped refused changes): open editors must open it
   * again, with a new Y.Doc — theirs still holds the discarded text, and edits built on it could never sync.
   */
  'document.reset': event<{ accountId: string; documentId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
