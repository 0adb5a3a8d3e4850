import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { Icon, type IconName } from './icons';

export interface MenuItem {
  label: string;
  icon?: IconName;
  hint?: string;
  danger?: boolean;
  disabled?: boolean;
  onSelect(): void;
}

export interface MenuProps {
  items: readonly (MenuItem | 'separator')[];
  /** Viewport coordinates of the menu's top-left corner (clamped to stay on screen). */
  at: { x: number; y: number };
  label: string;
  /** `grid` lays short labels (emoji) out in rows. */
  variant?: 'list' | 'grid';
  onClose(): void;
}

/**
 * Where a dropdown opens for the button that opened it: just below it, left-aligned, or right-aligned for a
 * menu about `width` wide (page actions at the window's edge).
 */
export function menuBelow(button: Element, rightAlignedWidth?: number): { x: number; y: number } {
  const box = button.getBoundingClientRect();
  return { x: rightAlignedWidth === undefined ? box.left : box.right - rightAlignedWidth, y: box.bottom + 4 };
}

/** Typed letters within this time of each other make one typeahead string ("de" → Delete, not Duplicate). */
const TYPEAHEAD_MS = 700;

/**
 * A context/dropdown menu: arrow keys move, Home/End go to the first/last item, typing letters jumps to the
 * next item that starts with them, Enter selects, Escape, Tab or a click elsewhere closes. Escape, Tab and a
 * chosen item give the focus back to where it was when the menu opened (its trigger, or the tree row), so a
 * keyboard user is not dropped at the top of the page; a click elsewhere leaves the focus where it went.
 */
export function Menu({ items, at, label, variant = 'list', onClose }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState(at);
  // The element that had the focus when the menu opened: read once, before the menu takes the focus.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  const typed = useRef({ text: '', at: -Infinity });

  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    setPosition({
      x: Math.max(8, Math.min(at.x, window.innerWidth - box.width - 8)),
      y: Math.max(8, Math.min(at.y, window.innerHeight - box.height - 8)),
    });
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [at]);

  useEffect(() => {
    const onPointer = (event: PointerEvent): void => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('blur', onClose);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  /** Closes, the focus back on the opener (if it is still there to take it). */
  const closeToOpener = (): void => {
    if (opener?.isConnected) opener.focus({ preventScroll: true });
    onClose();
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Tab') {
      // The opener takes the focus and the browser's Tab moves on from there.
      closeToOpener();
      return;
    }
    if (event.key === 'Escape') closeToOpener();
    else if (event.key === 'ArrowDown' || event.key === 'ArrowRight')
      buttons[(at + 1) % buttons.length]?.focus();
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft')
      buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    else if (event.key === 'Home') buttons[0]?.focus();
    else if (event.key === 'End') buttons.at(-1)?.focus();
    else if (
      [...event.key].length === 1 &&
      // Space selects, unless it continues a label being typed ("move t").
      (event.key !== ' ' || event.timeStamp - typed.current.at < TYPEAHEAD_MS) &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey
    )
      typeahead(buttons, at, event.key, event.timeStamp);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  /** Moves to the next item whose label starts with what was typed (a repeated letter cycles through them). */
  const typeahead = (buttons: HTMLButtonElement[], at: number, key: string, now: number): void => {
    const last = typed.current;
    const text = now - last.at < TYPEAHEAD_MS ? last.text + key.toLowerCase() : key.toLowerCase();
    typed.current = { text, at: now };
    const repeated = [...text].every((c) => c === text[0]);
    const labelOf = (b: HTMLButtonElement): string =>
      (b.querySelector('.menu-label')?.textContent ?? '').trim().toLowerCase();
    // A longer string stays on the current item if it still matches; a single or repeated letter moves on.
    const from = repeated ? at + 1 : Math.max(at, 0);
    const wanted = repeated ? text[0]! : text;
    for (let i = 0; i < buttons.length; i++) {
      const button = buttons[(from + i) % buttons.length]!;
      if (labelOf(button).startsWith(wanted)) {
        button.focus();
        return;
      }
    }
  };

  // In <body>, not where it was opened: a menu inside the tree (role=tree) or a list would break their roles.
  return createPortal(
    <div
      ref={ref}
      className={`menu ${variant}`}
      role="menu"
      aria-label={label}
      tabIndex={-1}
      style={{ left: position.x, top: position.y }}
      onKeyDown={onKeyDown}
    >
      {items.map((item, i) =>
        item === 'separator' ? (
          <div key={`sep-${i}`} className="menu-separator" role="separator" />
        ) : (
          <button
            key={item.label}
            type="button"
            role="menuitem"
            className={item.danger ? 'menu-item danger' : 'menu-item'}
            disabled={item.disabled}
            onClick={() => {
              closeToOpener();
              item.onSelect();
            }}
          >
            {item.icon ? <Icon name={item.icon} /> : <span className="icon" />}
            <span className="menu-label">{item.label}</span>
            {item.hint ? <kbd className="menu-hint">{item.hint}</kbd> : null}
          </button>
        ),
      )}
    </div>,
    document.body,
  );
}
