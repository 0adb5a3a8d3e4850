import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  AccountView,
  NodeView,
  SearchHitView,
  SearchResultsView,
  SettingsView,
} from '../../shared/contract';
import type { SearchTerm } from '../../shared/search/terms';
import { WorkspaceCommands } from '../features/commands/WorkspaceCommands';
import { ConnectionBanner } from '../features/status/ConnectionBanner';
import { NoticeBar } from '../features/status/NoticeBar';
import { PageView } from '../features/editor/PageView';
import { NotebookSwitcher } from '../features/notebooks/NotebookSwitcher';
import { useNotebooks } from '../features/notebooks/use-notebooks';
import { DatabaseView } from '../features/database/DatabaseView';
import { RecordFields } from '../features/database/RecordFields';
import { ChannelView } from '../features/channels/ChannelView';
import { ChannelUnread, useChannelUnread } from '../features/channels/use-channel-unread';
import { ContainerView } from '../features/nodes/ContainerView';
import { useNodeActions } from '../features/nodes/use-node-actions';
import { useNodeExport } from '../features/export/use-page-export';
import { ShareDialog } from '../features/sharing/ShareDialog';
import { useAccess } from '../features/sharing/use-access';
import { SearchView } from '../features/search/SearchView';
import { ShortcutsHelp } from '../features/settings/ShortcutsHelp';
import { ThemeSwitch } from '../features/settings/ThemeSwitch';
import { Sidebar } from '../features/sidebar/Sidebar';
import { SyncControls } from '../features/sync/SyncControls';
import { ancestorIds, buildTree, childrenOf, type Tree } from '../features/sidebar/tree-model';

/** The nodes above `node`, outermost first (a record's database is in the tree even when it is not). */
function pathOf(tree: Tree, node: NodeView): NodeView[] {
  const parent = node.parentId === null ? undefined : tree.byId.get(node.parentId);
  if (!parent) return [];
  return [
    ...ancestorIds(tree, parent.id)
      .reverse()
      .flatMap((id) => tree.byId.get(id) ?? []),
    parent,
  ];
}
import { useUnread } from '../features/sidebar/use-unread';
import { TrashView } from '../features/trash/TrashView';
import { useF6Regions } from '../lib/f6-regions';
import { useApi } from '../lib/client';
import type { Place } from './start-place';
import { typeAhead } from '../lib/type-ahead';
import { useLiveQuery } from '../lib/live-query';
import { EmptyState } from '../ui/empty-state';
import { Icon } from '../ui/icons';

/** What a search found, carried to the page it opens (every match highlighted there). */
export interface Found {
  query: string;
  terms: readonly SearchTerm[];
}

export interface WorkspaceProps {
  accounts: readonly AccountView[];
  account: AccountView;
  settings: SettingsView;
  /** Where to start (the place restored on reload), or null for the account's first notebook. */
  start: Place | null;
  /** The start page was chosen from a search in another account: its matches are highlighted. */
  startFound?: Found | undefined;
  onSelectAccount(accountId: string): void;
  /** A search hit in another account: that account's workspace opens it. */
  onOpenInAccount(place: Place, found: Found): void;
}

type Route =
  | { kind: 'node'; nodeId: string; found?: Found | undefined }
  | { kind: 'trash' }
  | { kind: 'search' }
  | { kind: 'home' };

/** The search box keeps its query while the app runs (leaving the view, switching accounts). */
let lastSearchQuery = '';

/** One account's notebooks: the sidebar, and the page, database, channel, search or trash that is open. */
export function Workspace(props: WorkspaceProps) {
  const { accounts, account, settings, start, onSelectAccount } = props;
  const api = useApi();
  const accountId = account.id;
  useF6Regions();
  const [route, setRoute] = useState<Route>(() =>
    start?.nodeId ? { kind: 'node', nodeId: start.nodeId, found: props.startFound } : { kind: 'home' },
  );
  const [searchQuery, setSearchQuery] = useState(lastSearchQuery);
  const [renameRequest, setRenameRequest] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [shareId, setShareId] = useState<string | null>(null);

  const notebooks = useNotebooks(accountId, start?.notebookId ?? null);
  const notebook = notebooks.current;

  // Remember the place (account, notebook, page) as it changes, so a reload or restart comes back to it;
  // not while the notebook to open is still being worked out, which would forget the one to come back to.
  const openPageId = route.kind === 'node' ? route.nodeId : null;
  useEffect(() => {
    if (notebooks.loading) return;
    void api.invoke('settings.update', {
      lastAccountId: accountId,
      lastNotebookId: notebook?.id ?? null,
      lastOpenedNodeId: openPageId,
    });
  }, [api, accountId, notebook?.id, openPageId, notebooks.loading]);

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
  const exportNode = useNodeExport(accountId);
  const access = useAccess(accountId, notebook?.id ?? null);
  const unread = useUnread(accountId, notebook?.id ?? null);
  const channelUnread = useChannelUnread(accountId, notebook?.id ?? null);
  // A page just created here is shown at once, before the tree refresh that its event triggers arrives.
  const [created, setCreated] = useState<NodeView | null>(null);
  const inTree =
    openPageId === null
      ? undefined
      : (tree?.byId.get(openPageId) ?? (created?.id === openPageId ? created : undefined));
  // Records (and nodes of another notebook, opened by a link or a search) are not in this tree: asked for.
  const fetched = useLiveQuery(
    openPageId !== null && tree && !inTree ? `${accountId}/${openPageId}` : null,
    (a) => a.invoke('node.get', { accountId, nodeId: openPageId ?? '' }),
    (a, refresh) =>
      a.subscribe('node.changed', (event) => {
        if (event.accountId === accountId && openPageId !== null && event.nodeIds.includes(openPageId))
          refresh();
      }),
  );
  const openNode = inTree ?? fetched.data;
  // A node of another notebook of this account (a link, a search hit): its notebook is opened with it.
  const { select: selectNotebook } = notebooks;
  useEffect(() => {
    if (fetched.data && notebook && fetched.data.notebookId !== notebook.id)
      selectNotebook(fetched.data.notebookId);
  }, [fetched.data, notebook, selectNotebook]);

  const openPage = useCallback((node: Pick<NodeView, 'id'>, found?: Found) => {
    setRoute({ kind: 'node', nodeId: node.id, found });
  }, []);

  const openHit = (hit: SearchHitView, results: SearchResultsView): void => {
    const found: Found = { query: results.query, terms: results.terms };
    if (hit.accountId !== accountId) {
      props.onOpenInAccount(
        { accountId: hit.accountId, notebookId: hit.notebookId, nodeId: hit.openId },
        found,
      );
      return;
    }
    if (hit.notebookId !== notebook?.id) notebooks.select(hit.notebookId);
    openPage({ id: hit.openId }, found);
  };

  const newChild = async (parentId: string, type: 'database' | 'channel'): Promise<void> => {
    const node =
      type === 'database'
        ? await actions.createDatabase(parentId, 'New database')
        : await actions.createChild(parentId, type, 'general');
    if (!node) return;
    setCreated(node);
    openPage(node);
  };

  // The page shows once the tree has it, so a page just created elsewhere (quick note's new Inbox) opens
  // too, rather than a click that does nothing until the tree has refreshed.
  const openPageById = (notebookId: string, nodeId: string): void => {
    if (notebookId !== notebook?.id) notebooks.select(notebookId);
    openPage({ id: nodeId });
  };

  // Asked for by the person: the new section's name is put in rename mode. Not for one made on the fly
  // for a new page, whose title has the focus (and the keys typed into it).
  const newSection = useCallback(async () => {
    const section = await actions.createSection('New section');
    if (section) setRenameRequest(section.id);
    return section;
  }, [actions]);

  // A new page asked for by shortcut, menu or palette before the tree has loaded (the button waits for it)
  // is made once it has, in the notebook it was asked in (`null`: the one still loading then); dropping it
  // would lose the keystroke.
  const newPageRequest = useRef<{ notebookId: string | null } | null>(null);

  /** A new page goes where the person is: inside `parentId`, else beside the open page, else in the first section. */
  // What is typed from here on waits for the new page's title (src/renderer/lib/type-ahead.ts).
  const newPage = useCallback(
    async (parentId?: string) => {
      typeAhead.begin();
      if (!tree) {
        newPageRequest.current = { notebookId: notebook?.id ?? null };
        return;
      }
      let parent = parentId;
      let after: string | undefined;
      if (parent === undefined && openNode?.parentId && access.can(openNode.parentId, 'createChild')) {
        parent = openNode.parentId;
        after = openNode.id;
      }
      // Only where the role allows a new page (a guest's shared section, not the owner's others).
      const sections = childrenOf(tree, null).filter(
        (s) => !access.loaded || access.can(s.id, 'createChild'),
      );
      parent ??=
        sections[0]?.id ??
        (access.loaded && !access.view?.canCreateSection
          ? undefined
          : (await actions.createSection('New section'))?.id);
      const page = parent === undefined ? undefined : await actions.createPage(parent, after);
      if (!page) return typeAhead.cancel();
      setCreated(page);
      openPage(page);
    },
    [tree, notebook, openNode, actions, openPage, access],
  );
  useEffect(() => {
    const request = newPageRequest.current;
    if (!tree || request === null) return;
    newPageRequest.current = null;
    if ((request.notebookId ?? notebook?.id) === notebook?.id) void newPage();
  }, [tree, notebook, newPage]);

  const shareNode =
    shareId === null
      ? undefined
      : (tree?.byId.get(shareId) ?? (openNode?.id === shareId ? openNode : undefined));
  const canCreatePage =
    !access.loaded ||
    access.view?.canCreateSection === true ||
    (tree !== undefined && childrenOf(tree, null).some((s) => access.can(s.id, 'createChild')));

  const switchNotebook = (id: string | null): void => {
    notebooks.select(id);
    setRoute({ kind: 'home' });
  };

  const createNotebook = async (name: string): Promise<void> => {
    if (await notebooks.create(name)) setRoute({ kind: 'home' });
  };

  const switcher = (
    <NotebookSwitcher
      accounts={accounts}
      account={account}
      notebooks={notebooks.list ?? []}
      notebook={notebook}
      onSelectAccount={onSelectAccount}
      onSelectNotebook={switchNotebook}
      onCreate={(name) => void createNotebook(name)}
      onRename={notebooks.rename}
      onDelete={(id) =>
        void notebooks.remove(id).then((removed) => {
          if (removed) switchNotebook(null);
        })
      }
    />
  );

  const footer = (
    <>
      <SyncControls accounts={accounts} account={account} onSelectAccount={onSelectAccount} />
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
      <ChannelUnread.Provider value={channelUnread}>
        <Sidebar
          savedWidth={settings.sidebarWidth}
          onWidthChange={(sidebarWidth) => void api.invoke('settings.update', { sidebarWidth })}
          switcher={switcher}
          footer={footer}
          notebookId={notebook?.id ?? null}
          tree={tree}
          selectedId={openNode?.id ?? null}
          unread={unread}
          trashOpen={route.kind === 'trash'}
          searchOpen={route.kind === 'search'}
          onSearch={() => setRoute({ kind: 'search' })}
          onNewChild={(parentId, type) => void newChild(parentId, type)}
          actions={notebook ? actions : null}
          renameRequest={renameRequest}
          onRenameRequestHandled={() => setRenameRequest(null)}
          onOpen={openPage}
          onOpenTrash={() => setRoute({ kind: 'trash' })}
          onNewPage={(parentId) => void newPage(parentId)}
          onNewSection={() => void newSection()}
          access={access}
          canCreatePage={canCreatePage}
          onShare={setShareId}
          onExport={exportNode}
        />
      </ChannelUnread.Provider>
      <main className="main" data-region="main">
        <ConnectionBanner />
        <NoticeBar />
        {notebooks.list?.length === 0 ? (
          <EmptyState
            icon="notebook"
            title="No notebook yet"
            action={
              <button
                type="button"
                className="button primary"
                onClick={() => void createNotebook('My Notebook')}
              >
                Create a notebook
              </button>
            }
          >
            Notebooks hold your sections and pages. Everything stays on this device until you connect a
            server.
          </EmptyState>
        ) : route.kind === 'search' ? (
          <SearchView
            query={searchQuery}
            onQueryChange={(query) => {
              lastSearchQuery = query;
              setSearchQuery(query);
            }}
            onOpen={openHit}
          />
        ) : route.kind === 'trash' && notebook ? (
          <TrashView accountId={accountId} notebookId={notebook.id} actions={actions} />
        ) : openNode && tree ? (
          openNode.type === 'page' || openNode.type === 'record' ? (
            <PageView
              key={openNode.id}
              accountId={accountId}
              node={openNode}
              path={pathOf(tree, openNode)}
              actions={actions}
              access={access}
              onShare={() => setShareId(openNode.id)}
              found={route.kind === 'node' ? route.found : undefined}
              aboveDocument={
                openNode.type === 'record' && openNode.parentId ? (
                  <RecordFields
                    accountId={accountId}
                    notebookId={openNode.notebookId}
                    databaseId={openNode.parentId}
                    recordId={openNode.id}
                  />
                ) : undefined
              }
            />
          ) : openNode.type === 'database' ? (
            <DatabaseView
              key={openNode.id}
              accountId={accountId}
              node={openNode}
              path={pathOf(tree, openNode)}
              actions={actions}
              onOpenRecord={(recordId) => openPage({ id: recordId })}
            />
          ) : openNode.type === 'channel' ? (
            <ChannelView
              key={openNode.id}
              accountId={accountId}
              node={openNode}
              path={pathOf(tree, openNode)}
            />
          ) : (
            <ContainerView
              key={openNode.id}
              accountId={accountId}
              node={openNode}
              path={pathOf(tree, openNode)}
              children={childrenOf(tree, openNode.id)}
              onOpen={openPage}
            />
          )
        ) : tree ? (
          <EmptyState
            icon="page"
            title={tree.children.get(null)?.length ? 'No page open' : 'This notebook is empty'}
            action={
              canCreatePage ? (
                <button type="button" className="button primary" onClick={() => void newPage()}>
                  <Icon name="plus" size={14} /> New page
                </button>
              ) : undefined
            }
          >
            {tree.children.get(null)?.length
              ? 'Pick a page in the sidebar, or start a new one.'
              : 'Start with a page; a section to hold it is created for you.'}
          </EmptyState>
        ) : null}
      </main>
      {helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null}
      {shareNode ? (
        <ShareDialog
          accountId={accountId}
          node={shareNode}
          canInvite={access.view?.canManageMembers === true}
          onClose={() => setShareId(null)}
        />
      ) : null}
      {/* Shortcuts, menu commands, the palette (Mod+K) and quick note: src/shared/commands.ts is the registry. */}
      <WorkspaceCommands
        account={account}
        notebookId={notebook?.id ?? null}
        notebookLoading={notebooks.loading}
        settings={settings}
        tree={tree}
        pageOpen={route.kind === 'node' && (openNode?.type === 'page' || openNode?.type === 'record')}
        pageEditable={openNode !== undefined && access.loaded && access.canOn(openNode, 'edit')}
        onNewPage={() => void newPage()}
        onNewSection={() => void newSection()}
        onOpenPage={openPage}
        onOpenPageById={openPageById}
        onOpenTrash={() => setRoute({ kind: 'trash' })}
        onOpenSearch={() => setRoute({ kind: 'search' })}
        onOpenHit={openHit}
        onShowShortcuts={() => setHelpOpen(true)}
      />
    </div>
  );
}
