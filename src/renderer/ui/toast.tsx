import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { Result } from '../../shared/lib/result';

export interface ToastAction {
  label: string;
  run(): void;
}

interface Toast {
  id: number;
  message: string;
  action?: ToastAction | undefined;
}

interface Toasts {
  notify(message: string, action?: ToastAction): void;
  /** Reports a failed Result to the person and returns the value (or undefined on failure). */
  check<T>(result: Result<T>, doing: string): T | undefined;
}

const ToastContext = createContext<Toasts | null>(null);
export const TOAST_MS = 6_000;
const MAX_TOASTS = 3;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  // Toasts the pointer or the focus is on: never pushed out by newer ones (their Undo is being reached for).
  const held = useRef(new Set<number>());
  const dismiss = useCallback((id: number) => {
    held.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);
  const hold = useCallback((id: number, on: boolean) => {
    if (on) held.current.add(id);
    else held.current.delete(id);
  }, []);
  const notify = useCallback((message: string, action?: ToastAction) => {
    const id = nextId.current++;
    setToasts((all) => {
      const next = [...all, { id, message, action }];
      while (next.length > MAX_TOASTS) {
        const oldest = next.findIndex((t) => !held.current.has(t.id));
        if (oldest === -1 || next[oldest]!.id === id) break;
        next.splice(oldest, 1);
      }
      return next;
    });
  }, []);
  const value = useMemo<Toasts>(
    () => ({
      notify,
      check: (result, doing) => {
        if (result.ok) return result.value;
        notify(`Could not ${doing}: ${result.error.message}`);
        return undefined;
      },
    }),
    [notify],
  );
  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* A polite live region: each toast added is read out once, without moving the focus. */}
      <div className="toasts" role="status" aria-live="polite" data-region="panel">
        {toasts.map((toast) => (
          <ToastView key={toast.id} toast={toast} onDismiss={dismiss} onHold={hold} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

interface ToastViewProps {
  toast: Toast;
  onDismiss(id: number): void;
  onHold(id: number, held: boolean): void;
}

/**
 * One toast. It goes away by itself after `TOAST_MS`, but not while the pointer is over it or the focus is
 * in it (someone reaching for Undo, or reading it with a screen reader): the clock stops and runs on with the
 * time that was left once both have left.
 */
function ToastView({ toast, onDismiss, onHold }: ToastViewProps) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const remaining = useRef(TOAST_MS);
  const held = hovered || focused;

  useEffect(() => {
    onHold(toast.id, held);
    if (held) return;
    const started = Date.now();
    const timer = setTimeout(() => onDismiss(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(0, remaining.current - (Date.now() - started));
    };
  }, [held, toast.id, onDismiss, onHold]);

  return (
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions -- hover and focus only pause the timer; the buttons inside are the controls
    <div
      className="toast"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        onDismiss(toast.id);
      }}
    >
      <span>{toast.message}</span>
      {toast.action ? (
        <button
          type="button"
          className="toast-action"
          onClick={() => {
            onDismiss(toast.id);
            toast.action?.run();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts outside <ToastProvider>');
  return toasts;
}
