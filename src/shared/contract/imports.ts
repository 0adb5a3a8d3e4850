import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, bytes, id } from './schemas';

/**
 * Bringing Markdown in: files and folders become pages (a folder a section, or a page holding its pages), links
 * between the imported files links between the new pages, the images and files they reference attachments.
 * Everything an import makes hangs under one node, so one trash (the toast's Undo) removes the whole import.
 */

/** The largest Markdown file read (a bigger one is reported, not parsed: markdown-it would hold the core). */
export const IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The most bytes one `import.markdown` carries (a browser-mode frame is at most 64 MiB of base64). */
export const IMPORT_MAX_TOTAL_BYTES = 40 * 1024 * 1024;
export const IMPORT_MAX_FILES = 20_000;

/** Something of the import that could not be read or used, said in the report (nothing is dropped silently). */
export interface ImportProblem {
  /** The file's path as picked (`folder/sub/file.md`). */
  path: string;
  message: string;
}

export interface ImportResultView {
  /** What holds everything the import made: trash it to undo the import. Null when nothing was made. */
  rootId: string | null;
  rootType: 'section' | 'page' | null;
  /** The first imported page (opened after the import). */
  firstPageId: string | null;
  pages: number;
  attachments: number;
  /** Links between imported files that now point at the new pages. */
  links: number;
  problems: ImportProblem[];
  cancelled: boolean;
}

/** The answer of an import that made nothing (yet): only its problems. */
export const emptyImportResult = (problems: ImportProblem[], cancelled = false): ImportResultView => ({
  rootId: null,
  rootType: null,
  firstPageId: null,
  pages: 0,
  attachments: 0,
  links: 0,
  problems,
  cancelled,
});

const file = z.object({
  /** Relative path with `/` separators, as a folder pick or drop gives it (`notes/ideas.md`). */
  path: z.string().min(1).max(4096),
  data: bytes,
});

export const importCommands = {
  'import.markdown': command<ImportResultView>()(() =>
    z.object({
      accountId,
      notebookId: id,
      /** Where the import goes: null = a new section at the notebook's root, else under this section or page. */
      parentId: id.nullable(),
      /** Chosen by the renderer so it can follow `import.progress` and ask for `import.cancel`. */
      importId: id,
      files: z
        .array(file)
        .min(1, 'choose at least one file')
        .max(IMPORT_MAX_FILES, `at most ${IMPORT_MAX_FILES} files at a time`),
      /** Files the renderer did not send (too large, unreadable there): listed in the report. */
      skipped: z
        .array(z.object({ path: z.string().max(4096), message: z.string().max(500) }))
        .max(IMPORT_MAX_FILES)
        .default([]),
    }),
  ),
  /** Stops a running import: what it made so far is removed. */
  'import.cancel': command<null>()(() => z.object({ accountId, importId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const importEvents = {
  /** How far an import is: `done` of `total` files. */
  'import.progress': event<{ accountId: string; importId: string; done: number; total: number }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
