import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { serverFixture } from './devices';
import { treeItem, type AppPage } from './helpers';

/**
 * Databases end to end, against the reference server with two app instances (same user, two devices): one
 * builds a database in Chromium — three typed fields, rows typed with the keyboard, a filter and a sort, a
 * board with a card dragged to another column — and the other sees the same rows and views, live.
 */
const fixture = serverFixture();

async function device(token: string) {
  const device = await fixture.device(token);
  const [notebook] = await device.invoke('notebook.list', { accountId: device.accountId });
  await device.app.page.getByRole('button', { name: 'Switch notebook' }).click();
  await device.app.page.getByRole('menuitem', { name: `Switch to ${device.accountName}` }).click();
  return { ...device, notebookId: notebook!.id };
}

const grid = (page: Page) => page.getByRole('grid');

/** The table's rows as "name | status | estimate", top to bottom. */
async function tableRows(page: Page): Promise<string[]> {
  return grid(page)
    .getByRole('row')
    .evaluateAll((rows) =>
      rows.slice(1).map((row) =>
        [...row.querySelectorAll('[role="gridcell"]')]
          .slice(0, 3)
          .map((cell) => cell.querySelector('.cell-text, .chip')?.textContent ?? '')
          .join(' | '),
      ),
    );
}

async function waitRows(page: Page, expected: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await tableRows(page);
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(last, expected);
}

async function addField(page: Page, kind: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add a field' }).click();
  await page.getByRole('menuitem', { name: kind, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`New ${kind.toLowerCase()} field`) });
  await dialog.getByRole('textbox').fill(name);
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await page.getByRole('columnheader', { name }).waitFor();
}

/** A new record typed from the keyboard: its name, then Tab to Status (picked), then its estimate. */
async function addRow(page: Page, name: string, status: string, estimate: string): Promise<void> {
  await page.locator('.table-foot').getByRole('button', { name: 'New record' }).click();
  const nameInput = grid(page).getByRole('textbox', { name: 'Name' });
  await nameInput.waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('combobox', { name: 'Search status' }).waitFor();
  await page.keyboard.type(status);
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type(estimate);
  await page.keyboard.press('Enter');
  await grid(page).getByRole('gridcell', { name }).waitFor();
}

describe('databases', () => {
  it('builds a typed table with filters, sorts and a board that a second device sees live', async () => {
    const token = fixture.server.createToken('ann');
    const a = await device(token);
    const b = await device(token);
    const section = await a.invoke('node.create', {
      accountId: a.accountId,
      notebookId: a.notebookId,
      type: 'section',
      parentId: null,
      name: 'Team',
    });
    const page = a.app.page;
    await treeItem(page, 'Team').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New database inside' }).click();
    await grid(page).or(page.getByText('No records yet.')).first().waitFor();
    // Status (a select) comes with a new database; two more typed fields.
    await page.locator('.table-empty').getByRole('button', { name: 'New record' }).click();
    await grid(page).getByRole('textbox', { name: 'Name' }).waitFor();
    await page.keyboard.type('Alpha');
    await page.keyboard.press('Enter');
    await addField(page, 'Number', 'Estimate');
    await addField(page, 'Date', 'Due');

    // Estimate for Alpha: its row is the first, the estimate its third column.
    await grid(page).getByRole('gridcell', { name: 'Alpha' }).click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await addRow(page, 'Beta', 'Done', '3');
    await addRow(page, 'Gamma', 'Done', '13');
    await addRow(page, 'Delta', 'In progress', '5');
    await waitRows(page, ['Alpha |  | 8', 'Beta | Done | 3', 'Gamma | Done | 13', 'Delta | In progress | 5']);

    // Filter: Status is Done; sort: Estimate descending (typed with the keyboard-free selects).
    await page.getByRole('button', { name: /^Filter/ }).click();
    await page.getByRole('button', { name: 'Add a filter' }).click();
    await page.getByRole('combobox', { name: 'Value for Status' }).selectOption({ label: 'Done' });
    await page.getByRole('button', { name: 'Add a sort' }).click();
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Estimate' });
    await page.getByRole('combobox', { name: 'Direction' }).selectOption('desc');
    await waitRows(page, ['Gamma | Done | 13', 'Beta | Done | 3']);

    // The other device: the same database, view, filter and sort.
    const pageB = b.app.page;
    await treeItem(pageB, 'Team').waitFor();
    await treeItem(pageB, 'New database').click();
    await waitRows(pageB, ['Gamma | Done | 13', 'Beta | Done | 3']);
    await pageB.getByRole('button', { name: '1 filter · 1 sort' }).waitFor();

    // A board, and a card dragged from "In progress" to "Done".
    await page.getByRole('button', { name: 'Add a view' }).click();
    await page.getByRole('menuitem', { name: 'Board' }).click();
    const board = page.getByRole('list', { name: 'Board by Status' });
    await board.waitFor();
    const column = (p: Page, name: RegExp) =>
      p
        .getByRole('list', { name: 'Board by Status' })
        .getByRole('listitem')
        .filter({ has: p.locator('.board-column-head', { hasText: name }) });
    await column(page, /^In progress/)
      .getByRole('button', { name: /Delta/ })
      .dragTo(column(page, /^Done/));
    await column(page, /^Done/).getByRole('button', { name: /Delta/ }).waitFor();

    // B sees the new view live, and the card where A put it.
    await pageB.getByRole('tab', { name: 'Board' }).click();
    await column(pageB, /^Done/).getByRole('button', { name: /Delta/ }).waitFor();
    await pageB.getByRole('tab', { name: 'Table' }).click();
    await waitRows(pageB, ['Gamma | Done | 13', 'Delta | Done | 5', 'Beta | Done | 3']);
    assert.equal(section.name, 'Team');
    for (const x of [a, b]) assert.deepEqual((x.app as AppPage).problems, []);
  });
});
