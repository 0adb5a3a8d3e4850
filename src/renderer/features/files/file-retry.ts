/** The first retry after a failed download of a shown file, doubled after each failure up to the cap. */
export const BYTES_RETRY_FIRST_MS = 1_000;
export const BYTES_RETRY_MAX_MS = 30_000;

/** How long to wait before the attempt after `failures` failed ones: 1 s, 2 s, 4 s … 30 s. */
export const bytesRetryDelay = (failures: number): number =>
  Math.min(BYTES_RETRY_MAX_MS, BYTES_RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
