import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { ImportProblem, ImportResultView } from '../../../shared/contract';
import {
  emptyImportResult,
  IMPORT_MAX_FILE_BYTES,
  IMPORT_MAX_FILES,
  IMPORT_MAX_TOTAL_BYTES,
} from '../../../shared/contract/imports';
import { IdPrefix, newId } from '../../../shared/lib/ids';
import { useApi } from '../../lib/client';
import { useToasts } from '../../ui/toast';
import type { Tree } from '../sidebar/tree-model';
import { useShowModal } from '../sync/use-sync';
import { filesFromDrop, filesFromInput, type PickedFile } from './picked-files';
import type { DroppedImport } from './sidebar-drop';
import './import.css';

type Step =
  | { kind: 'choose' }
  /** `total`: the pages (and the section) main will make; null while the files are read and planned (a zip's are not known yet). */
  | { kind: 'running'; done: number; total: number | null }
  | { kind: 'done'; result: ImportResultView; undone: boolean }
  | { kind: 'failed'; message: string };

export interface ImportDialogProps {
  accountId: string;
  notebookId: string;
  tree: Tree | undefined;
  /** Files dropped on the sidebar: imported at once under their target, with the same progress and report. */
  dropped?: DroppedImport;
  onOpen(nodeId: string): void;
  onClose(): void;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * Import Markdown (palette, File menu): pick files or a folder, or drop them here; a
 * progress bar with Cancel while main makes the pages; then what was made, what could not be read, Open and
 * Undo import (the import's root to the trash).
 */
export function ImportDialog(props: ImportDialogProps) {
  const api = useApi();
  const { notify } = useToasts();
  const ref = useShowModal();
  const [step, setStep] = useState<Step>(
    props.dropped ? { kind: 'running', done: 0, total: null } : { kind: 'choose' },
  );
  const [target, setTarget] = useState<string>('');
  const [dragging, setDragging] = useState(false);
  const importId = useRef<string | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const targetId = useId();
  const sections = props.tree?.children.get(null)?.filter((node) => node.type === 'section') ?? [];

  useEffect(
    () =>
      api.subscribe('import.progress', (event) => {
        if (event.importId !== importId.current) return;
        setStep((current) =>
          current.kind === 'running' ? { kind: 'running', done: event.done, total: event.total } : current,
        );
      }),
    [api],
  );

  const start = async (picked: PickedFile[], parentId = target === '' ? null : target): Promise<void> => {
    if (picked.length === 0) return;
    if (picked.length > IMPORT_MAX_FILES)
      return setStep({
        kind: 'failed',
        message: `That is ${picked.length} files; import at most ${IMPORT_MAX_FILES} at a time.`,
      });
    setStep({ kind: 'running', done: 0, total: null });
    const skipped: ImportProblem[] = [];
    const files: { path: string; data: Uint8Array }[] = [];
    let total = 0;
    for (const { path, file } of picked) {
      if (file.size > IMPORT_MAX_FILE_BYTES && /\.(md|markdown|mdown|mkd|txt)$/i.test(path)) {
        skipped.push({
          path,
          message: `too large to import (${(file.size / 1048576).toFixed(1)} MB; at most 10 MB)`,
        });
        continue;
      }
      total += file.size;
      if (total > IMPORT_MAX_TOTAL_BYTES)
        return setStep({
          kind: 'failed',
          message: 'These files are more than 40 MB together: import fewer at a time.',
        });
      try {
        files.push({ path, data: new Uint8Array(await file.arrayBuffer()) });
      } catch {
        skipped.push({ path, message: 'could not be read from the disk' });
      }
    }
    if (files.length === 0)
      return setStep({ kind: 'done', result: emptyImportResult(skipped), undone: false });
    const id = newId(IdPrefix.importRun);
    importId.current = id;
    const result = await api.invoke('import.markdown', {
      accountId: props.accountId,
      notebookId: props.notebookId,
      parentId,
      importId: id,
      files,
      skipped,
    });
    importId.current = null;
    if (!result.ok) return setStep({ kind: 'failed', message: result.error.message });
    setStep({ kind: 'done', result: result.value, undone: false });
    if (result.value.rootId && !result.value.cancelled)
      notify(`Imported ${plural(result.value.pages, 'page')}`);
  };

  // A drop on the sidebar starts the import as the dialog opens (once: the dialog is made per drop).
  const dropped = useRef(props.dropped);
  useEffect(() => {
    const files = dropped.current;
    dropped.current = undefined;
    if (files) void start(files.files, files.parentId);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once, for the drop that opened the dialog
  }, []);

  const cancel = (): void => {
    if (importId.current)
      void api.invoke('import.cancel', { accountId: props.accountId, importId: importId.current });
  };

  const undo = async (result: ImportResultView): Promise<void> => {
    if (!result.rootId) return;
    const done = await api.invoke('node.trash', { accountId: props.accountId, nodeId: result.rootId });
    if (!done.ok) return notify(`Could not undo the import: ${done.error.message}`);
    setStep({ kind: 'done', result, undone: true });
    notify('Import moved to the trash', {
      label: 'Restore',
      run: () => void api.invoke('node.restore', { accountId: props.accountId, nodeId: result.rootId! }),
    });
  };

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    if (step.kind !== 'choose') return;
    void filesFromDrop(event.dataTransfer).then(start);
  };

  const running = step.kind === 'running';
  return (
    <dialog
      ref={ref}
      className="dialog import-dialog"
      aria-labelledby={`${targetId}-title`}
      onClose={props.onClose}
      onCancel={(event) => {
        // Esc while it runs cancels the import first; the dialog closes when main has answered.
        if (running) {
          event.preventDefault();
          cancel();
        }
      }}
    >
      <h2 className="dialog-title" id={`${targetId}-title`}>
        Import Markdown
      </h2>
      <div className="dialog-body">
        {step.kind === 'choose' ? (
          <>
            <p className="import-hint">
              A folder becomes a section with a page per file (subfolders hold their pages); links between the
              files become links between the pages, and the images they show are attached.
            </p>
            <label className="import-target" htmlFor={targetId}>
              Import into
              <select id={targetId} value={target} onChange={(event) => setTarget(event.target.value)}>
                <option value="">A new section</option>
                {sections.map((section) => (
                  <option key={section.id} value={section.id}>
                    {section.name || 'Untitled section'}
                  </option>
                ))}
              </select>
            </label>
            <div
              className={dragging ? 'import-drop dragging' : 'import-drop'}
              onDragOver={(event) => {
                event.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
            >
              <span>Drop Markdown files, a folder or a .zip of them here, or</span>
              <span className="import-pick">
                <button type="button" className="button" onClick={() => filesInput.current?.click()}>
                  Choose files…
                </button>
                <button type="button" className="button" onClick={() => folderInput.current?.click()}>
                  Choose a folder…
                </button>
                <input
                  ref={filesInput}
                  type="file"
                  multiple
                  accept=".md,.markdown,.mdown,.mkd,.txt,.zip,text/markdown,text/plain,application/zip"
                  hidden
                  data-testid="import-files"
                  onChange={(event) => void start(filesFromInput(event.target.files))}
                />
                <input
                  ref={(input) => {
                    folderInput.current = input;
                    input?.setAttribute('webkitdirectory', '');
                  }}
                  type="file"
                  hidden
                  data-testid="import-folder"
                  onChange={(event) => void start(filesFromInput(event.target.files))}
                />
              </span>
            </div>
          </>
        ) : step.kind === 'running' ? (
          <div className="import-progress">
            <label htmlFor={`${targetId}-progress`}>
              {step.total === null ? 'Reading the files…' : `Importing… ${step.done} of ${step.total}`}
            </label>
            {step.total === null ? (
              <progress id={`${targetId}-progress`} />
            ) : (
              <progress id={`${targetId}-progress`} max={Math.max(1, step.total)} value={step.done} />
            )}
          </div>
        ) : step.kind === 'failed' ? (
          <p role="alert" className="import-error">
            Nothing was imported: {step.message}
          </p>
        ) : (
          <ImportReport result={step.result} undone={step.undone} />
        )}
      </div>
      <div className="dialog-actions">
        {running ? (
          <button type="button" className="button" onClick={cancel}>
            Cancel import
          </button>
        ) : step.kind === 'done' && step.result.rootId && !step.undone && !step.result.cancelled ? (
          <>
            <button type="button" className="button" onClick={() => void undo(step.result)}>
              Undo import
            </button>
            <button
              type="button"
              className="button primary"
              autoFocus
              onClick={() => {
                props.onOpen(step.result.firstPageId ?? step.result.rootId!);
                props.onClose();
              }}
            >
              Open
            </button>
          </>
        ) : (
          <button type="button" className="button" onClick={props.onClose}>
            {step.kind === 'choose' ? 'Cancel' : 'Close'}
          </button>
        )}
      </div>
    </dialog>
  );
}

function ImportReport({ result, undone }: { result: ImportResultView; undone: boolean }) {
  const summary = result.cancelled
    ? 'Import cancelled: nothing was kept.'
    : undone
      ? 'The import is in the trash (restore it from there).'
      : result.rootId === null
        ? 'Nothing could be imported.'
        : `Imported ${plural(result.pages, 'page')}, ${plural(result.attachments, 'attachment')} and ${plural(result.links, 'link')} between pages.`;
  return (
    <div className="import-report">
      <p role="status">{summary}</p>
      {result.problems.length > 0 ? (
        <>
          <h3 className="import-problems-title">
            {plural(result.problems.length, 'file or link', 'files or links')} could not be used
          </h3>
          <ul className="import-problems" aria-label="What could not be imported">
            {result.problems.map((problem, i) => (
              <li key={`${problem.path}-${i}`}>
                <span className="import-problem-path">{problem.path}</span> {problem.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
