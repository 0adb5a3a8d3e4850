import type { MemberView } from '../../../shared/contract';
import { useLiveQuery, type LiveQuery } from '../../lib/live-query';

/** A notebook's members as the replica knows them (its `users` stream), live; null: no notebook. */
export function useMembers(accountId: string, notebookId: string | null): LiveQuery<MemberView[]> {
  return useLiveQuery(
    notebookId === null ? null : `${accountId}/${notebookId}`,
    (a) => a.invoke('sharing.members', { accountId, notebookId: notebookId ?? '' }),
    (a, refresh) =>
      a.subscribe(
        'sharing.changed',
        (e) => e.accountId === accountId && e.notebookId === notebookId && refresh(),
      ),
  );
}
