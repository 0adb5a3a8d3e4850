import type { Editor } from '@tiptap/react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import type { TiptapDoc } from '../../../shared/crdt/document';
import type { VersionContentView, VersionView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { Dialog } from '../../ui/dialog';
import { EmptyState } from '../../ui/empty-state';
import { Icon } from '../../ui/icons';
import { PromptDialog } from '../../ui/prompt-dialog';
import { useToasts } from '../../ui/toast';
import { relativeTime, useNow, useShowModal } from '../sync/use-sync';
import { DiffView } from './DiffView';
import { restoreIntoEditor } from './restore';
import { VersionPreview } from './VersionPreview';
import './history.css';

export interface HistoryPanelProps {
  accountId: string;
  nodeId: string;
  pageName: string;
  /** The open page's editor and Y.Doc: compare reads it, restore edits it. */
  editor: Editor;
  doc: Y.Doc;
  onClose(): void;
}

const KIND_LABEL = {
  manual: 'Saved version',
  auto: 'Automatic',
  restore: 'Before a restore',
  import: 'Before an import',
} as const;

export const versionTitle = (v: VersionView): string => v.name ?? KIND_LABEL[v.kind];

type Ask = 'save' | 'rename' | 'delete' | 'restore' | null;

/** A page's version history: the versions newest first, a read-only preview or a diff with the page now. */
export function HistoryPanel({ accountId, nodeId, pageName, editor, doc, onClose }: HistoryPanelProps) {
  const api = useApi();
  const { check, notify } = useToasts();
  const ref = useShowModal();
  const now = useNow();
  const list = useLiveQuery(
    `versions:${accountId}:${nodeId}`,
    (a) => a.invoke('version.list', { accountId, nodeId }),
    (a, refresh) =>
      a.subscribe('version.changed', (event) => {
        if (event.accountId === accountId && event.nodeId === nodeId) refresh();
      }),
  );
  const versions = list.data?.versions ?? [];
  const canManage = list.data?.canManage ?? false;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = versions.find((v) => v.id === selectedId) ?? versions[0] ?? null;
  const [mode, setMode] = useState<'preview' | 'compare'>('compare');
  const [ask, setAsk] = useState<Ask>(null);
  const content = useVersionContent(accountId, nodeId, selected);
  const listRef = useRef<HTMLUListElement>(null);

  const move = (event: KeyboardEvent<HTMLUListElement>): void => {
    const index = versions.findIndex((v) => v.id === selected?.id);
    const next =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? versions.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    const target = versions[Math.max(0, Math.min(versions.length - 1, next))];
    if (target) setSelectedId(target.id);
  };
  useEffect(() => {
    listRef.current
      ?.querySelector<HTMLElement>('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest' });
  }, [selected?.id]);

  const saveNow = async (name: string): Promise<void> => {
    const made = check(await api.invoke('version.create', { accountId, nodeId, name }), 'save a version');
    if (made) setSelectedId(made.id);
  };
  const rename = async (version: VersionView, name: string): Promise<void> => {
    check(
      await api.invoke('version.rename', { accountId, nodeId, versionId: version.id, name }),
      'rename it',
    );
  };
  const remove = async (version: VersionView): Promise<void> => {
    const done = check(
      await api.invoke('version.delete', { accountId, nodeId, versionId: version.id }),
      'delete it',
    );
    if (done !== undefined) setSelectedId(null);
  };
  const restore = async (version: VersionView, target: TiptapDoc): Promise<void> => {
    // The page as it is now becomes a version first: a restore never loses the current state.
    const before = await api.invoke('version.create', { accountId, nodeId, kind: 'restore' });
    if (!check(before, 'keep the current page as a version, so nothing was restored')) return;
    restoreIntoEditor(editor, doc, target);
    onClose();
    notify(`Restored “${versionTitle(version)}”. The page before it is in the history.`, {
      label: 'Undo',
      run: () => editor.commands.undo(),
    });
  };

  const ready = content.kind === 'ready' && content.view.version.id === selected?.id ? content.view : null;
  return (
    <dialog ref={ref} className="dialog history-panel" aria-labelledby="history-title" onClose={onClose}>
      <header className="panel-head">
        <h2 id="history-title" className="dialog-title">
          Version history <span className="history-page">{pageName}</span>
        </h2>
        {canManage ? (
          <button type="button" className="button small" onClick={() => setAsk('save')}>
            Save version now…
          </button>
        ) : null}
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {list.data?.offline ? (
        <p className="history-note" role="status">
          Offline: showing the versions kept on this device.
        </p>
      ) : null}
      {list.error && !list.data ? (
        <p className="page-error" role="alert">
          The history could not be loaded: {list.error}
        </p>
      ) : list.data && versions.length === 0 ? (
        <div className="panel-body">
          <EmptyState icon="restore" title="No versions yet">
            A version is kept automatically after you edit this page and pause, and before any restore.
            {canManage ? ' You can also save one now, with a name.' : ''}
          </EmptyState>
        </div>
      ) : (
        <div className="history-body">
          <ul
            ref={listRef}
            className="history-list"
            role="listbox"
            aria-label="Versions"
            tabIndex={0}
            aria-activedescendant={selected ? `version-${selected.id}` : undefined}
            onKeyDown={move}
            onClick={(event) => {
              const option = (event.target as Element).closest<HTMLElement>('[role="option"]');
              if (option?.dataset.versionId) setSelectedId(option.dataset.versionId);
            }}
          >
            {versions.map((v) => (
              <li
                key={v.id}
                id={`version-${v.id}`}
                role="option"
                aria-selected={v.id === selected?.id}
                className="history-item"
                data-version-id={v.id}
              >
                <span className="history-item-name">{versionTitle(v)}</span>
                <span className="history-item-meta">
                  <time dateTime={v.createdAt} title={new Date(v.createdAt).toLocaleString()}>
                    {relativeTime(v.createdAt, now)}
                  </time>
                  {' · '}
                  {v.createdByName}
                  {v.pending ? ' · not sent yet' : ''}
                  {!v.available && list.data?.offline ? ' · not on this device' : ''}
                </span>
              </li>
            ))}
          </ul>
          <section className="history-view" aria-label="Selected version">
            {selected ? (
              <div className="history-toolbar">
                <div className="history-modes" role="group" aria-label="Show">
                  <button type="button" aria-pressed={mode === 'compare'} onClick={() => setMode('compare')}>
                    Compare with current
                  </button>
                  <button type="button" aria-pressed={mode === 'preview'} onClick={() => setMode('preview')}>
                    Preview
                  </button>
                </div>
                <span className="history-when">{new Date(selected.createdAt).toLocaleString()}</span>
                {canManage ? (
                  <>
                    <button type="button" className="button small" onClick={() => setAsk('rename')}>
                      Rename…
                    </button>
                    <button type="button" className="button small" onClick={() => setAsk('delete')}>
                      Delete…
                    </button>
                    <button
                      type="button"
                      className="button small primary"
                      disabled={!ready}
                      onClick={() => setAsk('restore')}
                    >
                      Restore…
                    </button>
                  </>
                ) : null}
              </div>
            ) : null}
            {content.kind === 'failed' ? (
              <p className="page-error" role="alert">
                {content.message}
              </p>
            ) : ready ? (
              mode === 'compare' ? (
                <DiffView key={ready.version.id} before={ready.content} editor={editor} />
              ) : (
                <VersionPreview content={ready.content} />
              )
            ) : selected ? (
              <div className="page-loading" aria-busy="true" />
            ) : null}
          </section>
        </div>
      )}
      {ask === 'save' ? (
        <PromptDialog
          title="Save version now"
          label="Name"
          confirmLabel="Save version"
          onSubmit={(name) => void saveNow(name)}
          onClose={() => setAsk(null)}
        />
      ) : null}
      {ask === 'rename' && selected ? (
        <PromptDialog
          title="Rename version"
          label="Name"
          initial={selected.name ?? ''}
          confirmLabel="Rename"
          onSubmit={(name) => void rename(selected, name)}
          onClose={() => setAsk(null)}
        />
      ) : null}
      {ask === 'delete' && selected ? (
        <Dialog
          title="Delete this version?"
          confirmLabel="Delete version"
          danger
          onConfirm={() => void remove(selected)}
          onClose={() => setAsk(null)}
        >
          “{versionTitle(selected)}” from {new Date(selected.createdAt).toLocaleString()} is removed from the
          history{list.data?.offline ? ' (on the server once you are online)' : ''}. The page itself is not
          changed.
        </Dialog>
      ) : null}
      {ask === 'restore' && selected && ready ? (
        <Dialog
          title="Restore this version?"
          confirmLabel="Restore"
          onConfirm={() => void restore(selected, ready.content)}
          onClose={() => setAsk(null)}
        >
          The page becomes “{versionTitle(selected)}” as an ordinary edit: it syncs, others’ concurrent edits
          merge in, and Undo reverts it. The page as it is now is kept as a version first.
        </Dialog>
      ) : null}
    </dialog>
  );
}

type ContentState =
  { kind: 'loading' } | { kind: 'ready'; view: VersionContentView } | { kind: 'failed'; message: string };

function useVersionContent(accountId: string, nodeId: string, version: VersionView | null): ContentState {
  const api = useApi();
  // Keyed by the version it belongs to: another selection reads as loading until its answer arrives.
  const [state, setState] = useState<{ versionId: string; state: ContentState } | null>(null);
  const versionId = version?.id ?? null;
  useEffect(() => {
    if (versionId === null) return;
    let cancelled = false;
    void api.invoke('version.get', { accountId, nodeId, versionId }).then((result) => {
      if (cancelled) return;
      setState({
        versionId,
        state: result.ok
          ? { kind: 'ready', view: result.value }
          : {
              kind: 'failed',
              message:
                result.error.code === 'not_found'
                  ? 'This version was deleted (perhaps on another device).'
                  : result.error.code === 'unavailable'
                    ? 'This version is not on this device, and the server cannot be reached.'
                    : `This version could not be opened: ${result.error.message}`,
            },
      });
    });
    return () => {
      cancelled = true;
    };
  }, [api, accountId, nodeId, versionId]);
  return state !== null && state.versionId === versionId ? state.state : { kind: 'loading' };
}
