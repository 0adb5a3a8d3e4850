import { Placeholder, UndoRedo } from '@tiptap/extensions';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { baseExtensions } from '../../../shared/editor/extensions';
import type { AccountView, CaptureDestinationsView, CaptureSavedView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { hasMod, shortcutLabel } from '../../lib/platform';
import { useLatest } from '../../lib/latest';
import { useLiveQuery } from '../../lib/live-query';
import { Icon } from '../../ui/icons';
import { focusEditorNow } from '../editor/focus';
import { clearedDraft, loadDraft, parseDestination, saveDraft, type CaptureDraft } from './draft';
import './capture.css';

export interface CaptureViewProps {
  accountId: string;
  /** With more than one account, a picker for which one the note goes to. */
  accounts?: readonly AccountView[];
  onAccountChange?(accountId: string): void;
  /** Preselected when there is no remembered destination (the notebook the window shows). */
  notebookId: string | null;
  onSaved(saved: CaptureSavedView): void;
  /** Esc / Cancel: the draft stays for next time. */
  onClose(): void;
}

/**
 * Quick capture: a title, a rich-text body and where it goes. Mod+Enter saves (a local write: it works
 * offline and answers once committed), Esc closes and keeps the draft. Used as the `?view=capture` route
 * (the desktop capture window, or a browser tab) and as a dialog in the main window.
 */
export function CaptureView(props: CaptureViewProps) {
  const { accountId, notebookId, onSaved, onClose, accounts, onAccountChange } = props;
  const api = useApi();
  const [draft, setDraft] = useState<CaptureDraft>(() => loadDraft(localStorage));
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'saving' } | { kind: 'error'; message: string }
  >({
    kind: 'idle',
  });
  const titleRef = useRef<HTMLInputElement>(null);
  // What the handlers below build on: two updates in one event must compose (they write it as they go).
  const draftRef = useRef(draft);

  const destinations = useLiveQuery<CaptureDestinationsView>(
    `capture/${accountId}`,
    (a) => a.invoke('capture.destinations', { accountId }),
    (a, refresh) => a.subscribe('notebook.changed', refresh),
  );
  const options = destinationOptions(destinations.data);
  const fallback =
    notebookId && options.some((o) => o.value === `inbox:${notebookId}`)
      ? `inbox:${notebookId}`
      : options[0]?.value;
  const destination =
    draft.destination && options.some((o) => o.value === draft.destination)
      ? draft.destination
      : (fallback ?? null);

  const update = (patch: Partial<CaptureDraft>): void => {
    const next = { ...draftRef.current, ...patch };
    draftRef.current = next;
    setDraft(next);
    saveDraft(next, localStorage);
  };

  const editor = useEditor({
    extensions: [...baseExtensions(), UndoRedo, Placeholder.configure({ placeholder: 'Write your note…' })],
    content: draft.body ?? undefined,
    injectCSS: false,
    // role: TipTap's own role="textbox" is dropped when React updates the options (then aria-label is refused).
    editorProps: {
      attributes: {
        class: 'prose capture-body',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': 'Note',
        spellcheck: 'true',
      },
    },
    onUpdate: ({ editor: e }) => update({ body: e.getJSON() as CaptureDraft['body'] }),
  });

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  // Mod+Enter before the destinations have loaded (the button waits for them) saves once they have.
  const saveWhenLoaded = useRef(false);
  const save = async (): Promise<void> => {
    if (state.kind === 'saving') return;
    if (!destinations.data) {
      saveWhenLoaded.current = true;
      return;
    }
    const target = parseDestination(destination);
    if (!target) {
      setState({ kind: 'error', message: 'there is no notebook to save it to' });
      return;
    }
    const body = (editor.getJSON() as CaptureDraft['body']) ?? { type: 'doc', content: [] };
    setState({ kind: 'saving' });
    const result = await api
      .invoke('capture.save', { accountId, destination: target, title: draftRef.current.title, body })
      .catch((error: unknown) => ({
        ok: false as const,
        error: { message: error instanceof Error ? error.message : String(error) },
      }));
    if (!result.ok) {
      setState({ kind: 'error', message: result.error.message });
      return;
    }
    const next = clearedDraft({ ...draftRef.current, destination });
    draftRef.current = next;
    setDraft(next);
    saveDraft(next, localStorage);
    editor.commands.clearContent(false);
    setState({ kind: 'idle' });
    titleRef.current?.focus();
    onSaved(result.value);
  };

  const latestSave = useLatest(save);
  useEffect(() => {
    if (!destinations.data || !saveWhenLoaded.current) return;
    saveWhenLoaded.current = false;
    void latestSave.current();
  }, [destinations.data, latestSave]);

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && hasMod(event)) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <form
      className="capture"
      aria-label="Quick note"
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <input
        ref={titleRef}
        className="capture-title"
        aria-label="Title"
        placeholder="Title"
        maxLength={256}
        value={draft.title}
        onChange={(event) => update({ title: event.target.value })}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !hasMod(event) && !event.nativeEvent.isComposing) {
            event.preventDefault();
            focusEditorNow(editor, 'end');
          }
        }}
      />
      <EditorContent editor={editor} className="capture-editor" />
      <div className="capture-footer">
        {accounts && accounts.length > 1 && onAccountChange ? (
          <label className="capture-destination">
            <span className="visually-hidden">Account</span>
            <select
              aria-label="Account"
              value={accountId}
              onChange={(event) => onAccountChange(event.target.value)}
            >
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="capture-destination">
          <Icon name="inbox" />
          <span className="visually-hidden">Save to</span>
          <select
            aria-label="Save to"
            value={destination ?? ''}
            disabled={options.length === 0}
            onChange={(event) => update({ destination: event.target.value })}
          >
            {groups(options).map(([group, items]) => (
              <optgroup key={group} label={group}>
                {items.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <span className="capture-status" role="status">
          {state.kind === 'error' ? <span className="field-error">Not saved: {state.message}</span> : null}
        </span>
        <button type="button" className="button" onClick={onClose} title="Close and keep the draft (Esc)">
          Close
        </button>
        <button type="submit" className="button primary" disabled={!destination || state.kind === 'saving'}>
          Save <kbd>{shortcutLabel('Mod+Enter')}</kbd>
        </button>
      </div>
    </form>
  );
}

interface Option {
  value: string;
  label: string;
  group: string;
}

function destinationOptions(view: CaptureDestinationsView | undefined): Option[] {
  if (!view) return [];
  const many = view.notebooks.length > 1;
  const suffix = (name: string): string => (many ? ` — ${name}` : '');
  return [
    ...view.notebooks.map((n) => ({
      value: `inbox:${n.id}`,
      label: `Inbox${suffix(n.name)}`,
      group: 'Inbox',
    })),
    ...view.notebooks.map((n) => ({
      value: `daily:${n.id}`,
      label: `Today’s daily note${suffix(n.name)}`,
      group: 'Daily note',
    })),
    ...view.recentPages.map((p) => ({
      value: `page:${p.id}`,
      label: `${p.icon ? `${p.icon} ` : ''}${p.name || 'Untitled'}${suffix(p.notebookName)}`,
      group: 'Recent pages',
    })),
  ];
}

function groups(options: readonly Option[]): [string, Option[]][] {
  const out = new Map<string, Option[]>();
  for (const option of options) out.set(option.group, [...(out.get(option.group) ?? []), option]);
  return [...out];
}
