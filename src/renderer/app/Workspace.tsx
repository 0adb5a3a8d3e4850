import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AccountView, NodeView, SettingsView } from '../../shared/contract';
import { ConnectionBanner } from '../features/status/ConnectionBanner';
import { NoticeBar } from '../features/status/NoticeBar';
import { PageView } from '../features/editor/PageView';
import { NotebookSwitcher } from '../features/notebooks/NotebookSwitcher';
import { useNodeActions } from '../features/nodes/use-node-actions';
import { ShortcutsHelp } from '../features/settings/ShortcutsHelp';
import { ThemeSwitch } from '../features/settings/ThemeSwitch';
import { Sidebar } from '../features/sidebar/Sidebar';
import { ancestorIds, buildTree, childrenOf, type Tree } from '../features/sidebar/tree-model';
import { TrashView } from '../features/trash/TrashView';
import { useApi } from '../lib/client';
import { useLiveQuery } from '../lib/live-query';
import { hasMod } from '../lib/platform';
import { EmptyState } from '../ui/empty-state';
import { Icon } from '../ui/icons';
import { useToasts } from '../ui/toast';

export interface WorkspaceProps {
  accounts: readonly AccountView[];
  account: AccountView;
  settings: SettingsView;
  onSelectAccount(accountId: string): void;
}

type Route = { kind: 'page'; nodeId: string } | { kind: 'trash' } | { kind: 'home' };

/** One account's notebooks: the sidebar, and the page or trash that is open. */
export function Workspace({ accounts, account, settings, onSelectAccount }: WorkspaceProps) {
  const api = useApi();
  const { check } = useToasts();
  const accountId = account.id;
  const [notebookId, setNotebookId] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>(() =>
    settings.lastOpenedNodeId ? { kind: 'page', nodeId: settings.lastOpenedNodeId } : { kind: 'home' },
  );
  const [renameRequest, setRenameRequest] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);

  const notebooks = useLiveQuery(
    accountId,
    (a) => a.invoke('notebook.list', { accountId }),
    (a, refresh) =>
      a.subscribe('notebook.changed', (event) => {
        if (event.accountId === accountId) refresh();
      }),
  );
  const notebook = notebooks.data?.find((n) => n.id === notebookId) ?? null;

  // A notebook that disappears from the list (deleted here or elsewhere) stops being the current one. One that
  // was just created is not in the list yet, so only a list that used to contain it counts.
  const previousIds = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!notebooks.data) return;
    const ids = new Set(notebooks.data.map((n) => n.id));
    if (notebookId !== null && previousIds.current.has(notebookId) && !ids.has(notebookId))
      setNotebookId(null);
    previousIds.current = ids;
  }, [notebooks.data, notebookId]);

  // Start in the notebook of the last opened page, else the first.
  useEffect(() => {
    if (!notebooks.data || notebookId !== null) return;
    const first = notebooks.data[0]?.id ?? null;
    if (route.kind !== 'page') return setNotebookId(first);
    void api.invoke('node.get', { accountId, nodeId: route.nodeId }).then((result) => {
      const wanted = result.ok ? result.value.notebookId : null;
      setNotebookId(notebooks.data?.some((n) => n.id === wanted) ? wanted : first);
    });
  }, [api, accountId, notebooks.data, notebookId, route]);

  const treeQuery = useLiveQuery(
    notebook ? `${accountId}/${notebook.id}` : null,
    (a) => a.invoke('node.tree', { accountId, notebookId: notebook?.id ?? '' }),
    (a, refresh) =>
      a.subscribe('node.changed', (event) => {
        if (event.accountId === accountId && event.notebookId === notebook?.id) refresh();
      }),
  );
  const tree = useMemo<Tree | undefined>(
    () => (treeQuery.data ? buildTree(treeQuery.data) : undefined),
    [treeQuery.data],
  );
  const actions = useNodeActions(accountId, notebook?.id ?? '');
  // A page just created here is shown at once, before the tree refresh that its event triggers arrives.
  const [created, setCreated] = useState<NodeView | null>(null);
  const openNode =
    route.kind === 'page'
      ? (tree?.byId.get(route.nodeId) ?? (created?.id === route.nodeId ? created : undefined))
      : undefined;

  const openPage = useCallback(
    (node: NodeView) => {
      setRoute({ kind: 'page', nodeId: node.id });
      void api.invoke('settings.update', { lastOpenedNodeId: node.id });
    },
    [api],
  );

  const newSection = useCallback(async () => {
    const section = await actions.createSection('New section');
    if (section) setRenameRequest(section.id);
    return section;
  }, [actions]);

  /** A new page goes where the person is: inside `parentId`, else beside the open page, else in the first section. */
  const newPage = useCallback(
    async (parentId?: string) => {
      if (!tree) return;
      let parent = parentId;
      let after: string | undefined;
      if (parent === undefined && openNode?.parentId) {
        parent = openNode.parentId;
        after = openNode.id;
      }
      parent ??= childrenOf(tree, null)[0]?.id ?? (await newSection())?.id;
      if (parent === undefined) return;
      const page = await actions.createPage(parent, after);
      if (!page) return;
      setCreated(page);
      openPage(page);
    },
    [tree, openNode, actions, newSection, openPage],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!hasMod(event)) return;
      if (event.altKey && !event.shiftKey && event.code === 'KeyN') {
        event.preventDefault();
        void newPage();
      } else if (!event.altKey && event.key === '/') {
        event.preventDefault();
        setHelpOpen(true);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [newPage]);

  const switchNotebook = (id: string | null): void => {
    setNotebookId(id);
    setRoute({ kind: 'home' });
  };

  const switcher = (
    <NotebookSwitcher
      accounts={accounts}
      account={account}
      notebooks={notebooks.data ?? []}
      notebook={notebook}
      onSelectAccount={onSelectAccount}
      onSelectNotebook={switchNotebook}
      onCreate={(name) =>
        void api.invoke('notebook.create', { accountId, name }).then((result) => {
          const created = check(result, 'create the notebook');
          if (created) switchNotebook(created.id);
        })
      }
      onRename={(id, name) =>
        void api
          .invoke('notebook.update', { accountId, notebookId: id, name })
          .then((r) => check(r, 'rename'))
      }
      onDelete={(id) =>
        void api.invoke('notebook.delete', { accountId, notebookId: id }).then((result) => {
          if (check(result, 'delete the notebook') !== undefined) switchNotebook(null);
        })
      }
    />
  );

  const footer = (
    <>
      <ThemeSwitch
        theme={settings.theme}
        onChange={(theme) => void api.invoke('settings.update', { theme })}
      />
      <button
        type="button"
        className="icon-button"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts"
        onClick={() => setHelpOpen(true)}
      >
        <Icon name="keyboard" />
      </button>
    </>
  );

  return (
    <div className="app">
      <Sidebar
        savedWidth={settings.sidebarWidth}
        onWidthChange={(sidebarWidth) => void api.invoke('settings.update', { sidebarWidth })}
        switcher={switcher}
        footer={footer}
        notebookId={notebook?.id ?? null}
        tree={tree}
        selectedId={openNode?.id ?? null}
        trashOpen={route.kind === 'trash'}
        actions={notebook ? actions : null}
        renameRequest={renameRequest}
        onRenameRequestHandled={() => setRenameRequest(null)}
        onOpen={openPage}
        onOpenTrash={() => setRoute({ kind: 'trash' })}
        onNewPage={(parentId) => void newPage(parentId)}
        onNewSection={() => void newSection()}
      />
      <main className="main">
        <ConnectionBanner />
        <NoticeBar />
        {notebooks.data && notebooks.data.length === 0 ? (
          <EmptyState
            icon="notebook"
            title="No notebook yet"
            action={
              <button
                type="button"
                className="button primary"
                onClick={() =>
                  void api.invoke('notebook.create', { accountId, name: 'My Notebook' }).then((result) => {
                    const created = check(result, 'create the notebook');
                    if (created) switchNotebook(created.id);
                  })
                }
              >
                Create a notebook
              </button>
            }
          >
            Notebooks hold your sections and pages. Everything stays on this device until you connect a
            server.
          </EmptyState>
        ) : route.kind === 'trash' && notebook ? (
          <TrashView accountId={accountId} notebookId={notebook.id} actions={actions} />
        ) : openNode && tree ? (
          <PageView
            key={openNode.id}
            accountId={accountId}
            node={openNode}
            path={ancestorIds(tree, openNode.id)
              .reverse()
              .flatMap((id) => tree.byId.get(id) ?? [])}
            actions={actions}
          />
        ) : tree ? (
          <EmptyState
            icon="page"
            title={tree.children.get(null)?.length ? 'No page open' : 'This notebook is empty'}
            action={
              <button type="button" className="button primary" onClick={() => void newPage()}>
                <Icon name="plus" size={14} /> New page
              </button>
            }
          >
            {tree.children.get(null)?.length
              ? 'Pick a page in the sidebar, or start a new one.'
              : 'Start with a page; a section to hold it is created for you.'}
          </EmptyState>
        ) : null}
      </main>
      {helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
