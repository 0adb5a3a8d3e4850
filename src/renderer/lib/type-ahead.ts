/**
 * Keys typed between an action that will open a place to type (New page: a click, shortcut or palette entry)
 * and the moment that place exists and has focus. However slow the core is to create and open the page, what
 * the person typed meanwhile is kept here and handed to the page's title once it mounts (`claim`), rather than
 * going to the button that still has focus (Enter or Space there would even make a second page) or nowhere.
 *
 * Only plain typing is held: a shortcut (Mod+…) passes through, and any deliberate move elsewhere — a click,
 * Escape, Tab, focus entering another text field — ends the wait and drops nothing the person can still see.
 */
export class TypeAhead {
  private typed: string | null = null;

  constructor(private readonly target: Window) {}

  /** Starts holding keys (idempotent: a request made while one is waiting keeps what was typed so far). */
  begin(): void {
    if (this.typed !== null) return;
    this.typed = '';
    this.target.addEventListener('keydown', this.onKeyDown, true);
    this.target.addEventListener('pointerdown', this.cancel, true);
    this.target.addEventListener('focusin', this.onFocusIn, true);
  }

  /** True while keys are being held for a place that is on its way. */
  get active(): boolean {
    return this.typed !== null;
  }

  /** Stops holding and returns what was typed ('\n' for Enter), or null when nothing was waiting. */
  claim(): string | null {
    const typed = this.typed;
    this.stop();
    return typed;
  }

  /** The action failed or the person went elsewhere: nothing will claim the keys. */
  readonly cancel = (): void => this.stop();

  private stop(): void {
    this.typed = null;
    this.target.removeEventListener('keydown', this.onKeyDown, true);
    this.target.removeEventListener('pointerdown', this.cancel, true);
    this.target.removeEventListener('focusin', this.onFocusIn, true);
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (this.typed === null || event.isComposing) return;
    // Shortcuts go on to the window (AltGr, which also sets Ctrl on Windows, types characters).
    if ((event.ctrlKey || event.metaKey) && !event.getModifierState('AltGraph')) return;
    const next = applyKey(this.typed, event.key);
    if (next === undefined) {
      if (event.key === 'Escape' || event.key === 'Tab') this.stop();
      return;
    }
    this.typed = next;
    event.preventDefault();
    event.stopPropagation();
  };

  private readonly onFocusIn = (event: FocusEvent): void => {
    if (isTextField(event.target)) this.stop();
  };
}

/** `typed` after one more key, or undefined for a key that is not typing (arrows, Escape, F-keys…). */
export function applyKey(typed: string, key: string): string | undefined {
  if (key === 'Enter') return `${typed}\n`;
  if (key === 'Backspace') return [...typed].slice(0, -1).join('');
  if ([...key].length === 1) return typed + key;
  return undefined;
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
  );
}

/** The main window's type-ahead (one person, one keyboard). */
export const typeAhead = new TypeAhead(window);
