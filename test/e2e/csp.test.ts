import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/csp';
import {
  launchBrowser,
  makeDataDir,
  newPageNamed,
  startCore,
  treeItem,
  waitForWorkspace,
  waitUntil,
  type Core,
} from './helpers';

/**
 * The strict CSP in the real renderer (Chromium, browser mode): it is sent and present, it blocks injected
 * inline script, 50 XSS payloads pasted into the editor and the capture view run nothing, and an ordinary
 * session (pages, typing, slash menu, palette, quick note, theme, trash) triggers no CSP violation at all.
 */

/** Every way we know to smuggle script through HTML, attributes, URLs and SVG. Each one, if it ran, sets `__xss`. */
const PAYLOADS: readonly string[] = (() => {
  const run = (n: number) => `window.__xss=(window.__xss||[]).concat(${n})`;
  const list: ((n: number) => string)[] = [
    (n) => `<script>${run(n)}</script>`,
    (n) => `<img src=x onerror="${run(n)}">`,
    (n) => `<img src="x" onerror=${run(n)}//>`,
    (n) => `<svg onload="${run(n)}"></svg>`,
    (n) => `<svg><script>${run(n)}</script></svg>`,
    (n) => `<svg><animate onbegin="${run(n)}" attributeName=x dur=1s>`,
    (n) => `<body onload="${run(n)}">`,
    (n) => `<iframe srcdoc="<script>parent.${run(n)}</script>"></iframe>`,
    (n) => `<iframe src="javascript:parent.${run(n)}"></iframe>`,
    (n) => `<a href="javascript:${run(n)}">click</a>`,
    (n) => `<a href="JaVaScRiPt:${run(n)}">mixed case</a>`,
    (n) => `<a href="&#106;avascript:${run(n)}">entity</a>`,
    (n) => `<a href=" javascript:${run(n)}">leading space</a>`,
    (n) => `<a href="data:text/html,<script>${run(n)}</script>">data</a>`,
    (n) => `<a href="vbscript:msgbox(${n})">vb</a>`,
    (n) => `<div onmouseover="${run(n)}">hover</div>`,
    (n) => `<p onclick="${run(n)}">click me</p>`,
    (n) => `<input autofocus onfocus="${run(n)}">`,
    (n) => `<details open ontoggle="${run(n)}">x</details>`,
    (n) => `<video><source onerror="${run(n)}"></video>`,
    (n) => `<audio src=x onerror="${run(n)}">`,
    (n) => `<object data="javascript:${run(n)}"></object>`,
    (n) => `<embed src="javascript:${run(n)}">`,
    (n) => `<form action="javascript:${run(n)}"><button>go</button></form>`,
    (n) => `<math><mtext><table><mglyph><style><img src=x onerror="${run(n)}">`,
    (n) => `<noscript><p title="</noscript><img src=x onerror=${run(n)}>">`,
    (n) => `<style>@import 'javascript:${run(n)}';</style>`,
    (n) => `<div style="background:url(javascript:${run(n)})">bg</div>`,
    (n) => `<link rel=stylesheet href="javascript:${run(n)}">`,
    (n) => `<meta http-equiv="refresh" content="0;url=javascript:${run(n)}">`,
    (n) => `<base href="javascript:${run(n)}//">`,
    (n) => `<img src=x:alert(1) onerror=eval(src) data-n=${n}>`,
    (n) => `<img srcset="x" onerror="${run(n)}">`,
    (n) => `<marquee onstart="${run(n)}">m</marquee>`,
    (n) => `<table background="javascript:${run(n)}"><tr><td>t</td></tr></table>`,
    (n) => `<img src="x" onerror="&#x77;indow.__xss=[${n}]">`,
    (n) => `"><script>${run(n)}</script>`,
    (n) => `'><img src=x onerror=${run(n)}>`,
    (n) => `<scr<script>ipt>${run(n)}</scr</script>ipt>`,
    (n) => `<template><img src=x onerror="${run(n)}"></template>`,
    (n) => `<select onfocus="${run(n)}" autofocus>`,
    (n) => `<textarea onfocus="${run(n)}" autofocus>`,
    (n) => `<keygen onfocus="${run(n)}" autofocus>`,
    (n) => `<isindex type=image src=1 onerror=${run(n)}>`,
    (n) => `<a href="https://example.com" onclick="${run(n)}">safe link, bad handler</a>`,
    (n) => `<span data-type="mention" onmouseenter="${run(n)}">@x</span>`,
    (n) => `<pre><code onclick="${run(n)}">code</code></pre>`,
    (n) => `<ul><li onclick="${run(n)}">item</li></ul>`,
    (n) => `<img src="data:image/svg+xml,<svg onload='parent.${run(n)}'/>">`,
    (n) => `<h1 onanimationstart="${run(n)}">heading</h1>`,
  ];
  return list.map((make, i) => make(i + 1));
})();

/** Listens for CSP violations, dialogs and the payloads' marker before any page script runs. */
async function watch(page: Page): Promise<{ dialogs: string[] }> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(`
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
  `);
  return { dialogs };
}

const violations = (page: Page): Promise<string[]> =>
  page.evaluate('window.__violations') as Promise<string[]>;
const xss = (page: Page): Promise<unknown> => page.evaluate('window.__xss');

// Page-side code is given as strings: the test project's typecheck has no DOM lib.
async function paste(page: Page, selector: string, html: string): Promise<void> {
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/html', ${JSON.stringify(html)});
    data.setData('text/plain', ${JSON.stringify(html)});
    document.querySelector(${JSON.stringify(selector)}).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
}

/** Nothing in the editor may carry an event handler or a script-ish URL after the pastes. */
async function assertInert(page: Page, scope: string): Promise<void> {
  const found = await page.locator(scope).evaluate((root) => {
    const bad: string[] = [];
    for (const element of root.querySelectorAll('*')) {
      if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'BASE', 'META', 'LINK', 'STYLE'].includes(element.tagName))
        bad.push(element.tagName);
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name)) bad.push(`${element.tagName}[${attribute.name}]`);
        if (
          /^\s*(javascript|vbscript|data):/i.test(attribute.value) &&
          /href|src|action/i.test(attribute.name)
        )
          bad.push(`${element.tagName}[${attribute.name}=${attribute.value.slice(0, 30)}]`);
      }
    }
    return bad;
  });
  assert.deepEqual(found, [], `${scope} holds nothing executable`);
}

describe('content security policy and XSS (browser mode)', () => {
  let browser: Browser;
  let core: Core;
  let data: ReturnType<typeof makeDataDir>;
  before(async () => {
    browser = await launchBrowser();
    data = makeDataDir();
    core = await startCore(data.dir);
  });
  after(async () => {
    await browser.close();
    await core.stop();
    data.remove();
  });

  async function open(url = core.url): Promise<{ page: Page; dialogs: string[] }> {
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const { dialogs } = await watch(page);
    const response = await page.goto(url);
    assert.equal(
      response?.headers()['content-security-policy'],
      CONTENT_SECURITY_POLICY,
      'CSP header is sent',
    );
    return { page, dialogs };
  }

  test('the CSP is sent as a header and a meta tag, and blocks injected inline script and style', async () => {
    const { page } = await open();
    await waitForWorkspace(page);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(meta ?? '', /script-src 'self'/);
    assert.doesNotMatch(meta ?? '', /unsafe-inline|unsafe-eval/);
    await page.evaluate(`(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__xss = ["inline"]';
      document.head.append(script);
      const style = document.createElement('style');
      style.textContent = 'body { display: none }';
      document.head.append(style);
    })()`);
    await waitUntil(page, 'window.__violations.length >= 2');
    assert.equal(await xss(page), undefined, 'the inline script did not run');
    const seen = await violations(page);
    assert.ok(
      seen.some((v) => v.startsWith('script-src')),
      seen.join('; '),
    );
    assert.ok(
      seen.some((v) => v.startsWith('style-src')),
      seen.join('; '),
    );
    assert.ok(await page.locator('body').isVisible(), 'the injected style did not apply');
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
    await page.context().close();
  });

  test(`${PAYLOADS.length} XSS payloads pasted into the editor and the capture view run nothing`, async () => {
    assert.equal(PAYLOADS.length, 50);
    const { page, dialogs } = await open();
    await waitForWorkspace(page);
    await newPageNamed(page, '<img src=x onerror="window.__xss=[0]">');
    for (const payload of PAYLOADS) await paste(page, '.ProseMirror', payload);
    await page.locator('.save-state.saved').waitFor();

    const { origin, hash } = new URL(core.url);
    const capture = await page.context().newPage();
    const captureWatch = await watch(capture);
    await capture.goto(`${origin}/?view=capture${hash}`);
    await capture.getByRole('textbox', { name: 'Title' }).fill('<svg onload="window.__xss=[0]">');
    await capture.getByRole('textbox', { name: 'Title' }).press('Enter');
    for (const payload of PAYLOADS) await paste(capture, '.ProseMirror', payload);
    // The pastes did land (as inert text/marks): the test would be empty otherwise.
    await capture.locator('.ProseMirror', { hasText: 'safe link, bad handler' }).waitFor();
    await page.locator('.ProseMirror', { hasText: 'hover' }).waitFor();
    await assertInert(capture, '.ProseMirror');
    await capture.keyboard.press('Control+Enter');
    await capture.getByRole('status').filter({ hasText: 'Saved to Inbox' }).waitFor();

    // What was saved renders in the main window too: open the Inbox that holds the pasted payloads.
    await treeItem(page, 'Inbox').click();
    await page.getByRole('article', { name: 'Inbox' }).waitFor();
    await page.locator('.ProseMirror p').first().waitFor();
    await page.waitForTimeout(300); // give any onerror/onload a chance to fire
    await assertInert(page, '.ProseMirror');
    assert.equal(await xss(page), undefined, 'no payload ran in the main window');
    assert.equal(await xss(capture), undefined, 'no payload ran in the capture view');
    assert.deepEqual([...dialogs, ...captureWatch.dialogs], [], 'no dialog opened');
    assert.ok(
      (await page.locator('.ProseMirror').innerText()).length > 0,
      'the text of the payloads was kept',
    );
    await page.context().close();
  });

  test('an ordinary session causes no CSP violation', async () => {
    const { page } = await open();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await waitForWorkspace(page);
    await newPageNamed(page, 'Smoke');
    await page.keyboard.type('# Heading');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Some **bold** text and a link https://example.com ');
    await page.keyboard.press('Enter');
    await page.keyboard.type('/table');
    await page.keyboard.press('Enter');
    await page.locator('.save-state.saved').waitFor();
    await page.keyboard.press('Control+k');
    const search = page.getByRole('combobox', { name: 'Search commands and pages' });
    await search.fill('dark');
    await search.press('Enter');
    await page.locator('html[data-theme="dark"]').waitFor();
    await page.keyboard.press('Control+Alt+q');
    const dialog = page.getByRole('dialog', { name: 'Quick note' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('From the smoke run');
    await dialog.getByRole('textbox', { name: 'Title' }).press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Control+/');
    await page
      .getByRole('dialog', { name: 'Keyboard shortcuts' })
      .getByRole('button', { name: 'Done' })
      .click();
    await treeItem(page, 'Smoke').click({ button: 'right' });
    await page
      .getByRole('menuitem', { name: /Move to trash|Trash/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Trash' }).click();
    await page.getByText('Smoke').first().waitFor();
    assert.deepEqual(await violations(page), [], 'no CSP violation');
    assert.deepEqual(errors, [], 'no console error');
    await page.context().close();
  });
});
