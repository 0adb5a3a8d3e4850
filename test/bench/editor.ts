import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as Y from 'yjs';
import { normalizeDocument, writeDocument } from '../../src/shared/crdt/document';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  connectCore,
  makeDataDir,
  openApp,
  startCore,
  treeItem,
} from '../e2e/helpers';
import { ratio, summarize } from './stats';

const accountId = 'local';
const BIG_PAGE_PARAGRAPHS = 10_000;
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);

/** A page named `name` whose document holds `paragraphs` ordinary paragraphs, made through the core's API. */
export async function seedPage(url: string, name: string, paragraphs: number): Promise<void> {
  const core = await connectCore(url);
  try {
    const [notebook] = await core.invoke('notebook.list', { accountId });
    const section = (await core.invoke('node.tree', { accountId, notebookId: notebook!.id })).find(
      (node) => node.type === 'section',
    );
    const page = await core.invoke('node.create', {
      accountId,
      notebookId: notebook!.id,
      type: 'page',
      parentId: section!.id,
      name,
    });
    const opened = await core.invoke('document.open', { accountId, documentId: page.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state);
    const content = Array.from({ length: paragraphs }, (_, i) => ({
      type: 'paragraph',
      text: `Paragraph ${i}: a line of ordinary note text, about a hundred bytes long, to make a big page.`,
    }));
    const update = writeDocument(doc, normalizeDocument({ type: 'doc', content }));
    await core.invoke('document.update', { accountId, documentId: page.id, update });
    await core.invoke('document.close', { accountId, documentId: page.id });
  } finally {
    core.close();
  }
}

/** Opens the page from the tree and waits until its editor holds all `paragraphs` blocks. */
export async function openPage(page: Page, name: string, paragraphs: number): Promise<void> {
  await treeItem(page, name).click();
  await page.getByRole('article', { name }).waitFor();
  await page.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('.ProseMirror > p').length >= n,
    paragraphs,
    { timeout: 120_000 },
  );
}

/**
 * Installs a keydown listener that, for each key, times from the event to the frame after it: a rAF callback
 * runs before the frame's style, layout and paint, and a message posted from it runs once that frame is done.
 */
async function installFrameTimer(page: Page): Promise<void> {
  // Page-side code as a string: the test typecheck has no DOM lib.
  await page.evaluate(`(() => {
    window.__frames = [];
    if (window.__frameTimer) return;
    window.__frameTimer = true;
    const channel = new MessageChannel();
    let pending = [];
    channel.port1.onmessage = () => {
      const now = performance.now();
      for (const start of pending) window.__frames.push(now - start);
      pending = [];
    };
    document.addEventListener('keydown', (event) => {
      const start = event.timeStamp;
      requestAnimationFrame(() => {
        pending.push(start);
        channel.port2.postMessage(null);
      });
    }, { capture: true });
  })()`);
}

/** Keypress-to-frame times, and the renderer main thread's busy time per key (CDP Performance metrics). */
export interface Typed {
  frames: number[];
  /** ms of main-thread tasks per key: less sensitive to a loaded machine's scheduling than the frame time. */
  taskMsPerKey: number;
  /** ms of JavaScript per key (the app's share; the browser's editing, style, layout and paint are the rest). */
  scriptMsPerKey: number;
}

/** Types `count` characters at the end of the open page, one frame each, and returns keypress-to-frame times. */
export async function typeAtEnd(page: Page, count: number): Promise<Typed> {
  await page.locator('.ProseMirror').evaluate((element) => {
    const editor = (element as unknown as { editor: { commands: { focus(where: string): void } } }).editor;
    editor.commands.focus('end');
  });
  await installFrameTimer(page);
  return pressKeys(page, count);
}

async function pressKeys(page: Page, count: number): Promise<Typed> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async (): Promise<Record<string, number>> => {
    const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    return Object.fromEntries(list.map((m) => [m.name, m.value]));
  };
  const before = await metrics();
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(i % 10 === 9 ? 'Space' : 'x');
    // A function, not the string '() => …': Playwright evaluates a string as an expression, and a function
    // value is truthy at once, so keys went out without waiting for their frame (and queued behind each other).
    await page.waitForFunction(
      (n) => (globalThis as unknown as { __frames: number[] }).__frames.length >= n,
      i + 1,
      { polling: 'raf' },
    );
    await page.waitForTimeout(20);
  }
  const after = await metrics();
  await cdp.detach();
  const perKey = (name: string): number =>
    Math.round((((after[name] ?? 0) - (before[name] ?? 0)) * 1000 * 10) / count) / 10;
  return {
    frames: (await page.evaluate('window.__frames')) as number[],
    taskMsPerKey: perKey('TaskDuration'),
    scriptMsPerKey: perKey('ScriptDuration'),
  };
}

/** The frame times' percentiles with the per-key busy times beside them. */
function figures(typed: Typed) {
  return {
    ...summarize(typed.frames),
    taskMsPerKey: typed.taskMsPerKey,
    scriptMsPerKey: typed.scriptMsPerKey,
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions with the most self time in a CDP CPU profile (for the profile notes, not the figures). */
function topSelfTime(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `${ms.toFixed(1)} ms  ${name}`);
}

/** `BENCH_EDITOR_PROFILE=<dir>`: a CPU profile of typing on the big page (profiling slows the figures down). */
async function profileTyping(page: Page, dir: string, label: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await typeAtEnd(page, 40);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
  await cdp.detach();
  return topSelfTime(profile);
}

/**
 * The floor this Chromium sets: the same keystrokes in a bare contenteditable holding the same 10,000
 * paragraphs as plain <p> elements (no editor, no app), so the figure shows what the browser's own editing,
 * layout and paint cost at this size on this machine.
 */
async function bareContentEditable(browser: Browser, paragraphs: number): Promise<Typed> {
  const page = await browser.newPage();
  try {
    const text = (i: number) =>
      `Paragraph ${i}: a line of ordinary note text, about a hundred bytes long, to make a big page.`;
    await page.setContent(
      `<div class="ProseMirror" contenteditable="true" style="max-width: 720px">${Array.from(
        { length: paragraphs },
        (_, i) => `<p>${text(i)}</p>`,
      ).join('')}</div>`,
    );
    await page.evaluate(`(() => {
      const element = document.querySelector('.ProseMirror');
      element.focus();
      const range = document.createRange();
      range.selectNodeContents(element.lastElementChild);
      range.collapse(false);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    })()`);
    await installFrameTimer(page);
    return await pressKeys(page, KEYSTROKES);
  } finally {
    await page.close();
  }
}

async function bigPage(browser: Browser): Promise<Record<string, unknown>> {
  const data = makeDataDir();
  const core = await startCore(data.dir);
  try {
    await seedPage(core.url, 'Small page', 1);
    await seedPage(core.url, 'Big page', BIG_PAGE_PARAGRAPHS);
    const { page } = await openApp(browser, core.url);
    await openPage(page, 'Small page', 1);
    const small = figures(await typeAtEnd(page, KEYSTROKES));
    await openPage(page, 'Big page', BIG_PAGE_PARAGRAPHS);
    const big = figures(await typeAtEnd(page, KEYSTROKES));
    const bare = figures(await bareContentEditable(browser, BIG_PAGE_PARAGRAPHS));
    const profileDir = process.env.BENCH_EDITOR_PROFILE;
    const profile = profileDir ? await profileTyping(page, profileDir, 'big-page-typing') : undefined;
    await page.context().close();
    return {
      target:
        'keypress to next painted frame at the end of a 10,000-paragraph page: p50 <= 8 ms, p99 <= 16 ms',
      paragraphs: BIG_PAGE_PARAGRAPHS,
      bigPage: big,
      baselineSmallPage: small,
      p50VsSmallPage: ratio(big.p50, small.p50),
      p99VsSmallPage: ratio(big.p99, small.p99),
      baselineBareContentEditable: bare,
      p50VsBareContentEditable: ratio(big.p50, bare.p50),
      taskMsPerKeyVsBareContentEditable: ratio(big.taskMsPerKey, bare.taskMsPerKey),
      ...(profile ? { profileTopSelfTime: profile } : {}),
    };
  } finally {
    await core.stop();
    data.remove();
  }
}

/** `lines` lines of plain text of about 100 bytes each, numbered so the first and last can be checked. */
export function pastedText(lines: number): string {
  return Array.from(
    { length: lines },
    (_, i) =>
      `Line ${i + 1} of ${lines}: pasted plain text, an ordinary sentence padded out to a hundred bytes or a little more.`,
  ).join('\n');
}

interface PasteFigures {
  bytes: number;
  lines: number;
  pasteToPaintedMs: number;
  heapUsedMb: number;
  heapTotalMb: number;
  paragraphsInEditor: number;
}

/**
 * Pastes `text` at the end of the open page as Ctrl+V of plain text does (a paste event carrying a
 * DataTransfer), and times from the event to the first frame painted after it; then the JS heap.
 */
async function pasteAndMeasure(page: Page, text: string): Promise<PasteFigures> {
  await page.locator('.ProseMirror').evaluate((element) => {
    const editor = (element as unknown as { editor: { commands: { focus(where: string): void } } }).editor;
    editor.commands.focus('end');
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const elapsed = (await page.evaluate(
    `((text) => new Promise((done) => {
      const target = document.querySelector('.ProseMirror');
      const data = new DataTransfer();
      data.setData('text/plain', text);
      const start = performance.now();
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done(performance.now() - start);
        channel.port2.postMessage(null);
      });
    }))(${JSON.stringify(text)})`,
  )) as number;
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
  await cdp.detach();
  const paragraphsInEditor = (await page.evaluate(
    `document.querySelectorAll('.ProseMirror > p').length`,
  )) as number;
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  return {
    bytes: Buffer.byteLength(text),
    lines: text.split('\n').length,
    pasteToPaintedMs: Math.round(elapsed),
    heapUsedMb: mb(heap.usedSize),
    heapTotalMb: mb(heap.totalSize),
    paragraphsInEditor,
  };
}

const PASTE_LINES = Number(process.env.BENCH_PASTE_LINES ?? 20_000);

/** A big plain-text paste into an empty page, beside a 20-line paste into another one. */
async function bigPaste(browser: Browser): Promise<Record<string, unknown>> {
  const data = makeDataDir();
  const core = await startCore(data.dir);
  try {
    await seedPage(core.url, 'Paste small', 0);
    await seedPage(core.url, 'Paste big', 0);
    const { page } = await openApp(browser, core.url);
    page.on('crash', () => console.error('the tab crashed while pasting'));
    await openPage(page, 'Paste small', 1);
    const small = await pasteAndMeasure(page, pastedText(20));
    await openPage(page, 'Paste big', 1);
    const big = await pasteAndMeasure(page, pastedText(PASTE_LINES));
    await page.context().close();
    return {
      target: 'a 2 MB plain-text paste (~20,000 lines) painted in <= 1.5 s with the heap <= 300 MB',
      big,
      baselineSmallPaste: small,
      msVsSmallPaste: ratio(big.pasteToPaintedMs, small.pasteToPaintedMs),
    };
  } finally {
    await core.stop();
    data.remove();
  }
}

/** Keystroke-to-frame on big pages (and big pastes) in Chromium, browser mode. Needs `npm run build`. */
export async function editorBench(): Promise<Record<string, unknown>> {
  if (!existsSync(resolve(import.meta.dirname, '../../out/main/web.js')))
    return { skipped: 'run npm run build first' };
  // Frames are not held back to the display's 60 Hz ticks, so a figure is the work a keystroke costs rather
  // than the wait for the next tick (up to 16.7 ms on any page).
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // A runaway paste stops at 1.5 GB of heap (a crashed tab) instead of taking the shared machine's memory.
    args: [
      ...CHROMIUM_ARGS,
      '--disable-gpu-vsync',
      '--disable-frame-rate-limit',
      '--js-flags=--max-old-space-size=1536',
    ],
  });
  try {
    const parts = new Set((process.env.BENCH_EDITOR ?? 'typing,paste').split(','));
    return {
      ...(parts.has('typing') ? { typing: await bigPage(browser) } : {}),
      ...(parts.has('paste') ? { paste: await bigPaste(browser) } : {}),
    };
  } finally {
    await browser.close();
  }
}
