import type { ReactNode } from 'react';
import type { TiptapMark, TiptapNode } from '../../../shared/crdt/document';

/** Only these link targets are made clickable; anything else stays visible text. */
const SAFE_LINK = /^(https?:|mailto:)/i;

function marked(text: ReactNode, marks: readonly TiptapMark[] | undefined, key: number): ReactNode {
  let node = text;
  for (const mark of marks ?? []) {
    if (mark.type === 'bold') node = <strong>{node}</strong>;
    else if (mark.type === 'italic') node = <em>{node}</em>;
    else if (mark.type === 'strike') node = <s>{node}</s>;
    else if (mark.type === 'underline') node = <u>{node}</u>;
    else if (mark.type === 'code') node = <code>{node}</code>;
    else if (mark.type === 'link') {
      const href = typeof mark.attrs?.href === 'string' ? mark.attrs.href : '';
      if (SAFE_LINK.test(href))
        node = (
          <a href={href} target="_blank" rel="noreferrer noopener">
            {node}
          </a>
        );
    }
  }
  return <span key={key}>{node}</span>;
}

function children(node: TiptapNode): ReactNode[] {
  return (node.content ?? []).map((child, i) => render(child, i));
}

function render(node: TiptapNode, key: number): ReactNode {
  switch (node.type) {
    case 'text':
      return marked(node.text ?? '', node.marks, key);
    case 'hardBreak':
      return <br key={key} />;
    case 'paragraph':
      return <p key={key}>{children(node)}</p>;
    case 'heading':
      return (
        <p key={key} className="message-heading">
          {children(node)}
        </p>
      );
    case 'bulletList':
    case 'taskList':
      return <ul key={key}>{children(node)}</ul>;
    case 'orderedList':
      return <ol key={key}>{children(node)}</ol>;
    case 'listItem':
    case 'taskItem':
      return <li key={key}>{children(node)}</li>;
    case 'blockquote':
      return <blockquote key={key}>{children(node)}</blockquote>;
    case 'codeBlock':
      return (
        <pre key={key}>
          <code>{(node.content ?? []).map((t) => t.text ?? '').join('')}</code>
        </pre>
      );
    case 'horizontalRule':
      return <hr key={key} />;
    default:
      // A block this view has no drawing for (a table, a drawing, a file): its text, never nothing.
      return (
        <div key={key} className="message-other">
          {node.text ?? children(node)}
        </div>
      );
  }
}

/** A message's rich text, drawn read-only from its TipTap JSON (no HTML is ever injected). */
export function MessageContent({ doc }: { doc: TiptapNode }) {
  return <div className="message-content">{children(doc)}</div>;
}
