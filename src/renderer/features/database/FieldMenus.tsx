import { useState } from 'react';
import type { DatabaseView, FieldView, SavedView } from '../../../shared/contract';
import { FIELD_KINDS, FIELD_KIND_LABELS, type FieldKind } from '../../../shared/model/database';
import type { RecordSort } from '../../../shared/model/record-query';
import { Dialog } from '../../ui/dialog';
import { Menu, type MenuItem } from '../../ui/menu';
import { PromptDialog } from '../../ui/prompt-dialog';
import type { DatabaseActions } from './use-database';

type Popup =
  | { kind: 'column'; field: FieldView; at: { x: number; y: number } }
  | { kind: 'type'; field: FieldView | null; at: { x: number; y: number } }
  | { kind: 'rename'; field: FieldView }
  | { kind: 'name-new'; fieldKind: FieldKind }
  | { kind: 'delete'; field: FieldView };

export interface FieldMenus {
  openColumn(field: FieldView, at: { x: number; y: number }): void;
  openAdd(at: { x: number; y: number }): void;
  element: React.ReactNode;
}

/**
 * A column's menu (rename, change type, sort, hide, move, delete) and adding a field (pick a kind, name it).
 * What the user may not do is not offered: without schema rights a column only sorts and hides for them.
 */
export function useFieldMenus(
  database: DatabaseView,
  view: SavedView,
  actions: DatabaseActions,
  saveView: (patch: { sorts?: RecordSort[]; hidden?: string[] }) => void,
): FieldMenus {
  const [popup, setPopup] = useState<Popup | null>(null);
  const close = (): void => setPopup(null);
  const edit = database.can.editSchema;
  const order = database.fields.map((f) => f.id);

  const columnItems = (field: FieldView, at: { x: number; y: number }): (MenuItem | 'separator')[] => {
    const isName = field.id === 'name';
    const i = order.indexOf(field.id);
    const sortBy = (dir: 'asc' | 'desc'): void =>
      saveView({ sorts: [{ field: field.id, dir }, ...view.sorts.filter((s) => s.field !== field.id)] });
    return [
      { label: 'Sort ascending', icon: 'sort', onSelect: () => sortBy('asc') },
      { label: 'Sort descending', icon: 'sort', onSelect: () => sortBy('desc') },
      ...(isName
        ? []
        : ([
            'separator',
            {
              label: 'Hide in this view',
              icon: 'eyeOff',
              onSelect: () => saveView({ hidden: [...view.hidden, field.id] }),
            },
            ...(edit
              ? ([
                  { label: 'Rename…', icon: 'pencil', onSelect: () => setPopup({ kind: 'rename', field }) },
                  {
                    label: `Type: ${FIELD_KIND_LABELS[field.kind]}…`,
                    icon: 'more',
                    onSelect: () => setPopup({ kind: 'type', field, at }),
                  },
                  {
                    label: 'Move left',
                    icon: 'chevronsUpDown',
                    disabled: i <= 0,
                    onSelect: () =>
                      void actions.change({
                        op: 'field.move',
                        fieldId: field.id,
                        position: { beforeId: order[i - 1]! },
                      }),
                  },
                  {
                    label: 'Move right',
                    icon: 'chevronsUpDown',
                    disabled: i < 0 || i >= order.length - 1,
                    onSelect: () =>
                      void actions.change({
                        op: 'field.move',
                        fieldId: field.id,
                        position: { afterId: order[i + 1]! },
                      }),
                  },
                  'separator',
                  {
                    label: 'Delete field…',
                    icon: 'trash',
                    danger: true,
                    onSelect: () => setPopup({ kind: 'delete', field }),
                  },
                ] as (MenuItem | 'separator')[])
              : []),
          ] as (MenuItem | 'separator')[])),
    ];
  };

  const kindItems = (field: FieldView | null): MenuItem[] =>
    FIELD_KINDS.map((kind) => ({
      label: FIELD_KIND_LABELS[kind],
      ...(field?.kind === kind ? { hint: 'current' } : {}),
      onSelect: () => {
        if (field) void actions.change({ op: 'field.update', fieldId: field.id, kind });
        else setPopup({ kind: 'name-new', fieldKind: kind });
      },
    }));

  const hiddenFields = database.fields.filter((f) => view.hidden.includes(f.id));
  let element: React.ReactNode = null;
  if (popup?.kind === 'column')
    element = (
      <Menu
        label={`Field ${popup.field.name}`}
        at={popup.at}
        items={[
          ...columnItems(popup.field, popup.at),
          ...(hiddenFields.length > 0 && popup.field.id === 'name'
            ? ([
                'separator',
                {
                  label: `Show ${hiddenFields.length} hidden`,
                  icon: 'eyeOff',
                  onSelect: () => saveView({ hidden: [] }),
                },
              ] as (MenuItem | 'separator')[])
            : []),
        ]}
        onClose={close}
      />
    );
  else if (popup?.kind === 'type')
    element = (
      <Menu
        label={popup.field ? 'Change the field type' : 'Type of the new field'}
        at={popup.at}
        items={kindItems(popup.field)}
        onClose={close}
      />
    );
  else if (popup?.kind === 'rename')
    element = (
      <PromptDialog
        title="Rename field"
        label="Name"
        initial={popup.field.name}
        confirmLabel="Rename"
        onSubmit={(name) => void actions.change({ op: 'field.update', fieldId: popup.field.id, name })}
        onClose={close}
      />
    );
  else if (popup?.kind === 'name-new')
    element = (
      <PromptDialog
        title={`New ${FIELD_KIND_LABELS[popup.fieldKind].toLowerCase()} field`}
        label="Name"
        initial={FIELD_KIND_LABELS[popup.fieldKind]}
        confirmLabel="Add field"
        onSubmit={(name) => void actions.change({ op: 'field.add', name, kind: popup.fieldKind })}
        onClose={close}
      />
    );
  else if (popup?.kind === 'delete')
    element = (
      <Dialog
        title={`Delete the field “${popup.field.name}”?`}
        confirmLabel="Delete field"
        danger
        onConfirm={() => void actions.change({ op: 'field.delete', fieldId: popup.field.id })}
        onClose={close}
      >
        <p>It disappears from every view on every device. The values stay in the records, unseen.</p>
      </Dialog>
    );

  return {
    openColumn: (field, at) => setPopup({ kind: 'column', field, at }),
    openAdd: (at) => setPopup({ kind: 'type', field: null, at }),
    element,
  };
}
