import type { SettingsView } from '../../shared/contract';

/** Where the person is: an account, a notebook in it and the open page (null: none open). */
export interface Place {
  accountId: string;
  notebookId: string | null;
  nodeId: string | null;
}

export type SavedPlace = Pick<SettingsView, 'lastAccountId' | 'lastNotebookId' | 'lastOpenedNodeId'>;

/**
 * Where the workspace starts on reload and restart: the saved page, in whichever account holds it (a desktop
 * deep link saves only the page, which may be in any account; the saved account is asked first), in its
 * notebook; else the saved account and notebook; else the first account. `notebookOf` answers which notebook
 * of an account holds a node, or null when that account has no such node.
 */
export async function startPlace(
  accountIds: readonly string[],
  saved: SavedPlace,
  notebookOf: (accountId: string, nodeId: string) => Promise<string | null>,
): Promise<Place | null> {
  const first = accountIds[0];
  if (first === undefined) return null;
  const accountId =
    saved.lastAccountId !== null && accountIds.includes(saved.lastAccountId) ? saved.lastAccountId : first;
  const nodeId = saved.lastOpenedNodeId;
  if (nodeId !== null) {
    for (const candidate of [accountId, ...accountIds.filter((id) => id !== accountId)]) {
      const notebookId = await notebookOf(candidate, nodeId);
      if (notebookId !== null) return { accountId: candidate, notebookId, nodeId };
    }
  }
  const notebookId = saved.lastAccountId === accountId ? saved.lastNotebookId : null;
  return { accountId, notebookId, nodeId: null };
}
