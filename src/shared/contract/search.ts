import * as z from 'zod';
import type { SearchTerm, TextPiece } from '../search/terms';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId } from './schemas';

/** Full-text search over every account's replica (titles, documents, record fields, messages). */

export interface SearchHitView {
  accountId: string;
  accountName: string;
  notebookId: string;
  notebookName: string;
  nodeId: string;
  /** The node's type (an unknown type as its own name). */
  type: string;
  /** What to open for it: the node itself, or a message's channel. */
  openId: string;
  icon: string | null;
  /** The node's name with what matched highlighted (empty for a message). */
  title: TextPiece[];
  /** An excerpt around the first match in its text (fields and document), highlighted. */
  snippet: TextPiece[];
  /** Names of the section, pages, database or channel above it, outermost first. */
  path: string[];
  updatedAt: string;
}

export interface SearchIndexingView {
  accountId: string;
  /** Nodes indexed so far of `total`, while the index of this account is being (re)built. */
  done: number;
  total: number;
}

export interface SearchResultsView {
  query: string;
  /** The words searched for (folded), for highlighting the opened page the same way. */
  terms: SearchTerm[];
  hits: SearchHitView[];
  /** Accounts whose index is being rebuilt right now: their results may be incomplete. */
  indexing: SearchIndexingView[];
}

export const searchCommands = {
  /**
   * Searches every account at once. The query is plain text: quotes, `*`, `-`, `NEAR(` and the
   * like are words, never syntax, so no query is an error; nothing searchable gives no hits.
   */
  'search.query': command<SearchResultsView>()(() =>
    z.object({
      query: z.string().max(1_000),
      limit: z.number().int().min(1).max(100).optional(),
    }),
  ),
  /** Rebuilds an account's index from its replica (also done by itself when the index is missing or damaged). */
  'search.rebuild': command<SearchIndexingView>()(() => z.object({ accountId })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const searchEvents = {
  /** An account's searchable text changed (a document's text was indexed, a rebuild progressed). */
  'search.changed': event<{ accountId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
