/**
 * Main-window size and position, restored at start and clamped to the displays that exist now (a monitor
 * may have been unplugged). Plain functions, tested under Node; `main-window.ts` reads and writes the file.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Rect {
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 800 };
export const MIN_SIZE = { width: 640, height: 420 };
/** At least this much of the window's title area must be on a display, or it is moved back on screen. */
const MIN_VISIBLE = 80;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6;

/** Whatever the state file holds, as a WindowState or null (corrupt, hand-edited, from another version). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isInt(r.x) || !isInt(r.y) || !isInt(r.width) || !isInt(r.height)) return null;
  if (r.width <= 0 || r.height <= 0) return null;
  return { x: r.x, y: r.y, width: r.width, height: r.height, maximized: r.maximized === true };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window. `displays` are work areas (primary first). A saved window whose top strip is not
 * visible enough on any display is centred on the primary one; sizes never exceed the work area it lands on.
 */
export function restoreWindowState(saved: WindowState | null, displays: readonly Rect[]): WindowState {
  const primary = displays[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const centred = (area: Rect, width: number, height: number, maximized: boolean): WindowState => {
    const w = Math.max(Math.min(width, area.width), Math.min(MIN_SIZE.width, area.width));
    const h = Math.max(Math.min(height, area.height), Math.min(MIN_SIZE.height, area.height));
    return {
      x: area.x + Math.round((area.width - w) / 2),
      y: area.y + Math.round((area.height - h) / 2),
      width: w,
      height: h,
      maximized,
    };
  };
  if (!saved) return centred(primary, DEFAULT_SIZE.width, DEFAULT_SIZE.height, false);
  const titleStrip: Rect = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(40, saved.height) };
  const home = displays.find((area) => {
    const o = overlap(titleStrip, area);
    return o.width >= Math.min(MIN_VISIBLE, saved.width) && o.height > 0;
  });
  if (!home) return centred(primary, saved.width, saved.height, saved.maximized);
  const width = Math.max(Math.min(saved.width, home.width), Math.min(MIN_SIZE.width, home.width));
  const height = Math.max(Math.min(saved.height, home.height), Math.min(MIN_SIZE.height, home.height));
  // Keep it where it was, but pull it fully inside the display it is on.
  const x = Math.min(Math.max(saved.x, home.x), home.x + home.width - width);
  const y = Math.min(Math.max(saved.y, home.y), home.y + home.height - height);
  return { x, y, width, height, maximized: saved.maximized };
}
