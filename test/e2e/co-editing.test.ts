import assert from 'node:assert/strict';
import { afterEach, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { acrossBlocks, alternatingAtOneSpot, caretKeepsItsPlace, sameParagraphBothWays } from './co-editing';
import { serverFixture, twoDevicesOnOnePage, type DeviceApp } from './devices';
import { appFixture, treeItem } from './helpers';

/** Two windows on one core (browser mode): each keystroke lands where its user put the caret. */
describe('co-editing in two windows on one core', () => {
  const app = appFixture();

  async function twoWindows(title: string): Promise<{ a: Page; b: Page; problems: string[] }> {
    await app.newPage(title);
    const b = await app.page.context().newPage();
    const problems: string[] = [];
    b.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    b.on('pageerror', (error) => problems.push(error.stack ?? error.message));
    await b.goto(app.url);
    await treeItem(b, title).click();
    await b.locator('.ProseMirror').waitFor();
    return { a: app.page, b, problems };
  }

  test('a remote edit before the caret in its paragraph moves the caret with the text, both ways', async () => {
    const { a, b, problems } = await twoWindows('Same paragraph');
    await sameParagraphBothWays(a, b);
    assert.deepEqual(problems, []);
  });

  test('remote Enter, delete and paste above or before the caret keep caret and selection in place', async () => {
    const { a, b, problems } = await twoWindows('Across blocks');
    await acrossBlocks(a, b);
    assert.deepEqual(problems, []);
  });

  test('typing in turn at one spot keeps each user’s text in typing order', async () => {
    const { a, b, problems } = await twoWindows('Alternating');
    await alternatingAtOneSpot(a, b);
    assert.deepEqual(problems, []);
  });

  test('a remote Enter mid-paragraph before the caret, a delete right after it, typing at its spot: the next key lands after the caret’s own text', async () => {
    const { a, b, problems } = await twoWindows('Caret cases');
    await caretKeepsItsPlace(a, b);
    assert.deepEqual(problems, []);
  });
});

/** Two devices of two users through the reference server: the same scenarios over the real sync path. */
describe('co-editing on two devices through the server', () => {
  const fixture = serverFixture();
  let devices: { a: DeviceApp; b: DeviceApp };

  before(async () => {
    devices = await twoDevicesOnOnePage(fixture, 'Co-edited');
  });
  afterEach(() => {
    for (const device of [devices.a, devices.b])
      assert.deepEqual(device.app.problems.splice(0), [], 'no console errors or CSP violations');
  });

  test('a remote edit before the caret in its paragraph moves the caret with the text, both ways', () =>
    sameParagraphBothWays(devices.a.app.page, devices.b.app.page));
  test('remote Enter, delete and paste above or before the caret keep caret and selection in place', () =>
    acrossBlocks(devices.a.app.page, devices.b.app.page));
  test('typing in turn at one spot keeps each user’s text in typing order', () =>
    alternatingAtOneSpot(devices.a.app.page, devices.b.app.page));
});
