import type { NotebookView } from '../../shared/contract';
import type { NotebookRole } from '../../shared/model/roles';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { badRequest, notFound } from '../../shared/lib/result';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { Replica } from '../replica/replica';
import { NotebooksRepository, type NotebookRow } from './notebooks.repository';

const toView = (accountId: string, row: NotebookRow): NotebookView => ({ ...row, accountId });

/**
 * Notebooks of one account. On the Local account they exist only here; for server accounts the sync engine
 * mirrors them (notebooks are REST resources, not mutations).
 */
export class NotebooksService {
  private readonly notebooks: NotebooksRepository;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    /** Server accounts: notebooks are server (REST) resources, mirrored here, not edited locally. */
    private readonly mirrored = false,
  ) {
    this.notebooks = new NotebooksRepository(replica.db);
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
