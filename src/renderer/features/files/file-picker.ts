import type { Editor } from '@tiptap/core';

/** Window event: the shown page opens the file chooser (the palette's and menu's "Insert image or file…"). */
export const OPEN_FILE_PICKER_EVENT = 'hoody:insert-file';

/** Editors that may attach files (a page's editor with its file context, editable), and how each picks. */
const pickers = new WeakMap<Editor, () => void>();

export function registerFilePicker(editor: Editor, pick: () => void): void {
  pickers.set(editor, pick);
}

export function unregisterFilePicker(editor: Editor): void {
  pickers.delete(editor);
}

/** Whether "Image or file" is offered in this editor: it has a page to attach to and may be edited. */
export const canPickFiles = (editor: Editor): boolean => editor.isEditable && pickers.has(editor);

/** Opens the system's file chooser; the chosen files become blocks at the selection. */
export function openFilePicker(editor: Editor): boolean {
  const pick = canPickFiles(editor) ? pickers.get(editor) : undefined;
  pick?.();
  return pick !== undefined;
}

/**
 * A one-off `<input type=file multiple>`: in the document while the chooser is open (Chromium fires `cancel`
 * when it is dismissed), removed after. Must run inside the user's gesture (a key or a click).
 */
export function chooseFiles(onChosen: (files: File[]) => void): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.hidden = true;
  input.setAttribute('aria-hidden', 'true');
  const done = (): void => input.remove();
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    done();
    if (files.length > 0) onChosen(files);
  });
  input.addEventListener('cancel', done);
  document.body.append(input);
  // Asked for from a modal (the palette), which makes the rest of the page inert until it has closed: the
  // click waits for that (a few frames; the gesture's activation lasts seconds).
  let frames = 0;
  const open = (): void => {
    if (document.querySelector('dialog:modal') && frames++ < 30) requestAnimationFrame(open);
    else input.click();
  };
  open();
}
