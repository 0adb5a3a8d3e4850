import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { editorJSON } from './helpers';

/**
 * Where keystrokes land while someone else edits the same page (issue 10). The scenarios take two pages
 * showing one document — two windows on one core, or two devices through the server — and check what a user
 * sees: the text around their caret, and where the next character they type goes.
 */

const editor = (page: Page) => page.locator('.ProseMirror');

/** The text of the page's top-level blocks, in order (from the document, so remote carets' labels are not in it). */
export function blocks(page: Page): Promise<string[]> {
  return editor(page).evaluate((element) => {
    interface Doc {
      forEach(fn: (node: { textContent: string }) => void): void;
    }
    const view = (element as unknown as { editor?: { view: { state: { doc: Doc } } } }).editor?.view;
    if (!view) throw new Error('no editor on .ProseMirror');
    const out: string[] = [];
    view.state.doc.forEach((node) => out.push(node.textContent));
    return out;
  });
}

export interface CaretView {
  /** The text between the start of the caret's block and the caret (head of the selection). */
  before: string;
  /** The text between the caret and the end of its block. */
  after: string;
  /** The selected text (empty for a caret). */
  selected: string;
  focused: boolean;
}

/** The editor's own selection (read from ProseMirror, so it also works while the editor is not focused). */
export function caret(page: Page): Promise<CaretView> {
  return editor(page).evaluate((element) => {
    interface View {
      state: {
        selection: {
          from: number;
          to: number;
          $head: { parent: { textContent: string }; parentOffset: number };
        };
        doc: { textBetween(from: number, to: number, separator: string): string };
      };
      hasFocus(): boolean;
    }
    const view = (element as unknown as { editor?: { view: View } }).editor?.view;
    if (!view) throw new Error('no editor on .ProseMirror');
    const { selection, doc } = view.state;
    const text = selection.$head.parent.textContent;
    return {
      before: text.slice(0, selection.$head.parentOffset),
      after: text.slice(selection.$head.parentOffset),
      selected: doc.textBetween(selection.from, selection.to, '\n'),
      focused: view.hasFocus(),
    };
  });
}

/** Pastes `text` at the caret through ProseMirror's paste path (as Ctrl+V of plain text would). */
export function pasteText(page: Page, text: string): Promise<void> {
  return editor(page).evaluate((element, pasted) => {
    const view = (element as unknown as { editor?: { view: { pasteText(text: string): boolean } } }).editor
      ?.view;
    if (!view) throw new Error('no editor on .ProseMirror');
    view.pasteText(pasted);
  }, text);
}

/** Waits until both pages show the same document, and returns its blocks. */
export async function converged(a: Page, b: Page, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [x, y] = [await editorJSON(a), await editorJSON(b)];
    if (JSON.stringify(x) === JSON.stringify(y)) return blocks(a);
    if (Date.now() > deadline) assert.deepEqual(x, y, 'both pages show the same document');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `page` shows `expected` as its blocks. */
export async function showsBlocks(page: Page, expected: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const actual = await blocks(page);
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) assert.deepEqual(actual, expected);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Puts the caret at the end (or start) of the block whose text is `text` (a click, then End or Home), and
 * waits until the editor has taken it: ProseMirror reads a click's DOM selection asynchronously.
 */
export async function caretAtEndOf(page: Page, text: string): Promise<void> {
  await block(page, text).then((element) => element.click());
  await page.keyboard.press('End');
  await caretIs(page, { before: text, after: '' });
}

async function caretAtStartOf(page: Page, text: string): Promise<void> {
  await block(page, text).then((element) => element.click());
  await page.keyboard.press('Home');
  await caretIs(page, { before: '', after: text });
}

/** The element of the block whose text is `text` (found in the document: remote carets' labels are in the DOM). */
async function block(page: Page, text: string) {
  const index = (await blocks(page)).indexOf(text);
  assert.ok(index >= 0, `a block "${text}" in ${JSON.stringify(await blocks(page))}`);
  return editor(page).locator(':scope > *').nth(index);
}

/** Waits until the editor's selection (not only the DOM's) is `text`. */
export async function selectionIs(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { selected } = await caret(page);
    if (selected === text) return;
    if (Date.now() > deadline) assert.equal(selected, text, 'the selection got there');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function caretIs(page: Page, expected: { before: string; after: string }): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { before, after } = await caret(page);
    if (before === expected.before && after === expected.after) return;
    if (Date.now() > deadline) assert.deepEqual({ before, after }, expected, 'the caret got there');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Replaces the document with `lines`, one paragraph each, typed in `page`; both pages then show them. */
export async function startWith(a: Page, b: Page, lines: string[]): Promise<void> {
  await editor(a).click();
  await a.keyboard.press('Control+a');
  await a.keyboard.press('Backspace');
  for (const [i, line] of lines.entries()) {
    if (i > 0) await a.keyboard.press('Enter');
    await a.keyboard.type(line);
  }
  await showsBlocks(b, lines);
}

/**
 * The scenario, both directions: B's caret at the end of a line, A types at its start, B types —
 * B's character lands after the text it was typed after, not at the caret's old offset.
 */
export async function sameParagraphBothWays(a: Page, b: Page): Promise<void> {
  await startWith(a, b, ['first line and more']);
  await caretAtEndOf(b, 'first line and more');
  await caretAtStartOf(a, 'first line and more');
  await a.keyboard.type('EARLIER ');
  await showsBlocks(b, ['EARLIER first line and more']);
  assert.deepEqual(await caret(b), {
    before: 'EARLIER first line and more',
    after: '',
    selected: '',
    focused: true,
  });
  await b.keyboard.type('#');
  await showsBlocks(a, ['EARLIER first line and more#']);

  // And back: A's caret (after "EARLIER ") must follow B's typing before it.
  await b.keyboard.press('Home');
  await b.keyboard.type('B ');
  await showsBlocks(a, ['B EARLIER first line and more#']);
  assert.equal((await caret(a)).before, 'B EARLIER ');
  await a.keyboard.type('@');
  assert.deepEqual(await converged(a, b), ['B EARLIER @first line and more#']);
}

/**
 * Across blocks: a remote Enter (and a new line) above B's caret, a remote delete of the text before it, a
 * remote paste of several lines above it; B's caret stays on its characters each time, and so does a
 * selection, with the editor focused or not.
 */
export async function acrossBlocks(a: Page, b: Page): Promise<void> {
  await startWith(a, b, ['one', 'alpha beta gamma']);
  await caretAtEndOf(b, 'alpha beta gamma');

  // A remote Enter above the caret, and a line typed there.
  await caretAtEndOf(a, 'one');
  await a.keyboard.press('Enter');
  await a.keyboard.type('inserted');
  await showsBlocks(b, ['one', 'inserted', 'alpha beta gamma']);
  assert.equal((await caret(b)).before, 'alpha beta gamma');
  await b.keyboard.type('1');
  await showsBlocks(a, ['one', 'inserted', 'alpha beta gamma1']);

  // A remote delete of text before the caret, in the caret's block.
  await caretAtStartOf(a, 'alpha beta gamma1');
  for (let i = 0; i < 'alpha '.length; i++) await a.keyboard.press('Shift+ArrowRight');
  await selectionIs(a, 'alpha ');
  await a.keyboard.press('Backspace');
  await showsBlocks(b, ['one', 'inserted', 'beta gamma1']);
  assert.deepEqual(await caret(b), { before: 'beta gamma1', after: '', selected: '', focused: true });
  await b.keyboard.type('2');
  await showsBlocks(a, ['one', 'inserted', 'beta gamma12']);

  // A remote paste of several lines at the start of the page.
  await caretAtStartOf(a, 'one');
  await pasteText(a, 'p1\np2\np3 ');
  await showsBlocks(b, ['p1', 'p2', 'p3 one', 'inserted', 'beta gamma12']);
  assert.equal((await caret(b)).before, 'beta gamma12');
  await b.keyboard.type('3');
  await showsBlocks(a, ['p1', 'p2', 'p3 one', 'inserted', 'beta gamma123']);

  // A selection (B selects "gamma123" backwards, word-wise) survives A typing before it in the same block.
  await caretAtEndOf(b, 'beta gamma123');
  await b.keyboard.press('Control+Shift+ArrowLeft');
  await selectionIs(b, 'gamma123');
  await caretAtStartOf(a, 'beta gamma123');
  await a.keyboard.type('zeta ');
  await showsBlocks(b, ['p1', 'p2', 'p3 one', 'inserted', 'zeta beta gamma123']);
  assert.equal((await caret(b)).selected, 'gamma123');

  // Not focused: B's caret is in the last block and B is in the page title; A edits before the caret.
  await caretAtEndOf(b, 'zeta beta gamma123');
  await b.getByRole('textbox', { name: 'Page title' }).click();
  assert.equal((await caret(b)).focused, false);
  await caretAtStartOf(a, 'zeta beta gamma123');
  await a.keyboard.type('eta ');
  await caretAtEndOf(a, 'inserted');
  await a.keyboard.press('Enter');
  await a.keyboard.type('new line above');
  await showsBlocks(b, ['p1', 'p2', 'p3 one', 'inserted', 'new line above', 'eta zeta beta gamma123']);
  assert.deepEqual(await caret(b), {
    before: 'eta zeta beta gamma123',
    after: '',
    selected: '',
    focused: false,
  });
  await converged(a, b);
}

/**
 * Both users type in turn at one spot: each one's text stays in the order they typed it (the bug reversed
 * A's: `A4qA3qA2qA1qA0q`).
 */
export async function alternatingAtOneSpot(a: Page, b: Page, rounds = 5): Promise<void> {
  await startWith(a, b, ['x']);
  await caretAtEndOf(a, 'x');
  await caretAtEndOf(b, 'x');
  // Each one types only once the other's last key is on their screen.
  for (let i = 0; i < rounds; i++) {
    await a.keyboard.type(`A${i}`);
    await showsBlocks(b, await blocks(a));
    await b.keyboard.type('q');
    await showsBlocks(a, await blocks(b));
  }
  const [text] = await converged(a, b);
  const aTyped = Array.from({ length: rounds }, (_, i) => `A${i}`).join('');
  assert.equal(text?.replace(/q/g, ''), `x${aTyped}`, `A's text in typing order in ${text}`);
  assert.equal(text?.replace(/A\d/g, ''), `x${'q'.repeat(rounds)}`, text);
  // Each caret is still right after its own last character: typing goes on where each user left off.
  await a.keyboard.type('!');
  await b.keyboard.type('?');
  const [after] = await converged(a, b);
  assert.ok(after?.includes(`A${rounds - 1}!`), `A's next key follows A's text: ${after}`);
  assert.match(after ?? '', /q\?/, `B's next key follows B's text: ${after}`);
}

/** Puts the caret `offset` characters into the block whose text is `text` (Home, then ArrowRight). */
export async function caretInside(page: Page, text: string, offset: number): Promise<void> {
  await block(page, text).then((element) => element.click());
  await page.keyboard.press('Home');
  for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
  await caretIs(page, { before: text.slice(0, offset), after: text.slice(offset) });
}

/**
 * The cases the caret fuzz (test/unit/caret-fuzz.test.ts) found, each checked by where B's next key lands:
 * a remote Enter in the middle of the paragraph before B's caret (y-tiptap re-creates the text after the
 * split, so B's caret lost its anchor), a remote delete of the text right after B's caret, and both typing at
 * exactly the same spot (each caret keeps its side: it stays after its own last character).
 */
export async function caretKeepsItsPlace(a: Page, b: Page): Promise<void> {
  await startWith(a, b, ['one two three', 'alpha beta gamma', 'left right']);

  // A remote Enter mid-paragraph, before B's caret.
  await caretAtEndOf(b, 'one two three');
  await caretInside(a, 'one two three', 'one '.length);
  await a.keyboard.press('Enter');
  await showsBlocks(b, ['one ', 'two three', 'alpha beta gamma', 'left right']);
  assert.deepEqual(await caret(b), { before: 'two three', after: '', selected: '', focused: true });
  await b.keyboard.type('X');
  await showsBlocks(a, ['one ', 'two threeX', 'alpha beta gamma', 'left right']);

  // A remote delete of the text right after B's caret.
  await caretInside(b, 'alpha beta gamma', 'alpha '.length);
  await caretInside(a, 'alpha beta gamma', 'alpha '.length);
  for (let i = 0; i < 'beta '.length; i++) await a.keyboard.press('Shift+ArrowRight');
  await selectionIs(a, 'beta ');
  await a.keyboard.press('Backspace');
  await showsBlocks(b, ['one ', 'two threeX', 'alpha gamma', 'left right']);
  assert.deepEqual(await caret(b), { before: 'alpha ', after: 'gamma', selected: '', focused: true });
  await b.keyboard.type('Y');
  await showsBlocks(a, ['one ', 'two threeX', 'alpha Ygamma', 'left right']);

  // Both at one spot: B types there, then A, then B again; each goes on after their own text.
  await caretInside(b, 'left right', 'left'.length);
  await caretInside(a, 'left right', 'left'.length);
  await b.keyboard.type('B1');
  await showsBlocks(a, ['one ', 'two threeX', 'alpha Ygamma', 'leftB1 right']);
  assert.deepEqual(await caret(a), { before: 'left', after: 'B1 right', selected: '', focused: true });
  await a.keyboard.type('A1');
  await showsBlocks(b, ['one ', 'two threeX', 'alpha Ygamma', 'leftA1B1 right']);
  assert.deepEqual(await caret(b), { before: 'leftA1B1', after: ' right', selected: '', focused: true });
  await b.keyboard.type('B2');
  await showsBlocks(a, ['one ', 'two threeX', 'alpha Ygamma', 'leftA1B1B2 right']);
  assert.deepEqual(await caret(a), { before: 'leftA1', after: 'B1B2 right', selected: '', focused: true });
  await a.keyboard.type('A2');
  assert.deepEqual(await converged(a, b), ['one ', 'two threeX', 'alpha Ygamma', 'leftA1A2B1B2 right']);
}
