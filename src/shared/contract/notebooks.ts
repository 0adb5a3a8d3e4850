import * as z from 'zod';
import type { NotebookRole } from '../model/roles';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id, name } from './schemas';

/** Notebooks of an account, and moving a Local one to a server account. */

export interface NotebookView {
  id: string;
  accountId: string;
  name: string;
  description: string;
  role: NotebookRole;
  createdAt: string;
  updatedAt: string;
}

/** Moving a Local notebook to a server account (`notebook.moveToAccount`), as the progress UI shows it. */
export interface NotebookMoveView {
  /** The Local notebook being moved (it stays until the server confirmed everything). */
  notebookId: string;
  name: string;
  targetAccountId: string;
  /** The notebook created on the server account, once it exists. */
  targetNotebookId: string | null;
  phase: 'creating' | 'uploading' | 'done' | 'failed';
  /** Changes the server confirmed, of those the move sent. */
  confirmed: number;
  total: number;
  /** Why the move is stuck (server unreachable, changes refused…); it resumes by itself. */
  error: string | null;
}

export const notebookCommands = {
  'notebook.list': command<NotebookView[]>()(() => z.object({ accountId })),
  'notebook.create': command<NotebookView>()(() =>
    z.object({ accountId, name, description: z.string().max(4_096).optional() }),
  ),
  'notebook.update': command<NotebookView>()(() =>
    z.object({
      accountId,
      notebookId: id,
      name: name.optional(),
      description: z.string().max(4_096).optional(),
    }),
  ),
  'notebook.delete': command<null>()(() => z.object({ accountId, notebookId: id })),
  /**
   * Moves a Local notebook to a server account: its tree and documents are re-created there as ordinary
   * mutations (same node ids); the Local copy is deleted only once the server confirmed all of them.
   */
  'notebook.moveToAccount': command<NotebookMoveView>()(() =>
    z.object({ accountId, notebookId: id, targetAccountId: accountId }),
  ),
  /** Moves not finished yet (they resume after a restart). */
  'notebook.moves': command<NotebookMoveView[]>()(() => z.object({})),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const notebookEvents = {
  'notebook.changed': event<{ accountId: string }>(),
  /** Progress of a notebook move (`notebook.moveToAccount`). */
  'notebook.move': event<NotebookMoveView>(),
} as const satisfies Record<string, EventSpec<unknown>>;
