import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, bytes, id } from './schemas';

/** Live collaboration: who else views a page, and where their caret is. */

/**
 * Someone else viewing the same page (live collaboration), as the editor draws it: another device's user, or
 * another window of this device.
 */
export interface PresenceViewerView {
  /** The viewer's socket (one user may view a page from several devices), or `window:<id>` for a local one. */
  id: string;
  /** Another window of this device (the same person): shown as "You (other window)"; never sent to a server. */
  local?: boolean;
  userId: string;
  name: string;
  /** Index into the fixed caret palette (`collab-color-<n>` classes), stable per user. */
  colorIndex: number;
  /** Their selection: absolute ProseMirror positions and, when sent, Yjs relative positions (preferred). */
  selection: {
    anchor: number;
    head: number;
    anchorRel: Uint8Array | null;
    headRel: Uint8Array | null;
  } | null;
}

/** An encoded Yjs relative position (a few dozen bytes). */
const relativePosition = bytes.refine((u) => u.length > 0 && u.length <= 256, 'must be 1–256 bytes');

export const presenceCommands = {
  /**
   * Live collaboration: this window views `documentId` with this selection (`null`: not focused). The page's
   * other windows on this device see it at once; server accounts also relay the device's active window to the
   * other viewers (rate-limited). Answers who else is viewing (never this window itself). A window that stops
   * reporting for a while (≈ 45 s) is taken to have left.
   */
  'presence.update': command<PresenceViewerView[]>()(() =>
    z.object({
      accountId,
      documentId: id,
      selection: z
        .object({
          anchor: z.number().int().min(0).max(100_000_000),
          head: z.number().int().min(0).max(100_000_000),
          anchorRel: relativePosition.optional(),
          headRel: relativePosition.optional(),
        })
        .nullable(),
    }),
  ),
  /** This window left the page (also implied by `document.close`). */
  'presence.leave': command<null>()(() => z.object({ accountId, documentId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const presenceEvents = {
  /**
   * Who else views a page changed (joined, moved their caret, left): the full list as the receiving window
   * sees it (each window of the page gets its own; a window is never in its own list).
   */
  'presence.changed': event<{ accountId: string; documentId: string; viewers: PresenceViewerView[] }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
