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
  hitRow,
  indexNodesAfter,
  indexState,
  markComplete,
  markIncomplete,
  onSearchIndexDamaged,
  resetIndex,
  addIndexTermsAfter,
  MatchedTable,
  newestMatches,
  termsWithPrefix,
  tokensOf,
  vocabularyComplete,
  type CandidateRow,
} from './search-index.repository';

/** A ranked hit of one account, before it is merged with the others'. */
export interface AccountHit {
  score: number;
  view: Omit<SearchHitView, 'accountId' | 'accountName'>;
}

/** Nodes indexed per transaction while rebuilding; the event loop turns between chunks. */
const REBUILD_CHUNK = 500;
/** Tokens added to the vocabulary per transaction at the end of a rebuild. */
const TERMS_CHUNK = 2_000;
/** Hits fetched beyond the limit, to fill in for those hidden (in the trash). */
const OVERFETCH = 2;
/** Prefix lengths the FTS table keeps an index of (its `prefix = '2 3'`): asked as prefixes, already fast. */
const INDEXED_PREFIX_LENGTHS: ReadonlySet<number> = new Set([2, 3]);
/** A word that begins more of the vocabulary's tokens than this is asked as a prefix (FTS5 merges them). */
const MAX_WHOLE_WORDS = 48;

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
  /** Damage found while a rebuild runs: what it already rebuilt may be gone, so it starts over. */
  private damagedWhileRebuilding = false;
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
      this.damaged();
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

  private damaged(): void {
    if (this.progress && !this.rebuildQueued) this.damagedWhileRebuilding = true;
    this.rebuildSoon();
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
    let again = false;
    try {
      this.damagedWhileRebuilding = false;
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
      for (let term: string | null = ''; term !== null;) {
        if (this.stopped) return;
        term = addIndexTermsAfter(db, term, TERMS_CHUNK);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      again = this.damagedWhileRebuilding;
      if (!again) markComplete(db);
    } catch (error) {
      if (!this.stopped)
        console.warn(`search index of ${this.replica.accountId} could not be rebuilt:`, error);
    } finally {
      this.progress = null;
    }
    if (this.stopped) return;
    if (again) {
      this.rebuildSoon();
      return;
    }
    this.afterRebuild();
    this.events.emit('search.changed', { accountId: this.replica.accountId });
  }

  /**
   * The best hits for the terms in this account, best first: pages whose title has more of the terms first
   * (found among the newest title matches and the newest matches anywhere), then the newest. `score` is
   * lower for better hits, comparable across accounts (the number of terms in the title, negated).
   */
  query(terms: readonly SearchTerm[], limit: number): AccountHit[] {
    if (terms.length === 0) return [];
    const fetch = limit + OVERFETCH * 4;
    let candidates: CandidateRow[];
    try {
      const wholeWords = this.wholeWords(terms);
      if (wholeWords === null) return [];
      const expression = ftsExpression(terms, undefined, wholeWords);
      if (expression === null) return [];
      candidates = [
        ...newestMatches(this.replica.db, MatchedTable.titles, expression, fetch),
        ...newestMatches(this.replica.db, MatchedTable.text, expression, fetch),
      ];
    } catch (error) {
      if (!isIndexDamage(error)) throw error;
      console.warn(`search index of ${this.replica.accountId} is damaged; rebuilding:`, error);
      this.damaged();
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

  /**
   * For each word of the query that is not an indexed prefix length, the vocabulary's tokens it begins
   * (see `ftsExpression`); null when a word begins none, so nothing can match. Words FTS5 would split or
   * drop (the index's tokenizer says), or that begin too many tokens, stay prefix queries; so do all words
   * while a rebuild runs and while the index is of an older scheme, built without a vocabulary.
   */
  private wholeWords(terms: readonly SearchTerm[]): Map<string, string[]> | null {
    const db = this.replica.db;
    const words = new Map<string, string[]>();
    if (!vocabularyComplete(db)) return words;
    for (const term of terms) {
      if (term.cjk) continue;
      const tokens = tokensOf(db, term.text);
      if (tokens.length !== 1 || INDEXED_PREFIX_LENGTHS.has([...tokens[0]!].length)) continue;
      const whole = termsWithPrefix(db, tokens[0]!, MAX_WHOLE_WORDS + 1);
      if (whole.length === 0) return null;
      if (whole.length <= MAX_WHOLE_WORDS) words.set(term.text, whole);
    }
    return words;
  }

  /**
   * The bench's baselines: a bare MATCH (no ranking, joins or snippets) of the words as FTS5 prefix
   * queries, or (`wholeWords`) of the expression `query` asks.
   */
  bareMatch(terms: readonly SearchTerm[], limit: number, wholeWords = false): number[] {
    const whole = wholeWords ? this.wholeWords(terms) : undefined;
    if (whole === null) return [];
    const expression = ftsExpression(terms, undefined, whole);
    return expression === null ? [] : bareMatch(this.replica.db, expression, limit);
  }

  private describe(
    nodeId: string,
    terms: readonly SearchTerm[],
    lookups: Lookups,
  ): AccountHit['view'] | null {
    const node = hitRow(this.replica.db, nodeId);
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
    const isMessage = node.type === 'message';
    return {
      notebookId: node.notebookId,
      notebookName: notebook?.name ?? '',
      nodeId,
      type: node.type,
      openId: isMessage && node.parentId !== null ? node.parentId : nodeId,
      icon: node.icon,
      title: isMessage ? [] : highlightPieces(node.name, findMatches(node.name, terms)),
      snippet: snippet(node.body, terms),
      path: ancestors.map((a) => a.name).reverse(),
      updatedAt: node.updatedAt,
    };
  }
}
