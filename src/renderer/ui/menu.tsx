import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
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

/** A context/dropdown menu: arrow keys move, Enter selects, Escape or a click elsewhere closes. */
export function Menu({ items, at, label, variant = 'list', onClose }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState(at);

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

  const onKeyDown = (event: KeyboardEvent): void => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown' || event.key === 'ArrowRight')
      buttons[(at + 1) % buttons.length]?.focus();
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft')
      buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
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
              onClose();
              item.onSelect();
            }}
          >
            {item.icon ? <Icon name={item.icon} /> : <span className="icon" />}
            <span className="menu-label">{item.label}</span>
            {item.hint ? <kbd className="menu-hint">{item.hint}</kbd> : null}
          </button>
        ),
      )}
    </div>
  );
}
