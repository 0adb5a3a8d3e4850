import { useEffect, useMemo, useState } from 'react';
import type {
  AccountView,
  NodeView,
  SearchHitView,
  SearchResultsView,
  SettingsView,
} from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useLatest } from '../../lib/latest';
import { useLiveQuery } from '../../lib/live-query';
import { useToasts } from '../../ui/toast';
import { CaptureDialog } from '../capture/CaptureDialog';
import type { Tree } from '../sidebar/tree-model';
import { OPEN_FIND_EVENT } from '../editor/open-find';
import { requestPageExport } from '../export/use-page-export';
import { requestTreeExport, useTreeExport } from '../export/use-tree-export';
import { OPEN_FILE_PICKER_EVENT } from '../files/file-picker';
import { ImportDialog } from '../import/ImportDialog';
import { IMPORT_DROPPED_EVENT, type DroppedImport } from '../import/sidebar-drop';
import { OPEN_PAGE_LINK_EVENT } from '../editor/page-links';
import { OPEN_HISTORY_EVENT } from '../history/open-history';
import { OPEN_COMMENTS_EVENT } from '../comments/open-comments';
import { OPEN_ACCOUNTS_EVENT, OPEN_SYNC_EVENT } from '../sync/SyncControls';
import { CommandPalette } from './CommandPalette';
import { DesktopSettings } from './DesktopSettings';
import { paletteItems } from './palette-items';
import { useCommandBindings, type CommandHandlers } from './use-commands';

export interface WorkspaceCommandsProps {
  account: AccountView;
  notebookId: string | null;
  /** The notebook to open is not known yet (see useNotebooks). */
  notebookLoading: boolean;
  settings: SettingsView;
  tree: Tree | undefined;
  /** A page (or record) is shown: Find in page applies. */
  pageOpen: boolean;
  /** …and this user may edit it: files may be attached. */
  pageEditable: boolean;
  onNewPage(): void;
  onNewSection(): void;
  onOpenPage(node: NodeView): void;
  /** Opens a page that may not be in the tree yet (just created) or in another notebook. */
  onOpenPageById(notebookId: string, nodeId: string): void;
  onOpenTrash(): void;
  onOpenSearch(): void;
  onOpenHit(hit: SearchHitView, results: SearchResultsView): void;
  onShowShortcuts(): void;
}

/**
 * The workspace's side of the command registry (src/shared/commands.ts): what each command does here, its
 * shortcuts and menu events, and the surfaces commands open — palette, quick note, desktop settings.
 */
export function WorkspaceCommands(props: WorkspaceCommandsProps) {
  const api = useApi();
  const { check, notify } = useToasts();
  const [open, setOpen] = useState<'palette' | 'capture' | 'desktop' | 'import' | null>(null);
  /** Files dropped on the sidebar, for the import dialog they open (a new dialog per drop). */
  const [dropped, setDropped] = useState<{ drop: DroppedImport; key: number } | null>(null);
  const info = useLiveQuery(
    'info',
    (a) => a.invoke('app.info', {}),
    () => () => undefined,
  );
  const { account, notebookId, settings, tree } = props;
  const latestTree = useLatest(tree);

  const handlers: CommandHandlers = {
    'app.palette': () => setOpen((current) => (current === 'palette' ? null : 'palette')),
    'capture.open': () => setOpen('capture'),
    'view.toggleTheme': () => {
      const dark = document.documentElement.dataset.theme === 'dark';
      void api.invoke('settings.update', { theme: dark ? 'light' : 'dark' });
    },
    'help.shortcuts': props.onShowShortcuts,
    'search.open': props.onOpenSearch,
    'sync.panel': () => window.dispatchEvent(new Event(OPEN_SYNC_EVENT)),
    // The open page (if any) shows its history (PageView listens).
    'page.history': () => window.dispatchEvent(new Event(OPEN_HISTORY_EVENT)),
    // Only over a page: elsewhere Mod+F and Mod+P stay the browser's (browser mode). The page finds, comments
    // and exports itself (PageView, usePageExport listen).
    ...(props.pageOpen
      ? {
          'page.find': () => window.dispatchEvent(new Event(OPEN_FIND_EVENT)),
          'page.comments': () => window.dispatchEvent(new Event(OPEN_COMMENTS_EVENT)),
          'page.exportMarkdown': () => requestPageExport('markdown'),
          'page.exportHtml': () => requestPageExport('html'),
          'page.print': () => requestPageExport('pdf'),
        }
      : {}),
    ...(props.pageOpen && props.pageEditable
      ? { 'page.insertFile': () => window.dispatchEvent(new Event(OPEN_FILE_PICKER_EVENT)) }
      : {}),
    'app.accounts': () => window.dispatchEvent(new Event(OPEN_ACCOUNTS_EVENT)),
    // Mod+Alt+N right at start-up: the new page is made once the notebook has loaded (Workspace's newPage).
    ...(notebookId || props.notebookLoading ? { 'page.new': props.onNewPage } : {}),
    ...(notebookId
      ? {
          'section.new': props.onNewSection,
          'view.trash': props.onOpenTrash,
          'notebook.importMarkdown': () => {
            setDropped(null);
            setOpen('import');
          },
          'notebook.exportMarkdown': () => requestTreeExport(null),
        }
      : {}),
    ...(account.kind === 'server'
      ? {
          'sync.now': () =>
            void api.invoke('sync.now', { accountId: account.id }).then((result) => check(result, 'Syncing')),
        }
      : {}),
    ...(info.data?.mode === 'electron' ? { 'app.desktopSettings': () => setOpen('desktop') } : {}),
  };
  useCommandBindings(handlers);
  useTreeExport(account.id, notebookId);

  // Desktop deep links: a page of this notebook opens at once; another one after a reload, which starts the
  // workspace at the last opened page (and picks its notebook).
  const openPageRef = useLatest(props.onOpenPage);
  useEffect(
    () =>
      api.subscribe('ui.openNode', ({ nodeId }) => {
        const node = latestTree.current?.byId.get(nodeId);
        if (node) openPageRef.current(node);
        else
          void api
            .invoke('settings.update', { lastOpenedNodeId: nodeId })
            .then(() => window.location.reload());
      }),
    [api, latestTree, openPageRef],
  );

  // Files dropped on the sidebar import at once in the import dialog (its progress, Cancel and report).
  useEffect(() => {
    const onDropped = (event: Event): void => {
      const drop = (event as CustomEvent<DroppedImport>).detail;
      setDropped((current) => ({ drop, key: (current?.key ?? 0) + 1 }));
      setOpen('import');
    };
    window.addEventListener(IMPORT_DROPPED_EVENT, onDropped);
    return () => window.removeEventListener(IMPORT_DROPPED_EVENT, onDropped);
  }, []);

  // A link to a page (`#page/<id>`, e.g. between imported pages), Mod+clicked in the editor: opened here.
  useEffect(() => {
    const onLink = (event: Event): void => {
      const nodeId = (event as CustomEvent<string>).detail;
      const node = latestTree.current?.byId.get(nodeId);
      if (node) openPageRef.current(node);
      else notify('That page is not in this notebook (or is in the trash)');
    };
    window.addEventListener(OPEN_PAGE_LINK_EVENT, onLink);
    return () => window.removeEventListener(OPEN_PAGE_LINK_EVENT, onLink);
  }, [latestTree, openPageRef, notify]);

  const items = useMemo(
    () => (open === 'palette' ? paletteItems(handlers, tree, props.onOpenPage) : []),
    // Built when the palette opens (handlers are recreated every render, so they are not a dependency).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [open, tree],
  );

  const close = (): void => {
    setOpen(null);
    setDropped(null);
  };
  if (open === 'palette') return <CommandPalette items={items} onClose={close} onOpenHit={props.onOpenHit} />;
  if (open === 'desktop') return <DesktopSettings settings={settings} onClose={close} />;
  if (open === 'import' && notebookId)
    return (
      <ImportDialog
        key={dropped?.key ?? 0}
        dropped={dropped?.drop}
        accountId={account.id}
        notebookId={notebookId}
        tree={tree}
        onOpen={(nodeId) => props.onOpenPageById(notebookId, nodeId)}
        onClose={close}
      />
    );
  if (open === 'capture')
    return (
      <CaptureDialog
        accountId={account.id}
        notebookId={notebookId}
        onClose={close}
        onSaved={(saved) =>
          notify(`Saved to ${saved.pageName}`, {
            label: 'Open',
            run: () => props.onOpenPageById(saved.notebookId, saved.nodeId),
          })
        }
      />
    );
  return null;
}
