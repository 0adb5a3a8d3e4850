import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FaultProxy } from '../support/sync';
import { serverFixture, twoDevicesOnOnePage } from './devices';
import { RECONNECT_NOISE, editorJSON, settlesTo, waitSaved } from './helpers';

/**
 * Issue 12: restore an older version while a second device edits the page. Ann (A, through a FaultProxy so
 * her network can be cut) restores while offline; Bob (B) edits a paragraph the version also has meanwhile.
 * Both end with the version plus Bob's edit, and Ann's one undo brings back what the restore removed, on both.
 */
const fixture = serverFixture();

const body = (page: Page) => page.locator('.ProseMirror[aria-label="Page content"]');
const history = (page: Page) => page.getByRole('dialog', { name: /Version history/ });

/** The page's paragraphs as text, empty ones left out. */
async function lines(page: Page): Promise<string[]> {
  const doc = (await editorJSON(page)) as { content: { content?: { text?: string }[] }[] };
  return doc.content.map((block) => (block.content ?? []).map((t) => t.text ?? '').join('')).filter(Boolean);
}

describe('version history on two devices', () => {
  it('a restore made offline merges with the other device’s concurrent edit, and one undo reverts it everywhere', async () => {
    const proxy = await FaultProxy.start(fixture.server.url);
    fixture.onCleanup(() => proxy.close());
    const { a, b } = await twoDevicesOnOnePage(fixture, 'Trip plan', { aServerUrl: proxy.url });
    const pageA = a.app.page;
    const pageB = b.app.page;

    await body(pageA).click();
    await pageA.keyboard.type('Alpha');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('Beta');
    await waitSaved(pageA);
    await settlesTo(() => lines(pageB), ['Alpha', 'Beta'], 'B has the first lines');

    // The version: saved by Ann while online.
    await pageA.keyboard.press('ControlOrMeta+Alt+h');
    await history(pageA).getByRole('button', { name: 'Save version now…' }).click();
    const nameField = pageA
      .getByRole('dialog', { name: 'Save version now' })
      .getByRole('textbox', { name: 'Name' });
    await nameField.fill('Two lines');
    await nameField.press('Enter');
    await history(pageA)
      .getByRole('option', { name: /Two lines/ })
      .waitFor();
    await pageA.keyboard.press('Escape');
    await history(pageA).waitFor({ state: 'detached' });

    // Ann adds a line after the version; Bob sees it.
    await body(pageA).getByText('Beta').click();
    await pageA.keyboard.press('End');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('Gamma by Ann');
    await waitSaved(pageA);
    await settlesTo(() => lines(pageB), ['Alpha', 'Beta', 'Gamma by Ann'], 'B has Ann’s third line');

    // Ann goes offline; Bob edits the first line, which the version also has.
    proxy.cut();
    await body(pageB).getByText('Alpha').click();
    await pageB.keyboard.press('End');
    await pageB.keyboard.type(' and Bob');
    await waitSaved(pageB);
    await settlesTo(() => lines(pageB), ['Alpha and Bob', 'Beta', 'Gamma by Ann'], 'Bob’s edit on B');

    // Ann restores the version without having seen Bob's edit.
    await pageA.keyboard.press('ControlOrMeta+Alt+h');
    await history(pageA)
      .getByRole('option', { name: /Two lines/ })
      .click();
    await history(pageA).getByRole('button', { name: 'Restore…' }).click();
    await pageA
      .getByRole('dialog', { name: 'Restore this version?' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await history(pageA).waitFor({ state: 'detached' });
    await settlesTo(() => lines(pageA), ['Alpha', 'Beta'], 'A restored offline');
    await waitSaved(pageA);

    // Back online: both devices hold the version plus Bob's concurrent edit.
    proxy.restore();
    await a.invoke('sync.now', { accountId: a.accountId });
    for (const [page, who] of [
      [pageA, 'A'],
      [pageB, 'B'],
    ] as const)
      await settlesTo(
        () => lines(page),
        ['Alpha and Bob', 'Beta'],
        `${who} after the restore met Bob’s edit`,
        30_000,
      );

    // One undo on Ann's device reverts the restore (and only it): Gamma is back, Bob's edit stays, on both.
    await body(pageA).getByText('Beta').click();
    await pageA.keyboard.press('ControlOrMeta+z');
    for (const [page, who] of [
      [pageA, 'A'],
      [pageB, 'B'],
    ] as const)
      await settlesTo(
        () => lines(page),
        ['Alpha and Bob', 'Beta', 'Gamma by Ann'],
        `${who} after Ann's undo of the restore`,
        30_000,
      );
    // Ann's app retried the server while her network was cut: that noise is expected, nothing else.
    for (const device of [a, b])
      assert.deepEqual(
        device.app.problems.splice(0).filter((problem) => !RECONNECT_NOISE.test(problem)),
        [],
        'no console errors',
      );
  });
});
