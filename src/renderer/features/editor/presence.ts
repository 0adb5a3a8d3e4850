import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import {
  isStructuralTransaction,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { PresenceViewerView } from '../../../shared/contract';
import type { Api } from '../../../shared/contract/transport';
import { syncedDoc } from './fast-binding';
import { relativeSelection, type BindingLike } from './fast-positions';

/** Local selection reports are coalesced to at most one per this many ms (typing moves the caret a lot). */
const REPORT_DELAY_MS = 40;
/** Unchanged presence is reported again this often; the core treats a silent window as gone after ~45 s. */
const KEEP_ALIVE_MS = 15_000;

type Selection = {
  anchor: number;
  head: number;
  anchorRel?: Uint8Array;
  headRel?: Uint8Array;
} | null;

const NO_VIEWERS: readonly PresenceViewerView[] = [];

/**
 * The live presence of one open page: reports this window's selection to the core (`presence.update`,
 * coalesced, with Yjs relative positions so others' carets stay on the right character while text changes
 * around them) and keeps the list of other viewers from `presence.changed`. The editor draws their carets
 * through `RemoteCarets`; the page header lists them. Nothing here re-renders the editor.
 */
export class PresenceChannel {
  private list: readonly PresenceViewerView[] = NO_VIEWERS;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private keepAlive: ReturnType<typeof setInterval> | null = null;
  /** Reads the editor's current selection when a report goes out (set by the editor plugin). */
  private source: (() => Selection) | null = null;

  constructor(
    private readonly api: Api,
    private readonly accountId: string,
    readonly documentId: string,
  ) {}

  /** Joins the page (idempotent: StrictMode mounts twice). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.api.subscribe('presence.changed', (event) => {
      if (event.accountId === this.accountId && event.documentId === this.documentId)
        this.setViewers(event.viewers);
    });
    this.keepAlive = setInterval(() => this.report(), KEEP_ALIVE_MS);
    this.report();
  }

  stop(): void {
    if (!this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.timer = this.keepAlive = null;
    this.setViewers(NO_VIEWERS);
    void this.api.invoke('presence.leave', { accountId: this.accountId, documentId: this.documentId });
  }

  /**
   * The connection to the core dropped (browser mode) or came back: while down, nobody's caret is shown (the
   * core forgets this window with its socket); once back, this window announces itself again at once.
   */
  connectionChanged(connected: boolean): void {
    if (!connected) return this.setViewers(NO_VIEWERS);
    this.report();
  }

  /** The other viewers (a new array only when they change, for `useSyncExternalStore`). */
  viewers = (): readonly PresenceViewerView[] => this.list;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  attach(source: () => Selection): void {
    this.source = source;
    this.schedule();
  }

  detach(source: () => Selection): void {
    if (this.source === source) this.source = null;
  }

  /** The selection or focus changed: report it soon (coalesced). */
  schedule(): void {
    if (this.timer || !this.unsubscribe) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.report();
    }, REPORT_DELAY_MS);
  }

  private report(): void {
    if (!this.unsubscribe) return;
    const selection = this.source?.() ?? null;
    void this.api
      .invoke('presence.update', { accountId: this.accountId, documentId: this.documentId, selection })
      .then((result) => {
        if (result.ok && this.unsubscribe) this.setViewers(result.value);
      });
  }

  private setViewers(viewers: readonly PresenceViewerView[]): void {
    if (viewers.length === 0 && this.list.length === 0) return;
    this.list = viewers.length === 0 ? NO_VIEWERS : viewers;
    for (const listener of this.listeners) listener();
  }
}

const caretsKey = new PluginKey<DecorationSet>('hoodyRemoteCarets');

/** Viewers' colours are classes (`collab-color-<n>`): the CSP forbids inline styles. */
export const colorClass = (viewer: PresenceViewerView): string => `collab-color-${viewer.colorIndex % 8}`;

function caretElement(viewer: PresenceViewerView): HTMLElement {
  const caret = document.createElement('span');
  caret.className = `collab-caret ${colorClass(viewer)}`;
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'collab-caret-label';
  label.textContent = viewer.name;
  caret.append(label);
  return caret;
}

function resolve(state: EditorState, rel: Uint8Array | null, absolute: number): number | null {
  const ystate = ySyncPluginKey.getState(state) as
    { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } | null } | undefined;
  if (rel && ystate?.binding) {
    try {
      return relativePositionToAbsolutePosition(
        ystate.doc,
        ystate.type,
        Y.decodeRelativePosition(rel),
        ystate.binding.mapping as never,
      );
    } catch {
      return null; // garbled or from an unknown part of the document: hide that caret until the next update
    }
  }
  return rel ? null : absolute;
}

function decorate(state: EditorState, viewers: readonly PresenceViewerView[]): DecorationSet {
  const ystate = ySyncPluginKey.getState(state) as
    { binding: { mapping: Map<unknown, unknown> } | null } | undefined;
  if (!ystate?.binding || ystate.binding.mapping.size === 0) return DecorationSet.empty;
  const max = Math.max(state.doc.content.size - 1, 0);
  const decorations: Decoration[] = [];
  for (const viewer of viewers) {
    const selection = viewer.selection;
    if (!selection) continue;
    const anchor = resolve(state, selection.anchorRel, selection.anchor);
    const head = resolve(state, selection.headRel, selection.head);
    if (anchor === null || head === null) continue;
    const a = Math.min(anchor, max);
    const h = Math.min(head, max);
    decorations.push(
      Decoration.widget(h, () => caretElement(viewer), {
        key: `${viewer.id}:${viewer.name}:${viewer.colorIndex}`,
        side: 10,
      }),
    );
    if (a !== h)
      decorations.push(
        Decoration.inline(
          Math.min(a, h),
          Math.max(a, h),
          { class: `collab-selection ${colorClass(viewer)}` },
          { inclusiveEnd: true, inclusiveStart: false },
        ),
      );
  }
  return DecorationSet.create(state.doc, decorations);
}

function localSelection(view: EditorView): Selection {
  if (!view.hasFocus()) return null;
  const { anchor, head } = view.state.selection;
  const binding = (ySyncPluginKey.getState(view.state) as { binding: BindingLike | null } | undefined)
    ?.binding;
  if (!binding) return { anchor, head };
  const relative = relativeSelection(binding, view.state, syncedDoc(binding));
  return {
    anchor,
    head,
    anchorRel: Y.encodeRelativePosition(relative.anchor),
    headRel: Y.encodeRelativePosition(relative.head),
  };
}

/**
 * Other viewers' carets (with their names) and selections as decorations. Updates arrive as a transaction
 * meta, which the editor does not re-render React for (`shouldRerenderOnTransaction: false`).
 */
export const RemoteCarets = Extension.create<{ channel: PresenceChannel | null }>({
  name: 'remoteCarets',
  addOptions() {
    return { channel: null };
  },
  addProseMirrorPlugins() {
    const { channel } = this.options;
    if (!channel) return [];
    return [
      new Plugin<DecorationSet>({
        key: caretsKey,
        state: {
          init: (_, state) => decorate(state, channel.viewers()),
          apply(tr, previous, oldState, newState) {
            const ystate = ySyncPluginKey.getState(newState) as { isChangeOrigin?: boolean } | undefined;
            const remote = ystate?.isChangeOrigin === true;
            if (tr.getMeta(caretsKey) || remote) return decorate(newState, channel.viewers());
            if (!tr.docChanged) return previous;
            // A local structural change moves content the Yjs mapping has not caught up with yet.
            if (isStructuralTransaction(tr, oldState.doc)) return DecorationSet.empty;
            return previous.map(tr.mapping, tr.doc);
          },
        },
        props: {
          decorations: (state) => caretsKey.getState(state),
          handleDOMEvents: {
            focus: () => {
              channel.schedule();
              return false;
            },
            blur: () => {
              channel.schedule();
              return false;
            },
          },
        },
        view(view) {
          const source = (): Selection => localSelection(view);
          channel.attach(source);
          const redraw = (): void => {
            if (!view.isDestroyed)
              view.dispatch(view.state.tr.setMeta(caretsKey, true).setMeta('addToHistory', false));
          };
          const unsubscribe = channel.subscribe(redraw);
          return {
            update(updated, previous) {
              if (updated.state.doc !== previous.doc || !updated.state.selection.eq(previous.selection))
                channel.schedule();
            },
            destroy() {
              unsubscribe();
              channel.detach(source);
            },
          };
        },
      }),
    ];
  },
});
