/**
 * Image types shown inline as images; anything else (and SVG is an image here) goes in a file block. Its own
 * module, free of the editor stack, because the main process serves files with it at start-up.
 */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/svg+xml',
]);
