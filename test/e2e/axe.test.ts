import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { appFixture, newPageNamed, treeItem, waitSaved } from './helpers';

/**
 * axe-core over every main view and dialog, light and dark, in Chromium against the real core (issue 15).
 * A serious or critical violation fails the test, named with its view, rule and elements; moderate and minor
 * ones are printed (the list for the issue's closing note).
 */
const FAILING = new Set(['serious', 'critical']);

interface Finding {
  view: string;
  rule: string;
  impact: string;
  targets: string[];
}

async function audit(
  page: Page,
  view: string,
  found: Finding[],
  disable: readonly string[] = [],
): Promise<void> {
  // Legacy mode runs axe.run in the page itself. The default (runPartial per frame, then finishRun) opens a
  // blank page in the context and injects axe-core there too on every call: about half of this file's time,
  // for frames the app does not have (no iframes anywhere in the renderer).
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .disableRules([...disable])
    .analyze();
  for (const v of results.violations)
    found.push({
      view,
      rule: `${v.id}: ${v.help}`,
      impact: v.impact ?? 'unknown',
      targets: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')}${process.env.AXE_DETAIL ? ` ${n.failureSummary ?? ''}` : ''}`),
    });
}

describe('axe: no serious or critical accessibility violations (browser mode)', () => {
  // A fresh core and window per theme; console errors and CSP violations fail the test (the fixture).
  const app = appFixture();

  for (const theme of ['light', 'dark'] as const)
    test(`every view and dialog, ${theme}`, async () => {
      const { page } = app;
      await page.emulateMedia({ colorScheme: theme });
      await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
      const found: Finding[] = [];
      const name = `Axe ${theme}`;
      await newPageNamed(page, name);
      await page.keyboard.type('Some text with a ');
      await page.keyboard.press('Control+b');
      await page.keyboard.type('bold word');
      await page.keyboard.press('Control+b');
      await waitSaved(page);
      await audit(page, 'page', found);

      await page.keyboard.press('Control+f');
      await page.getByRole('searchbox', { name: 'Find in page' }).fill('text');
      await audit(page, 'find bar', found);
      await page.keyboard.press('Escape');

      await page.keyboard.type(' /');
      await page.getByRole('listbox', { name: 'Insert block' }).waitFor();
      // The slash menu's list scrolls without taking the focus: the focus stays in the editor, whose arrows
      // move aria-activedescendant through it and scroll the chosen option into view (a pattern the rule
      // cannot see), so scrollable-region-focusable is off for this view only.
      await audit(page, 'slash menu', found, ['scrollable-region-focusable']);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');

      await page.keyboard.press('Shift+F10');
      await page.getByRole('menu', { name: 'Edit' }).waitFor();
      await audit(page, 'editor context menu', found);
      await page.keyboard.press('Escape');

      await treeItem(page, name).click({ button: 'right' });
      await page.getByRole('menu', { name: `Actions for ${name}` }).waitFor();
      await audit(page, 'tree menu', found);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Page actions' }).click();
      await page.getByRole('menu', { name: 'Page actions' }).waitFor();
      await audit(page, 'page menu', found);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Switch notebook' }).click();
      await page.getByRole('menu', { name: 'Notebooks' }).waitFor();
      await audit(page, 'notebook menu', found);
      await page.keyboard.press('Escape');

      await page.keyboard.press('Control+k');
      const palette = page.getByRole('dialog', { name: 'Command palette' });
      await palette.waitFor();
      await audit(page, 'palette', found);
      await palette.getByRole('combobox').fill('zzzz-nothing');
      await audit(page, 'palette, no match', found);
      await page.keyboard.press('Escape');

      await page.keyboard.press('Control+Shift+F');
      await page.getByRole('combobox', { name: 'Search every account' }).fill('bold');
      await page.getByRole('listbox', { name: 'Results' }).getByRole('option').first().waitFor();
      await audit(page, 'search', found);

      await page.getByRole('button', { name: 'Trash' }).click();
      await page.getByRole('region', { name: 'Trash' }).waitFor();
      await audit(page, 'trash', found);

      await treeItem(page, name).click();
      await page.locator('.ProseMirror').waitFor();
      await page.keyboard.press('Control+Alt+h');
      await page.getByRole('dialog').first().waitFor();
      await audit(page, 'history', found);
      await page.keyboard.press('Escape');

      await page.keyboard.press('Control+/');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await audit(page, 'shortcuts help', found);
      await page.keyboard.press('Escape');

      for (const [command, view] of [
        ['Accounts', 'accounts dialog'],
        ['Show sync status', 'sync panel'],
        ['Quick note', 'quick note'],
      ] as const) {
        await page.keyboard.press('Control+k');
        await palette.getByRole('combobox').fill(command);
        await page.keyboard.press('Enter');
        await page.locator('dialog[open]').waitFor();
        await audit(page, view, found);
        await page.keyboard.press('Escape');
        await page.locator('dialog[open]').waitFor({ state: 'detached' });
      }

      const report = (f: Finding): string => `${f.view} · ${f.impact} · ${f.rule} · ${f.targets.join(' | ')}`;
      const others = found.filter((f) => !FAILING.has(f.impact));
      if (others.length > 0) console.log(`axe, ${theme}, not failing:\n${others.map(report).join('\n')}`);
      assert.deepEqual(found.filter((f) => FAILING.has(f.impact)).map(report), []);
    });
});
