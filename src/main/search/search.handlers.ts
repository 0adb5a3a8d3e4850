import type { searchCommands } from '../../shared/contract/search';
import { parseSearchQuery } from '../../shared/search/terms';
import type { DomainHandlers } from '../ipc/router';
import type { SearchService } from './search.service';

export interface SearchableAccount {
  id: string;
  name: string;
  search: SearchService;
}

export interface SearchHandlerDeps {
  /** The open accounts, each with its search. */
  searchable(): SearchableAccount[];
  account(accountId: string): { search: SearchService };
}

const DEFAULT_LIMIT = 30;

export const searchHandlers = ({ searchable, account }: SearchHandlerDeps) =>
  ({
    // Every account's best hits, merged by score (how many of the terms the title has: the same measure
    // everywhere); the sort is stable, so each account's own order stays.
    'search.query': ({ query, limit = DEFAULT_LIMIT }) => {
      const terms = parseSearchQuery(query);
      const accounts = searchable();
      const hits = accounts.flatMap((a) =>
        a.search
          .query(terms, limit)
          .map((hit) => ({ score: hit.score, view: { ...hit.view, accountId: a.id, accountName: a.name } })),
      );
      hits.sort((x, y) => x.score - y.score);
      return {
        query,
        terms,
        hits: hits.slice(0, limit).map((hit) => hit.view),
        indexing: accounts.flatMap((a) => a.search.indexing() ?? []),
      };
    },
    'search.rebuild': ({ accountId }) => account(accountId).search.rebuild(),
  }) satisfies DomainHandlers<typeof searchCommands>;
