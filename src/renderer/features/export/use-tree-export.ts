import { useEffect } from 'react';
import { useApi } from '../../lib/client';
import { useLatest } from '../../lib/latest';
import { useToasts } from '../../ui/toast';
import { downloadFile } from './use-page-export';

/** Window event that exports a section or page tree (detail: its id) or the whole notebook (detail: null). */
export const EXPORT_TREE_EVENT = 'hoody:export-tree';

export const requestTreeExport = (nodeId: string | null): void => {
  window.dispatchEvent(new CustomEvent<string | null>(EXPORT_TREE_EVENT, { detail: nodeId }));
};

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

/**
 * Exports a section, a page with its pages, or the notebook as a zip of Markdown files (main builds it): on the
 * desktop through a save dialog, in browser mode as a download. The toast says what is in it.
 */
export function useTreeExport(accountId: string, notebookId: string | null): void {
  const api = useApi();
  const { check, notify } = useToasts();
  const run = (nodeId: string | null): void => {
    if (!notebookId) return;
    void api.invoke('export.tree', { accountId, notebookId, nodeId }).then((result) => {
      const value = check(result, 'export as Markdown');
      if (!value || value.kind === 'cancelled') return;
      const left = value.skipped > 0 ? ` (${plural(value.skipped, 'database or channel')} left out)` : '';
      const what = `${plural(value.pages, 'page')} and ${plural(value.files, 'file')}${left}`;
      if (value.kind === 'saved') return notify(`Exported ${what} to ${value.path}`);
      downloadFile(value.fileName, value.mimeType, value.data);
      notify(`Exported “${value.fileName}”: ${what}`);
    });
  };
  const latest = useLatest(run);
  useEffect(() => {
    const onRequest = (event: Event): void => latest.current((event as CustomEvent<string | null>).detail);
    window.addEventListener(EXPORT_TREE_EVENT, onRequest);
    return () => window.removeEventListener(EXPORT_TREE_EVENT, onRequest);
  }, [latest]);
}
