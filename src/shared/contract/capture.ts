import * as z from 'zod';
import { command, type CommandSpec } from './define';
import { accountId, id } from './schemas';

/** Quick capture (docs/decisions/0007-quick-capture.md). */

/** A quick note was committed (`capture.save`). */
export interface CaptureSavedView {
  notebookId: string;
  /** The page the note was appended to. */
  nodeId: string;
  pageName: string;
  /** True when that page (Inbox, daily note) was created by this capture. */
  createdPage: boolean;
  savedAt: string;
}

export interface CaptureDestinationsView {
  notebooks: { id: string; name: string }[];
  /** Recently edited pages, newest first. */
  recentPages: { id: string; name: string; icon: string | null; notebookId: string; notebookName: string }[];
}

export const captureCommands = {
  /**
   * Quick capture: appends a titled, timestamped note (TipTap JSON body) to the notebook's Inbox page (created
   * on first use), a chosen page, or today's daily note. One transaction, committed before it answers.
   */
  'capture.save': command<CaptureSavedView>()(() =>
    z.object({
      accountId,
      destination: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('inbox'), notebookId: id }),
        z.object({ kind: z.literal('daily'), notebookId: id }),
        z.object({ kind: z.literal('page'), nodeId: id }),
      ]),
      title: z.string().trim().max(256),
      body: z.object({
        type: z.literal('doc'),
        content: z.array(z.record(z.string(), z.unknown())).max(2_000),
      }),
    }),
  ),
  /** Where a quick note can go: the account's notebooks and its recently edited pages. */
  'capture.destinations': command<CaptureDestinationsView>()(() => z.object({ accountId })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;
