import { useContext, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { ChannelUnread } from '../channels/use-channel-unread';
import { typeIcon } from './type-icon';
import '../nodes/nodes.css';
import { Icon } from '../../ui/icons';
import { InlineInput } from '../../ui/inline-input';
import {
  canContain,
  displayName,
  isUnknownType,
  typeLabel,
  type DropZone,
  type TreeRow as Row,
} from './tree-model';

export interface TreeRowProps {
  row: Row;
  expanded: boolean;
  selected: boolean;
  /** Changed by someone else since the user last opened it. */
  unread: boolean;
  focusable: boolean;
  editing: boolean;
  /** The role allows a new page inside / moving this node (else neither is offered). */
  canCreateChild: boolean;
  canMove: boolean;
  dropZone: DropZone | null;
  /** This row's menu is open (its ⋯ button says so). */
  menuOpen: boolean;
  /** Where the virtualised tree places it (px from the tree's top). */
  top: number;
  onActivate(): void;
  onToggle(): void;
  onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
  onContextMenu(event: MouseEvent): void;
  onNewChild(): void;
  onRename(name: string | null): void;
  onPickIcon(event: MouseEvent): void;
  onDragStart(event: DragEvent): void;
  onDragOver(event: DragEvent<HTMLDivElement>): void;
  onDragLeave(): void;
  onDrop(event: DragEvent<HTMLDivElement>): void;
  onDragEnd(): void;
}

const INDENT_PX = 14;

export function TreeRow(props: TreeRowProps) {
  const { row, expanded, selected, editing, dropZone } = props;
  const { node } = row;
  const isSection = node.type === 'section';
  const unknown = isUnknownType(node);
  const classes = ['tree-row', isSection ? 'section' : 'page', `type-${unknown ? 'unknown' : node.type}`];
  // Pages and sections need no word; a database, a channel or a type this app does not know says what it is.
  const kind = node.type === 'page' || isSection ? null : typeLabel(node);
  // A channel's unread messages, counted (not while it is open: it is being read).
  const unreadMessages = useContext(ChannelUnread).get(node.id) ?? 0;
  const count = selected || editing ? 0 : unreadMessages;
  const description = [
    kind,
    props.unread ? 'Changed since you last opened it' : null,
    count > 0 ? `${count} unread message${count === 1 ? '' : 's'}` : null,
  ]
    .filter(Boolean)
    .join('. ');
  if (selected) classes.push('selected');
  if (props.unread) classes.push('unread');
  if (dropZone) classes.push(`drop-${dropZone}`);
  return (
    // eslint-disable-next-line jsx-a11y/role-supports-aria-props -- aria-description is global in ARIA 1.3 (Chromium and axe read it); aria-query 5.3 predates it
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-posinset={row.posInSet}
      aria-setsize={row.setSize}
      aria-expanded={row.hasChildren ? expanded : undefined}
      aria-selected={selected}
      aria-label={displayName(node)}
      // The name may end in an ellipsis: the whole of it on hover.
      title={kind ? `${displayName(node)} (${kind})` : displayName(node)}
      aria-description={description || undefined}
      data-node-id={node.id}
      tabIndex={props.focusable ? 0 : -1}
      className={classes.join(' ')}
      style={{ paddingLeft: 8 + row.depth * INDENT_PX, transform: `translateY(${props.top}px)` }}
      draggable={!editing && !unknown && props.canMove}
      onClick={props.onActivate}
      onKeyDown={props.onKeyDown}
      onContextMenu={props.onContextMenu}
      onDragStart={props.onDragStart}
      onDragOver={props.onDragOver}
      onDragLeave={props.onDragLeave}
      onDrop={props.onDrop}
      onDragEnd={props.onDragEnd}
    >
      <button
        type="button"
        tabIndex={-1}
        className={row.hasChildren ? 'twisty' : 'twisty empty'}
        aria-hidden="true"
        onClick={(event) => {
          event.stopPropagation();
          props.onToggle();
        }}
      >
        <Icon name="chevronRight" size={14} className={expanded ? 'rotated' : undefined} />
      </button>
      <button
        type="button"
        tabIndex={-1}
        className="node-icon"
        title="Change icon"
        aria-hidden="true"
        onClick={(event) => {
          event.stopPropagation();
          props.onPickIcon(event);
        }}
      >
        {node.icon ?? <Icon name={typeIcon(node)} />}
      </button>
      {editing ? (
        <InlineInput
          initial={node.name}
          label="Name"
          placeholder={displayName(node)}
          onCommit={(name) => props.onRename(name)}
          onCancel={() => props.onRename(null)}
        />
      ) : (
        <span className={node.name.trim() ? 'node-name' : 'node-name untitled'}>{displayName(node)}</span>
      )}
      {unknown && !editing ? (
        <span className="type-badge" title={`${typeLabel(node)}: made by a newer app, shown as it is`}>
          {node.type}
        </span>
      ) : null}
      {count > 0 ? (
        <span className="unread-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
      {props.unread && !editing ? (
        <span className="unread-dot" title="Changed since you last opened it" aria-hidden="true" />
      ) : null}
      {editing ? null : (
        <span className="row-actions">
          {canContain(node, { type: 'page' }) && props.canCreateChild ? (
            <button
              type="button"
              tabIndex={-1}
              className="icon-button small"
              aria-label={`New page in ${displayName(node)}`}
              title="New page inside"
              onClick={(event) => {
                event.stopPropagation();
                props.onNewChild();
              }}
            >
              <Icon name="plus" size={14} />
            </button>
          ) : null}
          <button
            type="button"
            tabIndex={-1}
            className="icon-button small"
            aria-label={`More actions for ${displayName(node)}`}
            aria-haspopup="menu"
            aria-expanded={props.menuOpen}
            title="More actions"
            onClick={(event) => {
              event.stopPropagation();
              props.onContextMenu(event);
            }}
          >
            <Icon name="more" size={14} />
          </button>
        </span>
      )}
    </div>
  );
}
