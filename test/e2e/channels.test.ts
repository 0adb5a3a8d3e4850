import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { call } from '../support/core';
import {
  FaultProxy,
  findNode,
  openDevice,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
  waitUpToDate,
} from '../support/sync';
import { openNotebook, ownNotebook, signInApp, switchToAccount } from './devices';
import { appFixture, settlesTo, treeItem } from './helpers';

/** E2E_SHOTS=<dir>: screenshots of the channel (light and dark, empty and full, a long name). */
const SHOTS = process.env.E2E_SHOTS;

const body = (text: string) => ({
  type: 'doc' as const,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

const log = (page: Page) => page.getByRole('log');
const messageTexts = (page: Page): Promise<string[]> =>
  log(page)
    .locator('article.message')
    .evaluateAll((items) =>
      items.map(
        (item) =>
          `${item.querySelector('.message-author')?.textContent ?? ''}: ${item.querySelector('.message-content')?.textContent ?? ''}`,
      ),
    );

async function shoot(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png` });
    // Nothing in the channel scrolls sideways, whatever the names (long ones end in an ellipsis).
    const overflowing: string[] = [];
    for (const selector of [
      '.channel-view',
      '.page-header',
      '.channel-head',
      '.channel-log',
      '.channel-composer',
    ]) {
      const { scroll, client } = await page
        .locator(selector)
        .first()
        .evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
      if (scroll > client) overflowing.push(`${selector}: ${scroll} > ${client}`);
    }
    assert.deepEqual(overflowing, [], `${name} ${theme}: nothing overflows`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * Two people chat in a channel (Chromium, browser mode): Ann in the app, Bob an in-process device on the
 * reference server behind a proxy that takes him offline for a while.
 */
describe('channels (browser mode)', () => {
  const app = appFixture();

  it('two people chat: live messages, rich text, offline sends in order, edit and delete from the keyboard', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const longName = `release-coordination-${'and-planning-'.repeat(16)}`.slice(0, 200);
    const { account, notebookId, node } = await signInApp(app.url, server.url, annToken, [
      { type: 'section', name: 'Team', parent: null },
      { type: 'channel', name: longName, parent: 0 },
      { type: 'channel', name: 'random', parent: 0 },
    ]);
    const [channel, random] = [node(longName), node('random')];
    await shareNotebook(server.url, annToken, notebookId, 'bob');

    const proxy = await FaultProxy.start(server.url);
    const bob = await signIn(await openDevice(701), proxy.url, server.createToken('bob'), notebookId);
    await waitFor('the channel on Bob’s device', () =>
      findNode(bob.core, bob.accountId, bob.notebookId, channel.id),
    );

    const { page } = app;
    await switchToAccount(page, account.name);
    await treeItem(page, longName).click();
    await page.getByText('No messages yet').waitFor();
    await shoot(page, 'channel-empty');

    // Ann writes Markdown: it arrives as rich text, on Bob's device too.
    const composer = page.getByRole('textbox', { name: `Message #${longName}` });
    await composer.fill('Hello **team**, the build is `green`');
    await composer.press('Enter');
    await log(page).locator('.message-content strong', { hasText: 'team' }).waitFor();
    await settlesTo(() => composer.inputValue(), '', 'the composer is cleared once sent');
    await waitFor('Ann’s message on Bob', async () => {
      const { messages } = await call(bob.core, 'channel.messages', {
        accountId: bob.accountId,
        channelId: channel.id,
      });
      return messages.length === 1 && messages[0]!.authorName === 'ann';
    });

    // Bob answers: it appears live; then he goes offline and writes two more, sent in order on reconnect.
    await call(bob.core, 'message.send', { ...bobIn(bob, channel.id), body: body('Hi Ann') });
    await log(page).getByText('Hi Ann').waitFor();
    proxy.cut();
    await call(bob.core, 'message.send', { ...bobIn(bob, channel.id), body: body('On the train, offline') });
    await call(bob.core, 'message.send', { ...bobIn(bob, channel.id), body: body('Back in ten') });
    await page.waitForTimeout(500);
    assert.equal(await log(page).getByText('Back in ten').count(), 0, 'not there while Bob is offline');
    proxy.restore();
    await call(bob.core, 'sync.now', { accountId: bob.accountId });
    await log(page).getByText('Back in ten').waitFor();
    await settlesTo(
      () => messageTexts(page),
      [
        'You: Hello team, the build is green',
        'bob: Hi Ann',
        'bob: On the train, offline',
        'bob: Back in ten',
      ],
      'Bob’s offline messages in order on Ann',
    );

    // ↑ in the empty composer edits Ann's last message; Enter saves it, marked as edited on both sides.
    await composer.focus();
    await composer.press('ArrowUp');
    const editor = page.getByRole('textbox', { name: 'Edit message' });
    assert.equal(await editor.inputValue(), 'Hello **team**, the build is `green`');
    await editor.fill('Hello **everyone**');
    await editor.press('Enter');
    await log(page).locator('.message-content strong', { hasText: 'everyone' }).waitFor();
    await log(page).getByText('(edited)').waitFor();
    await waitFor('the edit on Bob', async () => {
      const { messages } = await call(bob.core, 'channel.messages', {
        accountId: bob.accountId,
        channelId: channel.id,
      });
      return messages[0]!.editedAt !== null;
    });

    // Ann (the notebook's owner, so the channel's admin) may delete Bob's message: gone on his device too.
    const bobsLast = log(page)
      .getByRole('article', { name: /^bob, / })
      .last();
    await bobsLast.hover();
    await bobsLast.getByRole('button', { name: /^Delete bob/ }).click();
    await waitFor('the deletion on Bob', async () => {
      const { messages } = await call(bob.core, 'channel.messages', {
        accountId: bob.accountId,
        channelId: channel.id,
      });
      return messages.length === 3;
    });
    // Bob's core has the deletion once Ann's core sent it; Ann's log re-renders on its own event, maybe later.
    await settlesTo(() => log(page).getByText('Back in ten').count(), 0, 'the deleted message gone on Ann');
    await waitUpToDate(bob.core, bob.accountId);
    await shoot(page, 'channel');

    // Bob writes in another channel: its unread count shows in Ann's sidebar, live; opening it reads it,
    // with the "New messages" line above what she had not read.
    await call(bob.core, 'message.send', { ...bobIn(bob, random.id), body: body('Lunch?') });
    await call(bob.core, 'message.send', { ...bobIn(bob, random.id), body: body('Pizza place at 12') });
    await treeItem(page, 'random').locator('.unread-count', { hasText: '2' }).waitFor();
    assert.match(
      (await treeItem(page, 'random').getAttribute('aria-description')) ?? '',
      /2 unread messages/,
    );
    await treeItem(page, 'random').click();
    await log(page).getByText('Pizza place at 12').waitFor();
    const line = page.getByRole('separator', { name: 'New messages' });
    await line.waitFor();
    assert.equal(
      await line.evaluate((el) => el.nextElementSibling?.querySelector('.message-content')?.textContent),
      'Lunch?',
      'the line is above the first unread message',
    );
    await treeItem(page, 'random').locator('.unread-count').waitFor({ state: 'detached' });
    await treeItem(page, longName).click();
    await log(page).getByText('Hi Ann').waitFor();
    await page.waitForTimeout(400);
    assert.equal(
      await treeItem(page, 'random').locator('.unread-count').count(),
      0,
      'still read after leaving',
    );
  });

  it('a reader of a channel is offered no composer, edit or delete, and reacts from the keyboard', async () => {
    const server = await startTestServer();
    const bobToken = server.createToken('bob');
    const annToken = server.createToken('ann');
    const { notebookId } = await ownNotebook(server.url, bobToken, 'Bob’s team');
    const annId = await shareNotebook(server.url, bobToken, notebookId, 'ann', 'guest');
    const bob = await signIn(await openDevice(702), server.url, bobToken, notebookId);
    const seed = { accountId: bob.accountId, notebookId };
    const section = await call(bob.core, 'node.create', {
      ...seed,
      type: 'section',
      parentId: null,
      name: 'Announcements',
    });
    const news = await call(bob.core, 'node.create', {
      ...seed,
      type: 'channel',
      parentId: section.id,
      name: 'news',
    });
    await call(bob.core, 'message.send', { ...bobIn(bob, news.id), body: body('Release on Friday') });
    // Bob's device learns that Ann is a member from the server's users stream: then she can be a viewer.
    await waitFor('Ann made a viewer of the section', async () => {
      const granted = await bob.core.router.dispatch(
        'sharing.setRole',
        { accountId: bob.accountId, nodeId: section.id, userId: annId, role: 'viewer' },
        { senderId: 'test' },
      );
      return granted.ok;
    });
    await waitUpToDate(bob.core, bob.accountId);

    const { account } = await signInApp(app.url, server.url, annToken);
    const { page } = app;
    await openNotebook(page, account.name, 'Bob’s team');
    await treeItem(page, 'news').click();
    const message = log(page).getByRole('article', { name: /^bob, / });
    await message.getByText('Release on Friday').waitFor();
    await page
      .getByRole('note')
      .filter({ hasText: 'You can read this channel but not post in it.' })
      .waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Message #news' }).count(), 0, 'no composer');
    await message.hover();
    assert.equal(
      await message.getByRole('button', { name: /^(Edit|Delete) / }).count(),
      0,
      'neither edit nor delete is offered',
    );

    // The reaction picker from the keyboard: Enter opens it, → moves, Enter picks, the focus comes back.
    const picker = message.getByRole('button', { name: /^Add reaction to bob, / });
    await picker.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Add reaction' });
    await menu.getByRole('menuitem', { name: '👍' }).and(page.locator(':focus')).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    await message.getByRole('button', { name: '❤️ 1' }).waitFor();
    assert.match(
      (await page.evaluate("document.activeElement?.getAttribute('aria-label') ?? ''")) as string,
      /^Add reaction to bob, /,
      'the focus is back on the picker',
    );
    await waitFor('Ann’s reaction on Bob’s device', async () => {
      const { messages } = await call(bob.core, 'channel.messages', {
        accountId: bob.accountId,
        channelId: news.id,
      });
      return messages[0]?.reactions.some((r) => r.reaction === '❤️' && r.count === 1) ?? false;
    });
    // Picked again, it is taken back.
    await picker.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await message.getByRole('button', { name: '❤️ 1' }).waitFor({ state: 'detached' });
  });
});

const bobIn = (bob: { accountId: string }, channelId: string) => ({ accountId: bob.accountId, channelId });
