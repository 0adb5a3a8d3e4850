import { isValidGlobalShortcut } from '../../shared/commands';

/** What `globalShortcut` offers, so the decision below runs under Node with a fake. */
export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

/**
 * Moves the quick-capture shortcut from `current` to `next`. Returns what is registered afterwards. A
 * shortcut the OS or another app already owns (register returns false or throws) or an invalid one is
 * reported through `onFailure` — never silently dropped.
 */
export function switchGlobalShortcut(
  registry: ShortcutRegistry,
  current: string | null,
  next: string | null,
  onTrigger: () => void,
  onFailure: (accelerator: string) => void,
): string | null {
  if (current === next) return current;
  if (current) registry.unregister(current);
  if (!next) return null;
  let ok: boolean;
  try {
    ok = isValidGlobalShortcut(next) && registry.register(next, onTrigger);
  } catch {
    ok = false;
  }
  if (ok) return next;
  onFailure(next);
  return null;
}
