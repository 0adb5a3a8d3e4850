import type { TransferView } from '../../../shared/contract';
import { formatFileSize } from '../../../shared/model/file-types';

/** Whole percent done, 100 for an empty file (nothing to move). */
export function percentDone(done: number, total: number): number {
  return total <= 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

/** "8 s left", "3 min left", "1 h 5 min left"; null without a speed to go by. */
export function timeLeft(total: number, done: number, bytesPerSecond: number | null): string | null {
  if (!bytesPerSecond || bytesPerSecond <= 0 || total <= 0) return null;
  const seconds = Math.max(1, Math.round(Math.max(0, total - done) / bytesPerSecond));
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** "45% · 1.2 MB of 2.6 MB · 300 KB/s · 5 s left": how far a transfer is, as much as is known. */
export function progressText(t: Pick<TransferView, 'size' | 'doneBytes' | 'bytesPerSecond'>): string {
  const parts =
    t.size > 0
      ? [
          `${percentDone(t.doneBytes, t.size)}%`,
          `${formatFileSize(t.doneBytes)} of ${formatFileSize(t.size)}`,
        ]
      : [formatFileSize(t.doneBytes)];
  if (t.bytesPerSecond) parts.push(`${formatFileSize(t.bytesPerSecond)}/s`);
  const left = timeLeft(t.size, t.doneBytes, t.bytesPerSecond);
  if (left) parts.push(left);
  return parts.join(' · ');
}

/** What a transfer is doing, in words, for its line in the Transfers view. */
export function transferStatusText(t: TransferView): string {
  if (t.direction === 'download')
    return t.status === 'failed' ? 'Download failed' : `Downloading · ${progressText(t)}`;
  switch (t.status) {
    case 'active':
      return `Uploading · ${progressText(t)}`;
    case 'waiting':
      return `Waiting to upload · ${progressText(t)}`;
    case 'paused':
      return `Upload paused · ${progressText(t)}`;
    case 'failed':
      return 'Not uploaded · kept on this device';
  }
}
