import { randomUUID } from 'node:crypto';
import type { Notebook } from '../../shared/api/notebooks';
import type { NotebookView } from '../../shared/contract';
import type { NotebookRole } from '../../shared/model/roles';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import { serverCall } from '../accounts/server-call';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { Replica } from '../replica/replica';
import { NotebooksRepository, type NotebookRow } from './notebooks.repository';

const toView = (accountId: string, row: NotebookRow): NotebookView => ({ ...row, accountId });

/** The server's notebook routes, as the desktop calls them (ServerClient). */
export interface NotebooksRemote {
  createNotebook(input: { name: string; description: string }, idempotencyKey: string): Promise<Notebook>;
  updateNotebook(notebookId: string, patch: { name: string; description?: string }): Promise<Notebook>;
  deleteNotebook(notebookId: string): Promise<void>;
}

/** What the account's sync engine does when the user changes the server's notebooks from this app. */
export interface NotebookSync {
  /** A notebook was created here: subscribe to its streams. */
  notebooksChanged(): void;
  /**
   * The server no longer gives us this notebook because the user deleted or left it: removed here with its
   * nodes, documents, outbox and cursors. `keepUnsynced`: its unconfirmed pages are copied to the Local account
   * first (leaving; deleting means the user wants them gone).
   */
  dropNotebook(notebookId: string, keepUnsynced: boolean): void;
}

/**
 * Notebooks of one account. On the Local account they exist only here; for server accounts the sync engine
 * mirrors them (notebooks are REST resources, not mutations).
 */
export class NotebooksService {
  private readonly notebooks: NotebooksRepository;

  private server: { remote: NotebooksRemote; sync: NotebookSync } | null = null;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    /** Server accounts: notebooks are server (REST) resources, mirrored here, not edited locally. */
    private readonly mirrored = false,
  ) {
    this.notebooks = new NotebooksRepository(replica.db);
  }

  connect(remote: NotebooksRemote, sync: NotebookSync): void {
    this.server = { remote, sync };
  }

  /**
   * The app's New notebook: on the Local account here; on a server account on the server first (online only,
   * nothing is created here unless the server created it), then mirrored and subscribed to.
   */
  async add(input: { name: string; description?: string | undefined }): Promise<NotebookView> {
    if (!this.mirrored) return this.create(input);
    const { remote, sync } = this.requireServer('created');
    const created = await serverCall(() =>
      remote.createNotebook(
        { name: input.name, description: input.description ?? '' },
        `app-create-${randomUUID()}`,
      ),
    );
    this.mirror([{ ...created, role: created.user.role }]);
    sync.notebooksChanged();
    return this.get(created.id);
  }

  /** The app's Rename: on a server account the server's answer is what is kept here. */
  async rename(
    id: string,
    patch: { name?: string | undefined; description?: string | undefined },
  ): Promise<NotebookView> {
    if (!this.mirrored) return this.update(id, patch);
    const current = this.get(id);
    const { remote } = this.requireServer('renamed');
    const updated = await serverCall(() =>
      remote.updateNotebook(id, {
        name: patch.name ?? current.name,
        ...(patch.description === undefined ? {} : { description: patch.description }),
      }),
    );
    this.mirror([{ ...updated, role: updated.user.role }]);
    return this.get(id);
  }

  /** The app's Delete: on a server account deleted there first, then here with everything of it. */
  async remove(id: string): Promise<void> {
    if (!this.mirrored) return this.delete(id);
    this.get(id);
    const { remote, sync } = this.requireServer('deleted');
    await serverCall(() => remote.deleteNotebook(id));
    sync.dropNotebook(id, false);
  }

  list(): NotebookView[] {
    return this.notebooks.list().map((row) => toView(this.replica.accountId, row));
  }

  get(id: string): NotebookView {
    const row = this.notebooks.get(id);
    if (!row) throw notFound('Notebook', id);
    return toView(this.replica.accountId, row);
  }

  create(input: { name: string; description?: string | undefined }): NotebookView {
    this.assertLocal();
    const now = isoNow(this.clock);
    const row: NotebookRow = {
      id: newId(IdPrefix.notebook),
      name: input.name,
      description: input.description ?? '',
      role: 'owner',
      createdAt: now,
      updatedAt: now,
    };
    this.notebooks.insert(row);
    this.changed();
    return toView(this.replica.accountId, row);
  }

  update(id: string, patch: { name?: string | undefined; description?: string | undefined }): NotebookView {
    this.assertLocal();
    const current = this.get(id);
    const row: NotebookRow = {
      id,
      name: patch.name ?? current.name,
      description: patch.description ?? current.description,
      role: current.role,
      createdAt: current.createdAt,
      updatedAt: isoNow(this.clock),
    };
    this.notebooks.update(row);
    this.changed();
    return toView(this.replica.accountId, row);
  }

  /**
   * Mirrors the server's notebook list (notebooks are REST resources there). A notebook missing from the list
   * is kept: an incomplete answer must never delete local data.
   */
  mirror(
    notebooks: readonly {
      id: string;
      name: string;
      description: string | null;
      role: NotebookRole;
      /** Bytes as a decimal string, as the server sends it. */
      maxFileSize?: string;
    }[],
  ): void {
    const now = isoNow(this.clock);
    this.replica.db.transaction(() => {
      for (const notebook of notebooks) {
        const existing = this.notebooks.get(notebook.id);
        this.notebooks.upsert({
          id: notebook.id,
          name: notebook.name,
          description: notebook.description ?? '',
          role: notebook.role,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        });
        if (notebook.maxFileSize !== undefined)
          this.notebooks.setMaxFileSize(notebook.id, notebook.maxFileSize);
      }
    })();
    this.changed();
  }

  /**
   * A server notebook this account lost (the server said so explicitly): removed from the replica with its
   * nodes, documents and outbox, inside the caller's transaction. Nothing else ever removes a mirrored one.
   */
  forget(id: string): void {
    this.notebooks.delete(id);
    this.changed();
  }

  delete(id: string): void {
    this.assertLocal();
    this.get(id);
    this.replica.db.transaction(() => this.notebooks.delete(id))();
    this.changed();
  }

  private requireServer(what: string): { remote: NotebooksRemote; sync: NotebookSync } {
    if (!this.server)
      throw new AppError(
        ErrorCode.unavailable,
        `This account is signed out, so its notebooks cannot be ${what}: add it again with a new token`,
      );
    return this.server;
  }

  /** Only `add`, `rename` and `remove` may change a server account's notebooks (through the server). */
  private assertLocal(): void {
    if (this.mirrored)
      throw badRequest('Notebooks of a server account are created, renamed and deleted on the server', [
        { path: 'accountId', message: 'is a server account' },
      ]);
  }

  private changed(): void {
    this.events.emit('notebook.changed', { accountId: this.replica.accountId });
  }
}
