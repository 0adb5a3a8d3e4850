import * as Y from 'yjs';
import { streamKeyPrefix } from '../../shared/api/sync-protocol';
import type { Db } from '../db/open';
import { DocumentsRepository } from '../documents/documents.repository';
import type { DocumentsService } from '../documents/documents.service';
import type { NodesService } from '../nodes/nodes.service';
import type { NotebooksService } from '../notebooks/notebooks.service';
import type { Replica } from '../replica/replica';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import { deleteOutboxRowsOf } from '../outbox/outbox.repository';
import type { SyncedAccount } from './synced-account';
import { pagesWithPendingUpdates, purgeStreamedRows, type SalvageScope } from './sync.repository';

/** A page holding changes the server never confirmed, as the user last saw it. */
export interface UnsyncedPage {
  name: string;
  /** The whole document (confirmed state and pending updates merged), ready to apply to a new page. */
  state: Uint8Array;
}

/** What was saved from a notebook or section this account can no longer reach. */
export interface Salvage {
  /** Where the pages were: "Notebook" or "Notebook › Section". */
  origin: string;
  server: string;
  pages: UnsyncedPage[];
}

/** Saves salvaged pages somewhere the user keeps them (the Local account); answers where, for the notice. */
export type SalvageSink = (salvage: Salvage) => string;

export type { SalvageScope };

/**
 * Pages in `scope` with unconfirmed changes: pending Yjs updates of the page or of its document (a refused
 * change keeps its row until discarded; reactions and read marks don't count). Losing access, or a deletion
 * made elsewhere, must not lose them (brief §5: nothing is lost, server rejection is shown, never silently
 * reverted), so they are copied out before the purge.
 */
export function unsyncedPages(db: Db, scope: SalvageScope): UnsyncedPage[] {
  const rows = pagesWithPendingUpdates(db, scope);
  const documents = new DocumentsRepository(db);
  return rows.map((row) => {
    const state = documents.state(row.id);
    const updates = documents.pendingUpdates(row.id);
    return { name: row.name, state: Y.mergeUpdates([...(state ? [state] : []), ...updates]) };
  });
}

/** Drops every mutation still waiting for a node of `nodeIds` (their pages were salvaged first). */
export function forgetOutboxOf(db: Db, nodeIds: readonly string[]): void {
  for (const objectId of nodeIds) deleteOutboxRowsOf(db, { objectId });
}

/**
 * The server said explicitly that this notebook is gone or no longer ours: salvage its unconfirmed pages,
 * then remove it and everything of it from the replica in one transaction. The salvage commits first (in
 * another database), so a crash in between copies the pages twice at worst, never loses them.
 */
export function dropNotebook(
  context: Pick<SyncedAccount, 'replica' | 'notebooks'>,
  notebookId: string,
  salvage: SalvageSink,
  server: string,
): { name: string; savedTo: string | null; pages: number } | null {
  const { db } = context.replica;
  const notebook = new NotebooksRepository(db).get(notebookId);
  if (!notebook) return null;
  const pages = unsyncedPages(db, { notebookId, rootId: null });
  const savedTo = pages.length > 0 ? salvage({ origin: notebook.name, server, pages }) : null;
  db.transaction(() => {
    purgeStreamedRows(db, notebookId, streamKeyPrefix(notebookId));
    context.notebooks.forget(notebookId);
  })();
  return { name: notebook.name, savedTo, pages: pages.length };
}

export const RECOVERED_NOTEBOOK = 'Recovered';

/** What the Local account's sink needs: where to create the Recovered notebook, its sections and pages. */
export interface SalvageHome {
  readonly replica: Pick<Replica, 'db'>;
  readonly notebooks: Pick<NotebooksService, 'list' | 'create'>;
  readonly nodes: Pick<NodesService, 'create'>;
  readonly documents: Pick<DocumentsService, 'applyUpdate'>;
}

/**
 * The Local account's sink: a section per salvage in a "Recovered" notebook (created on first use), one page
 * per salvaged page with its whole content, in one transaction of the Local replica. Answers where it went.
 */
export function keepInLocal(local: SalvageHome, salvage: Salvage, now: Date): string {
  const { db } = local.replica;
  let where = '';
  db.transaction(() => {
    const notebook =
      local.notebooks.list().find((n) => n.name === RECOVERED_NOTEBOOK) ??
      local.notebooks.create({
        name: RECOVERED_NOTEBOOK,
        description: 'Pages with unsynced changes from notebooks or sections you lost access to.',
      });
    const host = hostOf(salvage.server);
    const sectionName = `${salvage.origin || 'Untitled'} (${host}, ${now.toISOString().slice(0, 10)})`;
    const section = local.nodes.create({
      notebookId: notebook.id,
      type: 'section',
      parentId: null,
      name: sectionName,
    });
    for (const page of salvage.pages) {
      const copy = local.nodes.create({
        notebookId: notebook.id,
        type: 'page',
        parentId: section.id,
        name: page.name,
      });
      local.documents.applyUpdate(copy.id, page.state, null);
    }
    where = `Local › ${RECOVERED_NOTEBOOK} › ${sectionName}`;
  })();
  return where;
}

function hostOf(serverUrl: string): string {
  try {
    return new URL(serverUrl).host;
  } catch {
    return serverUrl;
  }
}

/** The part of a notice that says where unconfirmed pages were kept. */
export function salvageNote(pages: number, savedTo: string | null): string {
  if (pages === 0 || savedTo === null) return '';
  return ` ${pages === 1 ? '1 page' : `${pages} pages`} with changes the server had not confirmed ${pages === 1 ? 'was' : 'were'} copied to ${savedTo}.`;
}
