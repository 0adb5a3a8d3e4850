/** Standard-alphabet base64 for Uint8Array, without Buffer or atob so it runs in every process. */
const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < CHARS.length; i++) LOOKUP[CHARS.charCodeAt(i)] = i;

const CODES = Uint8Array.from(CHARS, (char) => char.charCodeAt(0));
const PAD = '='.charCodeAt(0);
const ASCII = new TextDecoder();

/**
 * The characters' codes go into one byte array that is decoded once: building the string by concatenation
 * (four one-character strings per 3 bytes) took ~2 s and most of a GC's work for the ~4 MB update of a 2 MB
 * paste, and such an update is encoded on every hop (tab to core, outbox, server stream, core to tab).
 */
export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const full = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - full;
  if (rest > 0) {
    const n = (bytes[full]! << 16) | (rest === 2 ? bytes[full + 1]! << 8 : 0);
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63]! : PAD;
    out[o] = PAD;
  }
  return ASCII.decode(out);
}

/**
 * Whether `text` is standard base64: length a multiple of 4, the 64-character alphabet, `=` padding (one or
 * two) only at the end. A loop, not a regex: V8's regex engine runs out of stack on a pattern with a
 * repeated group over a few MB (a 2 MB paste is a ~5 MB update; issue 10), and this is linear.
 */
export function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const end = text.length - padding;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || LOOKUP[code]! < 0) return false;
  }
  return true;
}

/** Throws on anything that is not standard base64 (see isBase64). */
export function fromBase64(text: string): Uint8Array {
  if (!isBase64(text)) throw new Error('invalid base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = LOOKUP[text.charCodeAt(i)]!;
    const b = LOOKUP[text.charCodeAt(i + 1)]!;
    const c = LOOKUP[text.charCodeAt(i + 2)]!;
    const d = LOOKUP[text.charCodeAt(i + 3)]!;
    const n = (a << 18) | (b << 12) | ((c < 0 ? 0 : c) << 6) | (d < 0 ? 0 : d);
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
