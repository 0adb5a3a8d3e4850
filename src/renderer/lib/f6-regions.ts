import { useEffect } from 'react';

/**
 * F6 / Shift+F6 move the focus between the window's regions, as in desktop apps and browsers: the sidebar,
 * the main view (the editor when a page is open) and the open panels (find bar, notifications), in that
 * order, round and round. A region is an element with `data-region`; a region without anything to focus
 * (an empty notification area) is skipped. Coming back to a region puts the focus where it was in it; the
 * first time, on its `data-f6-target` (or the tree's current row), else on the first thing one can tab to.
 * While a modal dialog is open F6 does nothing: the dialog keeps the focus.
 */
const TABBABLE =
  'a[href], button:not(:disabled), input:not(:disabled), textarea:not(:disabled), select:not(:disabled), [contenteditable="true"], [tabindex]:not([tabindex="-1"])';
const TARGET = '[data-f6-target], [role="treeitem"][tabindex="0"]';

const lastFocused = new WeakMap<Element, HTMLElement>();

function regions(): HTMLElement[] {
  const all = [...document.querySelectorAll<HTMLElement>('[data-region]')];
  const order = (el: HTMLElement): number => ['sidebar', 'main', 'panel'].indexOf(el.dataset.region ?? '');
  // Stable: document order within a kind.
  return all
    .map((el, i) => ({ el, i }))
    .sort((a, b) => order(a.el) - order(b.el) || a.i - b.i)
    .map(({ el }) => el);
}

/** The innermost region holding `element` (a find bar inside the main view is a panel of its own). */
function regionOf(element: Element | null, all: readonly HTMLElement[]): HTMLElement | undefined {
  let best: HTMLElement | undefined;
  for (const region of all)
    if (element && region.contains(element) && (!best || best.contains(region))) best = region;
  return best;
}

function visible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0;
}

function targetIn(region: HTMLElement): HTMLElement | undefined {
  const last = lastFocused.get(region);
  if (last?.isConnected && region.contains(last) && visible(last)) return last;
  const preferred = [...region.querySelectorAll<HTMLElement>(TARGET)].find(visible);
  if (preferred && regionOf(preferred, regions()) === region) return preferred;
  return [...region.querySelectorAll<HTMLElement>(TABBABLE)].find(
    (el) => visible(el) && regionOf(el, regions()) === region,
  );
}

function focusInto(target: HTMLElement): void {
  // TipTap keeps its editor on the ProseMirror element: its own focus puts the caret back where it was.
  const editor = (target as HTMLElement & { editor?: { view: { focus(): void } } }).editor;
  if (editor) editor.view.focus();
  else target.focus();
}

/** Moves the focus to the next (or previous) region that has something to focus. */
export function cycleRegions(backwards: boolean): boolean {
  const all = regions();
  if (all.length === 0) return false;
  const current = regionOf(document.activeElement, all);
  const start = current ? all.indexOf(current) : backwards ? 0 : -1;
  for (let step = 1; step <= all.length; step++) {
    const index = (((start + (backwards ? -step : step)) % all.length) + all.length) % all.length;
    const region = all[index]!;
    if (region === current) continue;
    const target = targetIn(region);
    if (target) {
      focusInto(target);
      return true;
    }
  }
  return false;
}

/** Installs F6 / Shift+F6 for this window (once, in the workspace). */
export function useF6Regions(): void {
  useEffect(() => {
    const onFocusIn = (event: FocusEvent): void => {
      if (!(event.target instanceof HTMLElement)) return;
      const region = regionOf(event.target, regions());
      if (region) lastFocused.set(region, event.target);
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'F6' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      cycleRegions(event.shiftKey);
    };
    window.addEventListener('focusin', onFocusIn);
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('focusin', onFocusIn);
      window.removeEventListener('keydown', onKeyDown, true);
    };
  }, []);
}
