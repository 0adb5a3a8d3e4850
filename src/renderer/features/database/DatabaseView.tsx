import { useCallback, useState } from 'react';
import { useLatest } from '../../lib/latest';
import type {
  DatabaseChange,
  DatabaseView as DatabaseData,
  NodeView,
  SavedView,
} from '../../../shared/contract';
import type { FilterGroup, RecordSort } from '../../../shared/model/record-query';
import { Icon, type IconName } from '../../ui/icons';
import { Menu, menuBelow, type MenuItem } from '../../ui/menu';
import { PromptDialog } from '../../ui/prompt-dialog';
import type { NodeActions } from '../nodes/use-node-actions';
import { displayName } from '../sidebar/tree-model';
import { BoardView } from './BoardView';
import { CalendarView } from './CalendarView';
import { useFieldMenus } from './FieldMenus';
import { QueryEditor } from './QueryEditor';
import { TableView } from './TableView';
import { useDatabase, useDatabaseActions, useRecordWindow } from './use-database';
import './database.css';

export interface DatabaseViewProps {
  accountId: string;
  node: NodeView;
  path: readonly NodeView[];
  actions: NodeActions;
  onOpenRecord(recordId: string): void;
}

const LAYOUT_ICONS: Record<SavedView['layout'], IconName> = {
  table: 'record',
  board: 'board',
  calendar: 'calendar',
};
const LAYOUT_NAMES: Record<SavedView['layout'], string> = {
  table: 'Table',
  board: 'Board',
  calendar: 'Calendar',
};
const NO_QUERY = { filter: { mode: 'and', filters: [] } as FilterGroup, sorts: [] as RecordSort[] };

type ViewPatch = Omit<DatabaseChange & { op: 'view.update' }, 'op' | 'viewId'>;

/** A view edit made here, shown (and queried) before its save and the database's reload come back. */
interface Draft {
  viewId: string;
  patch: ViewPatch;
  /** Once saved: the database as it was then; a newer one holds the edit, and the draft is done. */
  savedOver?: DatabaseData | undefined;
}

const countFilters = (group: FilterGroup): number =>
  group.filters.reduce((n, f) => n + ('mode' in f ? countFilters(f) : 1), 0);

/**
 * A database: its name, its saved views as tabs (table, board, calendar — saved with the database, so every
 * device has them), the view's filters and sorts, and the view itself. Everything is computed from the
 * replica, so it works offline; edits are node edits that sync like any other.
 */
export function DatabaseView({ accountId, node, path, actions, onOpenRecord }: DatabaseViewProps) {
  const database = useDatabase(accountId, node.notebookId, node.id);
  const db = database.data;
  const [viewId, setViewId] = useState<string | null>(null);
  const saved = db?.views.find((v) => v.id === viewId) ?? db?.views[0];
  // A filter, sort or layout change is shown at once: the records are asked for with it while it saves,
  // rather than after the save, the database's reload and then the query (three round trips in a row).
  const [draft, setDraft] = useState<Draft | null>(null);
  const live =
    draft && saved && draft.viewId === saved.id && (draft.savedOver === undefined || draft.savedOver === db)
      ? draft
      : null;
  const view: SavedView | undefined = saved && live ? { ...saved, ...live.patch } : saved;
  const latestDb = useLatest(db);
  const reload = useCallback(() => database.reload(), [database]);
  const dbActions = useDatabaseActions(accountId, node.id, reload);
  const records = useRecordWindow(accountId, node.notebookId, node.id, view ?? NO_QUERY);
  const [queryOpen, setQueryOpen] = useState(false);
  const [menu, setMenu] = useState<{ kind: 'add' | 'tab'; at: { x: number; y: number } } | null>(null);
  const [renaming, setRenaming] = useState<'database' | 'view' | null>(null);

  const saveView = (patch: ViewPatch): void => {
    if (!view) return;
    const next: Draft = { viewId: view.id, patch: { ...live?.patch, ...patch } };
    setDraft(next);
    void dbActions.change({ op: 'view.update', viewId: view.id, ...patch }).then((result) =>
      // Refused: the saved view is shown again (the toast says why); saved: until the reload has it.
      setDraft((d) => (d !== next ? d : result === undefined ? null : { ...d, savedOver: latestDb.current })),
    );
  };
  const fieldMenus = useFieldMenus(
    db ?? {
      node,
      fields: [],
      views: [],
      recordCount: 0,
      people: [],
      can: { editSchema: false, addRecords: false, editRecords: false },
    },
    view ?? {
      id: '',
      name: '',
      layout: 'table',
      ...NO_QUERY,
      hidden: [],
      widths: {},
      groupBy: null,
      dateField: null,
      implicit: true,
      stale: [],
    },
    dbActions,
    saveView,
  );

  if (database.error && !db)
    return (
      <p className="page-error" role="alert">
        This database could not be opened: {database.error}
      </p>
    );
  if (!db || !view) return <div className="page-loading" aria-busy="true" />;

  const filters = countFilters(view.filter);
  const tabItems: MenuItem[] = [
    {
      label: 'Rename view…',
      icon: 'pencil',
      disabled: !db.can.editSchema,
      onSelect: () => setRenaming('view'),
    },
    ...(['table', 'board', 'calendar'] as const)
      .filter((layout) => layout !== view.layout)
      .map((layout) => ({
        label: `Show as ${LAYOUT_NAMES[layout].toLowerCase()}`,
        icon: LAYOUT_ICONS[layout],
        disabled: !db.can.editSchema,
        onSelect: () => saveView({ layout }),
      })),
    {
      label: 'Delete view',
      icon: 'trash',
      danger: true,
      disabled: !db.can.editSchema || db.views.length < 2,
      onSelect: () =>
        void dbActions.change({ op: 'view.delete', viewId: view.id }).then(() => setViewId(null)),
    },
  ];
  const addItems: MenuItem[] = (['table', 'board', 'calendar'] as const).map((layout) => ({
    label: LAYOUT_NAMES[layout],
    icon: LAYOUT_ICONS[layout],
    onSelect: () =>
      void dbActions
        .change({ op: 'view.add', name: LAYOUT_NAMES[layout], layout })
        .then((id) => id && setViewId(id)),
  }));

  return (
    <article className="page-view database-view" aria-label={displayName(node)}>
      <header className="page-header">
        <nav className="breadcrumb" aria-label="Location">
          {path.map((ancestor) => (
            <span key={ancestor.id} className="crumb" title={displayName(ancestor)}>
              <span className="crumb-name">{displayName(ancestor)}</span>
              <Icon name="chevronRight" size={12} className="crumb-separator" />
            </span>
          ))}
          <span className="crumb current" title={displayName(node)}>
            <span className="crumb-name">{displayName(node)}</span>
          </span>
        </nav>
        <div className="page-header-end">
          <span className="database-count">
            {db.recordCount.toLocaleString()} {db.recordCount === 1 ? 'record' : 'records'}
          </span>
        </div>
      </header>
      <div className="database-top">
        <h1 className="database-title">
          <span className="database-icon">{node.icon ?? <Icon name="database" size={22} />}</span>
          {db.can.editSchema ? (
            <button
              type="button"
              className="title-button"
              title="Rename the database"
              onClick={() => setRenaming('database')}
            >
              {displayName(node)}
            </button>
          ) : (
            displayName(node)
          )}
        </h1>
        <div className="database-bar">
          <div className="view-tabs" role="tablist" aria-label="Views">
            {db.views.map((v) => (
              <button
                key={v.id}
                type="button"
                role="tab"
                aria-selected={v.id === view.id}
                className={v.id === view.id ? 'view-tab active' : 'view-tab'}
                onClick={(event) =>
                  v.id === view.id
                    ? setMenu({ kind: 'tab', at: menuBelow(event.currentTarget) })
                    : setViewId(v.id)
                }
                onContextMenu={(event) => {
                  event.preventDefault();
                  setViewId(v.id);
                  setMenu({ kind: 'tab', at: { x: event.clientX, y: event.clientY } });
                }}
              >
                <Icon name={LAYOUT_ICONS[v.layout]} size={14} /> {v.name}
              </button>
            ))}
            {db.can.editSchema ? (
              <button
                type="button"
                className="view-tab add"
                aria-label="Add a view"
                aria-haspopup="menu"
                aria-expanded={menu?.kind === 'add'}
                title="Add a view"
                onClick={(event) => setMenu({ kind: 'add', at: menuBelow(event.currentTarget) })}
              >
                <Icon name="plus" size={14} />
              </button>
            ) : null}
          </div>
          <div className="database-tools">
            <button
              type="button"
              className={filters + view.sorts.length > 0 ? 'button small active' : 'button small'}
              aria-expanded={queryOpen}
              onClick={() => setQueryOpen((open) => !open)}
            >
              <Icon name="filter" size={14} />
              {filters > 0 ? `${filters} ${filters === 1 ? 'filter' : 'filters'}` : 'Filter'}
              {view.sorts.length > 0
                ? ` · ${view.sorts.length} ${view.sorts.length === 1 ? 'sort' : 'sorts'}`
                : ''}
            </button>
            {db.can.addRecords ? (
              <button
                type="button"
                className="button small primary"
                onClick={() => void dbActions.createRecord().then((r) => r && onOpenRecord(r.id))}
              >
                <Icon name="plus" size={14} /> New record
              </button>
            ) : null}
          </div>
        </div>
        {view.stale.length > 0 && !queryOpen ? (
          <p className="query-stale" role="note">
            Some filters or sorts of this view name a deleted field: they are not applied.{' '}
            <button type="button" className="link-button" onClick={() => setQueryOpen(true)}>
              Review
            </button>
          </p>
        ) : null}
        {queryOpen ? (
          <QueryEditor
            database={db}
            view={view}
            onSave={(patch) => saveView(patch)}
            onClose={() => setQueryOpen(false)}
          />
        ) : null}
      </div>
      <div className="database-body">
        {view.layout === 'board' ? (
          <BoardView
            accountId={accountId}
            database={db}
            view={view}
            actions={dbActions}
            onOpenRecord={onOpenRecord}
            onGroupBy={(groupBy) => saveView({ groupBy })}
          />
        ) : view.layout === 'calendar' ? (
          <CalendarView
            accountId={accountId}
            database={db}
            view={view}
            actions={dbActions}
            onOpenRecord={onOpenRecord}
            onDateField={(dateField) => saveView({ dateField })}
          />
        ) : (
          <TableView
            database={db}
            view={view}
            records={records}
            actions={dbActions}
            filtered={filters > 0}
            onOpenRecord={onOpenRecord}
            onColumnMenu={fieldMenus.openColumn}
            onAddField={fieldMenus.openAdd}
          />
        )}
      </div>
      {fieldMenus.element}
      {menu ? (
        <Menu
          label={menu.kind === 'add' ? 'Add a view' : `View ${view.name}`}
          at={menu.at}
          items={menu.kind === 'add' ? addItems : tabItems}
          onClose={() => setMenu(null)}
        />
      ) : null}
      {renaming ? (
        <PromptDialog
          title={renaming === 'database' ? 'Rename database' : 'Rename view'}
          label="Name"
          initial={renaming === 'database' ? node.name : view.name}
          confirmLabel="Rename"
          onSubmit={(name) =>
            renaming === 'database' ? void actions.rename(node.id, name) : saveView({ name })
          }
          onClose={() => setRenaming(null)}
        />
      ) : null}
    </article>
  );
}
