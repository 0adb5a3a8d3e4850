import { useState } from 'react';
import type { NodeView } from '../../../shared/contract';
import { useLiveQuery } from '../../lib/live-query';
import { Dialog } from '../../ui/dialog';
import { EmptyState } from '../../ui/empty-state';
import { Icon } from '../../ui/icons';
import type { NodeActions } from '../nodes/use-node-actions';
import { displayName } from '../sidebar/tree-model';

export interface TrashViewProps {
  accountId: string;
  notebookId: string;
  actions: NodeActions;
}

const formatWhen = (iso: string | null): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';

/** What was moved to the trash in this notebook: restore it, or delete it for good after a confirmation. */
export function TrashView({ accountId, notebookId, actions }: TrashViewProps) {
  const [purging, setPurging] = useState<NodeView | null>(null);
  const trash = useLiveQuery(
    `${accountId}/${notebookId}`,
    (api) => api.invoke('node.trashList', { accountId, notebookId }),
    (api, refresh) =>
      api.subscribe('node.changed', (event) => {
        if (event.accountId === accountId && event.notebookId === notebookId) refresh();
      }),
  );
  const items = trash.data ?? [];
  return (
    <section className="trash-view" aria-label="Trash">
      <header className="page-header">
        <h1 className="view-title">
          <Icon name="trash" size={18} /> Trash
        </h1>
      </header>
      <div className="page-scroll">
        <div className="page-column">
          {trash.error ? <p className="page-error">{trash.error}</p> : null}
          {trash.data && items.length === 0 ? (
            <EmptyState icon="trash" title="The trash is empty">
              Pages and sections you move to the trash wait here until you restore them or delete them for
              good.
            </EmptyState>
          ) : (
            <ul className="trash-list">
              {items.map((node) => (
                <li key={node.id} className="trash-item">
                  <span className="node-icon static">
                    {node.icon ?? <Icon name={node.type === 'section' ? 'section' : 'page'} />}
                  </span>
                  <span className="trash-text">
                    <span className="trash-name">{displayName(node)}</span>
                    <span className="trash-meta">Moved to trash {formatWhen(node.trashedAt)}</span>
                  </span>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => void actions.restore(node.id)}
                  >
                    <Icon name="restore" size={14} /> Restore
                  </button>
                  <button
                    type="button"
                    className="button small danger-outline"
                    onClick={() => setPurging(node)}
                  >
                    Delete forever
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {purging ? (
        <Dialog
          title={`Delete “${displayName(purging)}” forever?`}
          confirmLabel="Delete forever"
          danger
          onConfirm={() => void actions.purge(purging.id)}
          onClose={() => setPurging(null)}
        >
          <p>It and everything inside it will be gone for good. This cannot be undone.</p>
        </Dialog>
      ) : null}
    </section>
  );
}
