import type { Editor } from '@tiptap/react';
import { useEffect, useMemo, useState } from 'react';
import type { CommentThreadView } from '../../../shared/contract';
import { useLatest } from '../../lib/latest';
import { useLiveQuery, type LiveQuery } from '../../lib/live-query';
import { commentAnchorsKey, commentAnchorsPlugin } from './comment-anchors';

/** A page's comment threads, live: reloaded when main says they changed (written here, sent, or pushed). */
export function useComments(accountId: string, nodeId: string): LiveQuery<CommentThreadView[]> {
  return useLiveQuery(
    `${accountId}/${nodeId}`,
    (api) => api.invoke('comment.list', { accountId, nodeId }),
    (api, refresh) =>
      api.subscribe('comment.changed', (event) => {
        if (event.accountId === accountId && event.nodeId === nodeId) refresh();
      }),
  );
}

/** Where each anchored thread is in the document now: its start, or null once its text is gone. */
export type AnchorPlaces = ReadonlyMap<string, number | null>;

const signature = (places: AnchorPlaces): string =>
  [...places].map(([id, at]) => `${id}:${at ?? '-'}`).join(',');

/**
 * Highlights the threads' anchors in `editor` (commentAnchorsPlugin) while mounted, and answers where each one
 * is now (document order, orphans). Re-renders only when an anchor moves or is lost, not on every keystroke
 * elsewhere.
 */
export function useCommentAnchors(
  editor: Editor | null,
  threads: readonly CommentThreadView[] | undefined,
  active: string | null,
  onActivate: (threadId: string) => void,
): AnchorPlaces {
  const activate = useLatest(onActivate);
  const [places, setPlaces] = useState<AnchorPlaces>(new Map());
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.registerPlugin(commentAnchorsPlugin((id) => activate.current(id)));
    let shown = '';
    const read = (): void => {
      const ranges = commentAnchorsKey.getState(editor.state)?.ranges;
      if (!ranges) return;
      const next = new Map([...ranges].map(([id, range]) => [id, range ? range.from : null]));
      const sig = signature(next);
      if (sig === shown) return;
      shown = sig;
      setPlaces(next);
    };
    editor.on('transaction', read);
    return () => {
      editor.off('transaction', read);
      if (!editor.isDestroyed) editor.unregisterPlugin(commentAnchorsKey);
    };
  }, [editor, activate]);
  const anchored = useMemo(
    () => (threads ?? []).map((t) => ({ id: t.id, anchor: t.anchor, resolved: t.resolvedAt !== null })),
    [threads],
  );
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(
      editor.state.tr.setMeta(commentAnchorsKey, { threads: anchored }).setMeta('addToHistory', false),
    );
  }, [editor, anchored]);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(
      editor.state.tr.setMeta(commentAnchorsKey, { active }).setMeta('addToHistory', false),
    );
  }, [editor, active]);
  return places;
}
