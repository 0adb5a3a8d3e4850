import { useState } from 'react';
import type { CommentAnchorInput } from '../../../shared/api/comments';
import type { Result } from '../../../shared/lib/result';
import { useApi } from '../../lib/client';

type TextRange = Extract<CommentAnchorInput, { type: 'text-range' }>;

/**
 * A detached thread (its text was deleted) attached to new text: the user selects it in the page, then chooses
 * "Attach to selection" here. Offered by the panel only to the thread's author or whoever may moderate the
 * page's comments (the server's rule); offline it is kept and sent later like any comment change.
 */
export function ReanchorControl(props: {
  accountId: string;
  nodeId: string;
  threadId: string;
  /** The page's current selection as an anchor (null: nothing, or nothing commentable, is selected). */
  selectionAnchor(): TextRange | null;
  run(result: Promise<Result<unknown>>, doing: string): Promise<boolean>;
}) {
  const api = useApi();
  const [choosing, setChoosing] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  if (!choosing)
    return (
      <div className="comment-actions">
        <button type="button" className="button small" onClick={() => setChoosing(true)}>
          Re-anchor…
        </button>
      </div>
    );
  const attach = async (): Promise<void> => {
    const anchor = props.selectionAnchor();
    if (!anchor) {
      setHint('Nothing is selected in the page: select the text first.');
      return;
    }
    const ok = await props.run(
      api.invoke('comment.reanchor', {
        accountId: props.accountId,
        nodeId: props.nodeId,
        commentId: props.threadId,
        anchor,
      }),
      'Re-anchoring',
    );
    if (ok) setChoosing(false);
  };
  return (
    <div className="comment-reanchor" role="group" aria-label="Re-anchor the thread">
      <p className="comments-note" id={`reanchor-${props.threadId}`}>
        Select the text this thread is about in the page, then attach it.
      </p>
      {hint ? (
        <p className="comments-note comment-hint" role="alert">
          {hint}
        </p>
      ) : null}
      <div className="comment-actions">
        <button
          type="button"
          className="button small"
          onClick={() => {
            setChoosing(false);
            setHint(null);
          }}
        >
          Cancel
        </button>
        <button
          type="button"
          className="button small primary"
          aria-describedby={`reanchor-${props.threadId}`}
          // Keeps the editor's selection (and its focus) while pressing.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => void attach()}
        >
          Attach to selection
        </button>
      </div>
    </div>
  );
}
