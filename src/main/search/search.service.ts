import type { SearchHitView, SearchIndexingView } from '../../shared/contract';
import {
  ftsExpression,
  snippet,
  findMatches,
  highlightPieces,
  type SearchTerm,
} from '../../shared/search/terms';
import type { EventBus } from '../lib/events';
import { NodesRepository, type NodeRow } from '../nodes/nodes.repository';
import { NotebooksRepository, type NotebookRow } from '../notebooks/notebooks.repository';
import type { Replica } from '../replica/replica';
import {
  SEARCH_INDEX_VERSION,
  bareMatch,
  hitText,
  indexNodesAfter,
  indexState,
  markComplete,
  markIncomplete,
  onSearchIndexDamaged,
  resetIndex,
  newestMatches,
  type CandidateRow,
} from './search-index.repository';

/** A ranked hit of one account, before it is merged with the others'. */
export interface AccountHit {
  score: number;
  view: Omit<SearchHitView, 'accountId' | 'accountName'>;
}

/** Nodes indexed per transaction while rebuilding; the event loop turns between chunks. */
const REBUILD_CHUNK = 500;
/** Hits fetched beyond the limit, to fill in for those hidden (in the trash). */
const OVERFETCH = 2;

/** How many of the terms occur in `title` (as the highlighting finds them). */
function termsIn(title: string, terms: readonly SearchTerm[]): number {
  if (!title) return 0;
  return terms.filter((term) => findMatches(title, [term]).length > 0).length;
}

/** Per query: hits share parents and notebooks, looked up once. */
interface Lookups {
  ancestors: Map<string, NodeRow[]>;
  notebooks: Map<string, NotebookRow | null>;
}

/** A damaged FTS table reads as corruption or, dropped, as a missing table. */
function isIndexDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  return (
    (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) ||
    /no such table: (main\.)?search_|fts5|malformed/i.test(message)
  );
}

/**
 * One account's full-text search: ranked queries over its index, and the index's upkeep — checked when the
 * replica opens, rebuilt in the background (chunks of REBUILD_CHUNK nodes, one transaction each) when it is
 * missing, of an older scheme, incomplete, or found damaged by a query or a failed write. Only what is in
 * the replica can be found, so a page whose access was lost (purged) is gone from results with it; hits in
 * the trash are left out.
 */
export class SearchService {
  private readonly nodes: NodesRepository;
  private readonly notebooks: NotebooksRepository;
  private progress: { done: number; total: number } | null = null;
  private rebuildQueued = false;
  private stopped = false;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    /** Stale documents are re-materialised (and so re-indexed) after a rebuild. */
    private readonly afterRebuild: () => void = () => undefined,
  ) {
    this.nodes = new NodesRepository(replica.db);
    this.notebooks = new NotebooksRepository(replica.db);
    onSearchIndexDamaged(replica.db, (error) => {
      console.warn(`search index of ${replica.accountId} failed a write; rebuilding:`, error);
      markIncomplete(replica.db);
      this.rebuildSoon();
    });
  }

  /** Rebuilds in the background when the index cannot be trusted; answers whether it started one. */
  verify(): boolean {
    let healthy: boolean;
    try {
      const state = indexState(this.replica.db);
      healthy =
        state.tablePresent &&
        state.version === SEARCH_INDEX_VERSION &&
        state.complete &&
        state.rows === state.nodes;
    } catch {
      healthy = false;
    }
    if (!healthy) this.rebuildSoon();
    return !healthy;
  }

  indexing(): SearchIndexingView | null {
    return this.progress ? { accountId: this.replica.accountId, ...this.progress } : null;
  }

  /** Starts a rebuild (if none is running) and answers its progress. */
  rebuild(): SearchIndexingView {
    this.rebuildSoon();
    return this.indexing() ?? { accountId: this.replica.accountId, done: 0, total: 0 };
  }

  stop(): void {
    this.stopped = true;
  }

  private rebuildSoon(): void {
    if (this.progress || this.rebuildQueued || this.stopped) return;
    this.rebuildQueued = true;
    this.progress = { done: 0, total: 0 };
    setImmediate(() => {
      this.rebuildQueued = false;
      void this.runRebuild();
    });
  }

  private async runRebuild(): Promise<void> {
    const db = this.replica.db;
    try {
      resetIndex(db);
      const total = indexState(db).nodes;
      this.progress = { done: 0, total };
      let last = '';
      for (;;) {
        if (this.stopped) return;
        const next = indexNodesAfter(db, last, REBUILD_CHUNK);
        if (next === null) break;
        last = next;
        this.progress = { done: Math.min(total, this.progress.done + REBUILD_CHUNK), total };
        this.events.emit('search.changed', { accountId: this.replica.accountId });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      markComplete(db);
    } catch (error) {
      if (!this.stopped)
        console.warn(`search index of ${this.replica.accountId} could not be rebuilt:`, error);
    } finally {
      this.progress = null;
    }
    if (this.stopped) return;
    this.afterRebuild();
    this.events.emit('search.changed', { accountId: this.replica.accountId });
  }

  /**
   * The best hits for the terms in this account, best first: pages whose title has more of the terms first
   * (found among the newest title matches and the newest matches anywhere), then the newest. `score` is
   * lower for better hits, comparable across accounts (the number of terms in the title, negated).
   */
  query(terms: readonly SearchTerm[], limit: number): AccountHit[] {
    const expression = ftsExpression(terms);
    const titleExpression = ftsExpression(terms, ['title']);
    if (expression === null || titleExpression === null) return [];
    const fetch = limit + OVERFETCH * 4;
    let candidates: CandidateRow[];
    try {
      candidates = [
        ...newestMatches(this.replica.db, titleExpression, fetch),
        ...newestMatches(this.replica.db, expression, fetch),
      ];
    } catch (error) {
      if (!isIndexDamage(error)) throw error;
      console.warn(`search index of ${this.replica.accountId} is damaged; rebuilding:`, error);
      this.rebuildSoon();
      return [];
    }
    const ranked = new Map<string, { row: number; inTitle: number }>();
    for (const candidate of candidates) {
      if (ranked.has(candidate.nodeId)) continue;
      ranked.set(candidate.nodeId, { row: candidate.row, inTitle: termsIn(candidate.title, terms) });
    }
    const order = [...ranked].sort(([, a], [, b]) => b.inTitle - a.inTitle || b.row - a.row);
    const hits: AccountHit[] = [];
    const lookups: Lookups = { ancestors: new Map(), notebooks: new Map() };
    for (const [nodeId, rank] of order) {
      if (hits.length >= limit) break;
      const view = this.describe(nodeId, terms, lookups);
      if (view) hits.push({ score: -rank.inTitle, view });
    }
    return hits;
  }

  /** The bench's baseline: the same expression as a bare MATCH (no ranking, joins or snippets). */
  bareMatch(terms: readonly SearchTerm[], limit: number): number[] {
    const expression = ftsExpression(terms);
    return expression === null ? [] : bareMatch(this.replica.db, expression, limit);
  }

  private describe(
    nodeId: string,
    terms: readonly SearchTerm[],
    lookups: Lookups,
  ): AccountHit['view'] | null {
    const node = this.nodes.get(nodeId);
    if (!node || node.trashedAt !== null) return null;
    // A node's ancestors are its parent's chain: hits under the same parent share one lookup.
    const parentKey = node.parentId ?? '';
    let ancestors = lookups.ancestors.get(parentKey);
    if (!ancestors) {
      ancestors = this.nodes.ancestors(nodeId);
      lookups.ancestors.set(parentKey, ancestors);
    }
    if (ancestors.some((a) => a.trashedAt !== null)) return null;
    let notebook = lookups.notebooks.get(node.notebookId);
    if (notebook === undefined) {
      notebook = this.notebooks.get(node.notebookId) ?? null;
      lookups.notebooks.set(node.notebookId, notebook);
    }
    const text = hitText(this.replica.db, nodeId) ?? { title: node.name, body: '' };
    const isMessage = node.type === 'message';
    return {
      notebookId: node.notebookId,
      notebookName: notebook?.name ?? '',
      nodeId,
      type: node.type,
      openId: isMessage && node.parentId !== null ? node.parentId : nodeId,
      icon: node.icon,
      title: isMessage ? [] : highlightPieces(node.name, findMatches(node.name, terms)),
      snippet: snippet(text.body, terms),
      path: ancestors.map((a) => a.name).reverse(),
      updatedAt: node.updatedAt,
    };
  }
}
