import { useCallback, useEffect } from 'react';
import type { ExportFormat } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useLatest } from '../../lib/latest';
import { useLiveQuery } from '../../lib/live-query';
import { useToasts } from '../../ui/toast';
import './print.css';

/** Window event that exports the shown page (the palette, the application menu, Mod+P); detail: the format. */
export const EXPORT_PAGE_EVENT = 'hoody:export-page';

export const requestPageExport = (format: ExportFormat): void => {
  window.dispatchEvent(new CustomEvent<ExportFormat>(EXPORT_PAGE_EVENT, { detail: format }));
};

/**
 * Exports a page by id (the tree row's menu exports pages that are not open). Markdown and HTML are written by
 * main: on the desktop through a save dialog, in browser mode handed back and offered as a download.
 */
export function useNodeExport(accountId: string): (nodeId: string, format: 'markdown' | 'html') => void {
  const api = useApi();
  const { check, notify } = useToasts();
  return useCallback(
    (nodeId: string, format: 'markdown' | 'html') => {
      const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
      void api.invoke('export.page', { accountId, nodeId, format, theme }).then((result) => {
        const value = check(result, 'export the page');
        if (!value || value.kind === 'cancelled') return;
        if (value.kind === 'saved') return notify(`Exported to ${value.path}`);
        downloadFile(value.fileName, value.mimeType, value.text);
        notify(`Exported “${value.fileName}”`);
      });
    },
    [api, accountId, check, notify],
  );
}

/**
 * Exports the open page (useNodeExport). PDF is the window's own print (the print stylesheet leaves only the
 * title and the page): the desktop saves Electron's printToPDF of it, the browser opens its print dialog.
 */
export function usePageExport(accountId: string, nodeId: string): (format: ExportFormat) => void {
  const api = useApi();
  const { check, notify } = useToasts();
  const exportNode = useNodeExport(accountId);
  const info = useLiveQuery(
    'info',
    (a) => a.invoke('app.info', {}),
    () => () => undefined,
  );
  const mode = info.data?.mode;
  const run = useCallback(
    (format: ExportFormat) => {
      if (format !== 'pdf') return exportNode(nodeId, format);
      if (mode !== 'electron') {
        window.print();
        return;
      }
      const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
      void api.invoke('export.page', { accountId, nodeId, format, theme }).then((result) => {
        const value = check(result, 'export the page');
        if (value?.kind === 'saved') notify(`Exported to ${value.path}`);
      });
    },
    [api, accountId, nodeId, mode, check, notify, exportNode],
  );
  const latest = useLatest(run);
  useEffect(() => {
    const onRequest = (event: Event): void => latest.current((event as CustomEvent<ExportFormat>).detail);
    window.addEventListener(EXPORT_PAGE_EVENT, onRequest);
    return () => window.removeEventListener(EXPORT_PAGE_EVENT, onRequest);
  }, [latest]);
  return run;
}

/** Browser mode: the text or bytes as a file download (a blob URL, revoked once the browser has taken it). */
export function downloadFile(fileName: string, mimeType: string, content: string | Uint8Array): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
