import { useState } from 'react';
import type { AccountView, NotebookView } from '../../../shared/contract';
import { NotebookAction, canOnNotebook } from '../../../shared/model/permissions';
import { NotebookStatus } from '../../../shared/model/roles';
import { Dialog } from '../../ui/dialog';
import { Icon } from '../../ui/icons';
import { Menu, menuBelow, type MenuItem } from '../../ui/menu';
import { PromptDialog } from '../../ui/prompt-dialog';
import { MembersDialog } from '../sharing/MembersDialog';
import { OPEN_ACCOUNTS_EVENT } from '../sync/SyncControls';
import { MoveNotebook } from './MoveNotebook';

export interface NotebookSwitcherProps {
  accounts: readonly AccountView[];
  account: AccountView;
  notebooks: readonly NotebookView[];
  notebook: NotebookView | null;
  onSelectAccount(accountId: string): void;
  onSelectNotebook(notebookId: string): void;
  onCreate(name: string): void;
  onRename(notebookId: string, name: string): void;
  onDelete(notebookId: string): void;
}

type Dialogs =
  | { kind: 'create' }
  | { kind: 'rename'; notebook: NotebookView }
  | { kind: 'delete'; notebook: NotebookView }
  | { kind: 'members'; notebook: NotebookView }
  | { kind: 'move'; notebook: NotebookView; target: AccountView };

/** What the user's notebook role allows (the server's table): what it does not is not offered. */
const may = (notebook: NotebookView, action: NotebookAction): boolean =>
  canOnNotebook(notebook.role, NotebookStatus.active, action).allowed;

/** The sidebar header: which account and notebook you are in, and everything you can do to notebooks. */
export function NotebookSwitcher(props: NotebookSwitcherProps) {
  const { account, notebook, notebooks } = props;
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [dialog, setDialog] = useState<Dialogs | null>(null);

  const servers = props.accounts.filter((a) => a.kind === 'server');
  const items: (MenuItem | 'separator')[] = [
    ...props.accounts
      .filter((a) => a.id !== account.id)
      .map((a) => ({
        label: a.kind === 'local' ? 'Switch to notebooks on this device' : `Switch to ${a.name}`,
        icon: 'sync' as const,
        onSelect: () => props.onSelectAccount(a.id),
      })),
    ...(props.accounts.length > 1 ? ['separator' as const] : []),
    ...notebooks.map((n) => ({
      label: n.name,
      icon: n.id === notebook?.id ? ('check' as const) : ('notebook' as const),
      onSelect: () => props.onSelectNotebook(n.id),
    })),
    'separator',
    { label: 'New notebook…', icon: 'plus', onSelect: () => setDialog({ kind: 'create' }) },
    ...(notebook
      ? [
          ...(account.kind === 'server'
            ? [
                {
                  label: 'Members…',
                  icon: 'users' as const,
                  onSelect: () => setDialog({ kind: 'members', notebook }),
                },
              ]
            : []),
          ...(may(notebook, NotebookAction.update)
            ? [
                {
                  label: 'Rename notebook…',
                  icon: 'pencil' as const,
                  onSelect: () => setDialog({ kind: 'rename', notebook }),
                },
              ]
            : []),
          ...(account.kind === 'local'
            ? servers.map((target) => ({
                label: `Move to ${target.name}…`,
                icon: 'sync' as const,
                onSelect: () => setDialog({ kind: 'move', notebook, target }),
              }))
            : []),
          ...(may(notebook, NotebookAction.delete)
            ? [
                {
                  label: 'Delete notebook…',
                  icon: 'trash' as const,
                  danger: true,
                  onSelect: () => setDialog({ kind: 'delete', notebook }),
                },
              ]
            : []),
        ]
      : []),
    'separator',
    {
      label: 'Accounts…',
      icon: 'sync',
      onSelect: () => window.dispatchEvent(new Event(OPEN_ACCOUNTS_EVENT)),
    },
  ];

  return (
    <>
      <button
        type="button"
        className="switcher"
        aria-haspopup="menu"
        aria-expanded={menuAt !== null}
        aria-label="Switch notebook"
        onClick={(event) => setMenuAt(menuBelow(event.currentTarget))}
      >
        <span className="switcher-badge" aria-hidden="true">
          {(notebook?.name ?? account.name).slice(0, 1).toUpperCase()}
        </span>
        <span className="switcher-text">
          <span className="switcher-notebook">{notebook?.name ?? 'No notebook'}</span>
          <span className="switcher-account">{account.name}</span>
        </span>
        <Icon name="chevronsUpDown" size={14} />
      </button>
      {menuAt ? <Menu label="Notebooks" at={menuAt} items={items} onClose={() => setMenuAt(null)} /> : null}
      {dialog?.kind === 'create' ? (
        <PromptDialog
          title="New notebook"
          label="Name"
          confirmLabel="Create"
          onSubmit={props.onCreate}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'rename' ? (
        <PromptDialog
          title="Rename notebook"
          label="Name"
          initial={dialog.notebook.name}
          confirmLabel="Rename"
          onSubmit={(name) => props.onRename(dialog.notebook.id, name)}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'move' ? (
        <MoveNotebook
          notebook={dialog.notebook}
          target={dialog.target}
          onOpenAccount={props.onSelectAccount}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'members' ? (
        <MembersDialog accountId={account.id} notebook={dialog.notebook} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <Dialog
          title={`Delete “${dialog.notebook.name}”?`}
          confirmLabel="Delete notebook"
          danger
          onConfirm={() => props.onDelete(dialog.notebook.id)}
          onClose={() => setDialog(null)}
        >
          <p>
            Every section and page in this notebook will be deleted
            {account.kind === 'server' ? ', on the server and for everyone in it' : ''}. This cannot be
            undone.
          </p>
        </Dialog>
      ) : null}
    </>
  );
}
