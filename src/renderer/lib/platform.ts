/** Mod is Cmd on macOS and Ctrl elsewhere, matching how TipTap/ProseMirror read `Mod-` keymaps. */
export const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function shortcutLabel(keys: string): string {
  const parts = keys.split('+').map((part) => {
    if (part === 'Mod') return isMac ? '⌘' : 'Ctrl';
    if (part === 'Alt') return isMac ? '⌥' : 'Alt';
    if (part === 'Shift') return isMac ? '⇧' : 'Shift';
    return part;
  });
  return parts.join(isMac ? '' : '+');
}

/** True for the platform's primary modifier only (Cmd on macOS, Ctrl elsewhere). */
export const hasMod = (event: Pick<MouseEvent, 'metaKey' | 'ctrlKey'>): boolean =>
  isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
