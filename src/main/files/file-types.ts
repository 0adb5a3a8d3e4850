/**
 * What a file is, from its first bytes rather than its name: a file renamed to `.png` that is not a PNG must
 * not become an image block (it is attached as a file instead), and a name never decides how bytes are shown.
 */

const SIGNATURES: readonly { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: 'image/png', test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', test: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { type: 'image/webp', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { type: 'image/avif', test: (b) => ascii(b, 4, 'ftypavif') || ascii(b, 4, 'ftypavis') },
  { type: 'image/bmp', test: (b) => ascii(b, 0, 'BM') && b.length > 14 },
  { type: 'application/pdf', test: (b) => ascii(b, 0, '%PDF-') },
];

function starts(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, i) => bytes[i] === value);
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** An SVG: XML text whose first element is `<svg` (shown only as an image, never as a document). */
function isSvg(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 1024)).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text);
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The media type a file is stored with: what its bytes say for images and PDFs; otherwise the type the caller
 * gave (or the name's extension), except that an image type the bytes do not bear out becomes
 * `application/octet-stream`.
 */
export function detectMimeType(head: Uint8Array, claimed: string | undefined, name: string): string {
  const sniffed = SIGNATURES.find((signature) => signature.test(head))?.type;
  if (sniffed) return sniffed;
  if (isSvg(head)) return 'image/svg+xml';
  const extension = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const given = claimed?.toLowerCase() ?? BY_EXTENSION[extension] ?? 'application/octet-stream';
  return given.startsWith('image/') || given === 'application/pdf' ? 'application/octet-stream' : given;
}
