import { join } from 'node:path';
import { diffArrays } from 'diff';
import * as Y from 'yjs';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { renderPage } from '../../src/main/export/export.service';
import { documentToYDoc, normalizeDocument, type TiptapDoc } from '../../src/shared/crdt/document';
import { diffPages } from '../../src/renderer/features/history/page-diff';
import { call, createLocalPage } from '../support/core';
import { ratio, summarize, timeAsync, timeSync, timeWithCpu } from './stats';

const accountId = LOCAL_ACCOUNT_ID;
const PARAGRAPHS = Number(process.env.BENCH_HISTORY_PARAGRAPHS ?? 10_000);
const FILES = Number(process.env.BENCH_IMPORT_FILES ?? 1_000);
const RUNS = 5;

const paragraph = (i: number, text = `Paragraph ${i}: some words of ordinary text, **not** bold.`) => ({
  type: 'paragraph',
  content: [{ type: 'text', text }],
});

function bigPage(edits = new Set<number>()): TiptapDoc {
  return {
    type: 'doc',
    content: Array.from({ length: PARAGRAPHS }, (_, i) =>
      edits.has(i) ? paragraph(i, `Paragraph ${i}: some words of changed text, not bold.`) : paragraph(i),
    ),
  };
}

/**
 * Issue 12's three figures, each beside a baseline measured in the same run:
 * - Markdown export of a 10,000-paragraph page (target <= 200 ms): `export.page` through the core's router (the
 *   content read, the serializer, the answer) and the serializer alone, beside JSON.stringify of the same page
 *   (the cost of writing that much text at all).
 * - Import of 1,000 Markdown files (target <= 5 s, reported per file), beside creating the same 1,000 empty
 *   pages with node.create in the same kind of core.
 * - The diff of a 10,000-paragraph page against a version with 100 scattered changes (target <= 150 ms to the
 *   first rendered diff): the History panel's diffPages in Node, beside diffArrays of the plain lines. Only the
 *   computation: the rendering in Chromium is not measured here.
 */
export async function historyBench(work: string): Promise<Record<string, unknown>> {
  const core = await AppCore.open({ dataDir: join(work, 'history'), mode: 'browser' });
  try {
    const { notebook, section, page } = await createLocalPage(core, 'Big page');
    const doc = normalizeDocument(bigPage());
    const update = Y.encodeStateAsUpdate(documentToYDoc(doc));
    await call(core, 'document.update', { accountId, documentId: page.id, update });
    await call(core, 'export.page', { accountId, nodeId: page.id, format: 'markdown' });
    const exportMs: number[] = [];
    const exportCpuMs: number[] = [];
    const serializerMs: number[] = [];
    const stringifyMs: number[] = [];
    let bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const timed = await timeWithCpu(async () => {
        const result = await call(core, 'export.page', { accountId, nodeId: page.id, format: 'markdown' });
        bytes = result.kind === 'download' ? result.text.length : 0;
      });
      exportMs.push(timed.wallMs);
      exportCpuMs.push(timed.cpuMs);
      serializerMs.push(await timeAsync(() => renderPage(doc, 'Big page', 'markdown')));
      stringifyMs.push(timeSync(() => void JSON.stringify(doc)));
    }
    const exported = summarize(exportMs);

    const files = Array.from({ length: FILES }, (_, i) => ({
      path: `Import/folder ${i % 10}/note ${i}.md`,
      data: new TextEncoder().encode(
        `# Note ${i}\n\nSome text with a [link](../folder ${(i + 1) % 10}/note ${(i + 1) % FILES}.md).\n\n- one\n- two\n`.replace(
          / (?=\d+\.md\))/g,
          '%20',
        ),
      ),
    }));
    const { wallMs: importMs, cpuMs: importCpuMs } = await timeWithCpu(() =>
      call(core, 'import.markdown', {
        accountId,
        notebookId: notebook.id,
        parentId: null,
        importId: 'imbench',
        files,
      }),
    );
    const { wallMs: createMs, cpuMs: createCpuMs } = await timeWithCpu(async () => {
      for (let i = 0; i < FILES; i++)
        await call(core, 'node.create', {
          accountId,
          notebookId: notebook.id,
          type: 'page',
          parentId: section.id,
          name: `Empty ${i}`,
        });
    });

    const edits = new Set(Array.from({ length: 100 }, (_, i) => Math.floor((i * PARAGRAPHS) / 100) + 7));
    const before = bigPage();
    const after = bigPage(edits);
    let changed = 0;
    const lines = (d: TiptapDoc) => d.content.map((block) => block.content?.[0]?.text ?? '');
    diffPages(before, after);
    const diffMs: number[] = [];
    const baselineMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      diffMs.push(timeSync(() => void (changed = diffPages(before, after).changed)));
      baselineMs.push(timeSync(() => void diffArrays(lines(before), lines(after))));
    }
    const diff = summarize(diffMs);
    return {
      exportMarkdown: {
        target: `Markdown export of a ${PARAGRAPHS.toLocaleString('en')}-paragraph page <= 200 ms`,
        markdownBytes: bytes,
        exportPageMs: exported,
        exportPageCpuMs: summarize(exportCpuMs),
        serializerOnlyMs: summarize(serializerMs),
        baselineJsonStringifyMs: summarize(stringifyMs),
        exportVsBaselineP50: ratio(exported.p50, summarize(stringifyMs).p50),
        met: exported.p50 <= 200,
      },
      importMarkdown: {
        target: `import of ${FILES} Markdown files <= 5 s`,
        files: FILES,
        importMs: Math.round(importMs),
        importCpuMs: Math.round(importCpuMs),
        perFileMs: Math.round((importMs / FILES) * 100) / 100,
        baselineNodeCreateMs: Math.round(createMs),
        baselineNodeCreateCpuMs: Math.round(createCpuMs),
        baselinePerPageMs: Math.round((createMs / FILES) * 100) / 100,
        importVsBaseline: ratio(importMs, createMs),
        met: importMs <= 5_000,
      },
      diff: {
        target: `diff of a ${PARAGRAPHS.toLocaleString('en')}-paragraph page with 100 changes <= 150 ms (computation only here)`,
        changes: changed,
        diffPagesMs: diff,
        baselineDiffArraysMs: summarize(baselineMs),
        diffVsBaselineP50: ratio(diff.p50, summarize(baselineMs).p50),
        met: diff.p50 <= 150,
      },
    };
  } finally {
    core.close();
  }
}
