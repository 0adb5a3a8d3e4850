import type { Editor } from '@tiptap/react';
import { useState, type FormEvent } from 'react';
import { focusEditorNow } from './focus';

/** Accepts what people paste or type (`example.com`) and keeps only schemes the link extension allows. */
export function normalizeHref(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function LinkEditor({ editor, onClose }: { editor: Editor; onClose(): void }) {
  const current = editor.getAttributes('link') as { href?: string };
  const [value, setValue] = useState(current.href ?? '');
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (value.trim() === '') {
      backToText();
      editor.chain().extendMarkRange('link').unsetLink().run();
      return;
    }
    const href = normalizeHref(value);
    if (href === null) {
      setInvalid(true);
      return;
    }
    backToText();
    editor.chain().extendMarkRange('link').setLink({ href }).run();
  };
  // This field goes away: the text gets focus at once, so keys typed right after Enter or Escape go there.
  const backToText = (): void => {
    focusEditorNow(editor);
    onClose();
  };
  return (
    <form className="link-editor" onSubmit={submit}>
      <input
        className="text-input"
        aria-label="Link address"
        aria-invalid={invalid}
        placeholder="https://example.com"
        value={value}
        autoFocus
        onChange={(event) => {
          setValue(event.target.value);
          setInvalid(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            backToText();
          }
        }}
      />
      <button type="submit" className="button primary small">
        {value.trim() === '' && current.href ? 'Remove' : 'Apply'}
      </button>
      {invalid ? <span className="field-error">Use an http, https or mailto address.</span> : null}
    </form>
  );
}
