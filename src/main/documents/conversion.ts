import type * as DocumentModule from '../../shared/crdt/document';

/**
 * Converting between Yjs and TipTap JSON needs the editor schema (TipTap, ProseMirror), the heaviest part of
 * main's module graph. It is loaded on first use so the app starts without evaluating it
 * (test/unit/startup-imports.test.ts keeps it that way).
 */
export type DocumentConversion = typeof DocumentModule;
let conversion: Promise<DocumentConversion> | undefined;
export const documentConversion = (): Promise<DocumentConversion> =>
  (conversion ??= import('../../shared/crdt/document'));
