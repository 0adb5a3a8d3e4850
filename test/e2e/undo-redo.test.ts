import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  blocks,
  caret,
  caretAtEndOf,
  caretInside,
  caretIs,
  converged,
  selectionIs,
  showsBlocks,
  startWith,
} from './co-editing';
import { appFixture, treeItem } from './helpers';

/** Yjs closes an undo step after 500 ms without edits; waiting longer makes the next edit a step of its own. */
const NEW_STEP_MS = 700;

/**
 * Undo and redo in Chromium against the real core (issue 10): each key gives the text it promises, in this
 * window and in a second window on the same page (the binding once threw half-way, leaving Yjs and the
 * editor apart), the caret sits at the redone text, and nothing is thrown (appFixture fails a test on any
 * page error or console error).
 */
describe('undo and redo (browser mode)', () => {
  const app = appFixture();

  /** A second window on the open page, with its own page errors collected. */
  async function secondWindow(title: string): Promise<{ b: Page; problems: string[] }> {
    const b = await app.page.context().newPage();
    const problems: string[] = [];
    b.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    b.on('pageerror', (error) => problems.push(error.stack ?? error.message));
    await b.goto(app.url);
    await treeItem(b, title).click();
    await b.locator('.ProseMirror').waitFor();
    return { b, problems };
  }

  /** Presses `key` and checks what both windows show afterwards. */
  async function press(a: Page, b: Page, key: string, expected: string[]): Promise<void> {
    await a.keyboard.press(key);
    await showsBlocks(a, expected);
    assert.deepEqual(await converged(a, b), expected, `after ${key}`);
  }

  test('the issue’s sequence: undo, redo with Mod+Shift+Z and Mod+Y, undo again — text right, nothing thrown', async () => {
    const { page: a } = app;
    await app.newPage('Redo');
    const { b, problems } = await secondWindow('Redo');
    await a.locator('.ProseMirror').click();
    await a.keyboard.type('first line');
    await a.waitForTimeout(NEW_STEP_MS);
    await a.keyboard.press('Enter');
    await a.keyboard.type('second line');
    await showsBlocks(b, ['first line', 'second line']);

    await press(a, b, 'Control+z', ['first line']);
    assert.deepEqual(await caret(a), { before: 'first line', after: '', selected: '', focused: true });
    await press(a, b, 'Control+Shift+z', ['first line', 'second line']);
    // The caret is back where the redone text ends, so typing goes on from there.
    assert.equal((await caret(a)).before, 'second line');
    await press(a, b, 'Control+z', ['first line']);
    await press(a, b, 'Control+y', ['first line', 'second line']);
    await press(a, b, 'Control+z', ['first line']);
    await press(a, b, 'Control+z', ['']);
    await press(a, b, 'Control+Shift+z', ['first line']);
    await press(a, b, 'Control+Shift+z', ['first line', 'second line']);
    await a.keyboard.type('!');
    assert.deepEqual(await converged(a, b), ['first line', 'second line!']);
    assert.deepEqual(problems, [], 'no page errors in the second window');
  });

  test('undo and redo with nothing left to undo or redo change nothing (the browser’s own history stays out)', async () => {
    const { page: a } = app;
    await app.newPage('Empty stack');
    const { b, problems } = await secondWindow('Empty stack');
    await a.locator('.ProseMirror').click();
    await a.keyboard.type('only line');
    await showsBlocks(b, ['only line']);

    await press(a, b, 'Control+z', ['']);
    await press(a, b, 'Control+z', ['']);
    await press(a, b, 'Control+Shift+z', ['only line']);
    // Once more than there is to redo: Chromium's contenteditable redo used to rewrite the page (emptied it).
    await press(a, b, 'Control+Shift+z', ['only line']);
    await press(a, b, 'Control+y', ['only line']);
    await a.waitForTimeout(NEW_STEP_MS);
    assert.deepEqual(await blocks(a), ['only line']);
    assert.deepEqual(await converged(a, b), ['only line']);
    assert.deepEqual(problems, []);
  });

  test('undo and redo across remote edits touch only the user’s own text', async () => {
    const { page: a } = app;
    await app.newPage('Two users');
    const { b, problems } = await secondWindow('Two users');
    await a.locator('.ProseMirror').click();
    await a.keyboard.type('alpha');
    await a.waitForTimeout(NEW_STEP_MS);
    await a.keyboard.press('Enter');
    await a.keyboard.type('mine');
    await showsBlocks(b, ['alpha', 'mine']);

    // B types before A's words, in A's line and in a line of its own, while A's caret stays where it is.
    await b.locator('.ProseMirror p').first().click();
    await b.keyboard.press('Home');
    await b.keyboard.type('B1 ');
    await b.locator('.ProseMirror p').nth(1).click();
    await b.keyboard.press('Home');
    await b.keyboard.type('B2 ');
    await showsBlocks(a, ['B1 alpha', 'B2 mine']);
    assert.equal((await caret(a)).before, 'B2 mine');

    // A's undo takes back A's words, never B's (the line B typed in stays: it holds B's text).
    await a.keyboard.press('Control+z');
    await showsBlocks(a, ['B1 alpha', 'B2 ']);
    assert.deepEqual(await converged(a, b), ['B1 alpha', 'B2 ']);
    await a.keyboard.press('Control+Shift+z');
    await showsBlocks(a, ['B1 alpha', 'B2 mine']);
    assert.deepEqual(await converged(a, b), ['B1 alpha', 'B2 mine']);
    await a.keyboard.press('Control+z');
    await a.keyboard.press('Control+z');
    await showsBlocks(a, ['B1 ', 'B2 ']);
    assert.deepEqual(await converged(a, b), ['B1 ', 'B2 ']);
    await a.keyboard.press('Control+y');
    await a.keyboard.press('Control+y');
    await showsBlocks(a, ['B1 alpha', 'B2 mine']);

    // B's own undo takes back only B's words.
    await b.waitForTimeout(NEW_STEP_MS);
    await b.keyboard.press('Control+z');
    await b.keyboard.press('Control+z');
    await showsBlocks(b, ['alpha', 'mine']);
    assert.deepEqual(await converged(a, b), ['alpha', 'mine']);
    assert.deepEqual(problems, []);
  });

  test('after remote edits, undo and redo take back only the user’s change and put the caret where it was made', async () => {
    const { page: a } = app;
    await app.newPage('Undo where');
    const { b, problems } = await secondWindow('Undo where');
    await startWith(a, b, ['alpha', 'one two', 'x omega']);
    // Each edit of A's is one input (insertText, one Backspace), so it is one undo step however slow the
    // machine is; the pause closes the step before the next one.
    await a.waitForTimeout(NEW_STEP_MS);
    await caretInside(a, 'one two', 'one '.length);
    await a.keyboard.insertText('mine ');
    await showsBlocks(b, ['alpha', 'one mine two', 'x omega']);
    await a.waitForTimeout(NEW_STEP_MS);

    // B types before A's word, in A's line and above it; A goes on elsewhere (its caret in the last line).
    await caretInside(b, 'one mine two', 0);
    await b.keyboard.insertText('B1 ');
    await caretAtEndOf(b, 'alpha');
    await b.keyboard.insertText(' B2');
    await showsBlocks(a, ['alpha B2', 'B1 one mine two', 'x omega']);
    await caretAtEndOf(a, 'x omega');

    // Undo: A's word goes, B's text stays, and A's caret is where the word was.
    await a.keyboard.press('Control+z');
    await showsBlocks(a, ['alpha B2', 'B1 one two', 'x omega']);
    await caretIs(a, { before: 'B1 one ', after: 'two' });
    assert.deepEqual(await converged(a, b), ['alpha B2', 'B1 one two', 'x omega']);
    // Redo: the word is back, the caret right after it, and typing goes on there.
    await a.keyboard.press('Control+Shift+z');
    await showsBlocks(a, ['alpha B2', 'B1 one mine two', 'x omega']);
    await caretIs(a, { before: 'B1 one mine ', after: 'two' });
    await a.keyboard.insertText('X');
    assert.deepEqual(await converged(a, b), ['alpha B2', 'B1 one mine Xtwo', 'x omega']);
    await a.waitForTimeout(NEW_STEP_MS);

    // A deletes a word; B types before it; A's undo brings the word back where it was, selected as before.
    await caretInside(a, 'x omega', 'x '.length);
    for (let i = 0; i < 'ome'.length; i++) await a.keyboard.press('Shift+ArrowRight');
    await selectionIs(a, 'ome');
    await a.keyboard.press('Backspace');
    await showsBlocks(b, ['alpha B2', 'B1 one mine Xtwo', 'x ga']);
    await a.waitForTimeout(NEW_STEP_MS);
    await caretInside(b, 'x ga', 0);
    await b.keyboard.insertText('B3 ');
    await showsBlocks(a, ['alpha B2', 'B1 one mine Xtwo', 'B3 x ga']);
    await caretAtEndOf(a, 'alpha B2');
    await a.keyboard.press('Control+z');
    await showsBlocks(a, ['alpha B2', 'B1 one mine Xtwo', 'B3 x omega']);
    await selectionIs(a, 'ome');
    await a.keyboard.press('Control+Shift+z');
    await showsBlocks(a, ['alpha B2', 'B1 one mine Xtwo', 'B3 x ga']);
    await caretIs(a, { before: 'B3 x ', after: 'ga' });
    assert.deepEqual(await converged(a, b), ['alpha B2', 'B1 one mine Xtwo', 'B3 x ga']);
    assert.deepEqual(problems, []);
  });
});
