import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

const MIN_SIDEBAR = 200;
const MAX_SIDEBAR = 480;
const KEY_STEP = 16;

const clamp = (width: number): number => Math.round(Math.min(MAX_SIDEBAR, Math.max(MIN_SIDEBAR, width)));

export interface SidebarResizerProps {
  width: number;
  /** Live while dragging (not persisted). */
  onResize(width: number): void;
  /** When the drag or key press ends: the width to remember. */
  onCommit(width: number): void;
}

/** The sidebar's right edge: drag it, or focus it and use the arrow keys. */
export function SidebarResizer({ width, onResize, onCommit }: SidebarResizerProps) {
  const drag = useRef<{ startX: number; startWidth: number; last: number } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: width, last: width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (!drag.current) return;
    drag.current.last = clamp(drag.current.startWidth + event.clientX - drag.current.startX);
    onResize(drag.current.last);
  };
  const onPointerUp = (): void => {
    if (drag.current && drag.current.last !== drag.current.startWidth) onCommit(drag.current.last);
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const delta = event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = clamp(width + delta);
    onResize(next);
    onCommit(next);
  };
  return (
    <div
      className="sidebar-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize sidebar"
      aria-valuemin={MIN_SIDEBAR}
      aria-valuemax={MAX_SIDEBAR}
      aria-valuenow={width}
      // A focusable separator is a widget (the APG window splitter: arrows resize it); aria-query counts
      // every separator as structure.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
