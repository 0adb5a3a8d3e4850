import { fromBase64, toBase64 } from '../lib/base64';
import type { ErrorEnvelope, Result } from '../lib/result';

/**
 * Browser mode carries the same contract over a local WebSocket as JSON text frames. Byte arrays (Yjs
 * updates) travel as `{"$bytes": "<base64>"}`; nothing else in the contract is binary.
 */
export const WIRE_VERSION = 1;

export type ClientFrame =
  { t: 'invoke'; id: number; name: string; input: unknown } | { t: 'hello'; v: number };

export type ServerFrame =
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; name: string; payload: unknown }
  | { t: 'welcome'; v: number }
  /**
   * A frame the core could not take. `id` is the invoke's when it could be read (even from a frame that did
   * not parse: see `invokeIdOf`), so that call fails at once instead of waiting forever for a result.
   */
  | { t: 'error'; id?: number; error: ErrorEnvelope };

/**
 * The largest frame either side takes (the core's socket closes on a bigger one). Big enough for the state of a
 * very large document, small enough that a hostile frame can't exhaust memory.
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * The id of an invoke frame, read from its head without parsing the rest: `encodeFrame` writes
 * `{"t":"invoke","id":N,…` (keys in insertion order), so a frame whose body is malformed (bad JSON, bad
 * base64 in an update) can still be answered for the call that sent it. Null when the head is not that.
 */
export function invokeIdOf(text: string): number | null {
  const match = /^\{"t":"invoke","id":(\d{1,15})[,}]/.exec(text.slice(0, 40));
  return match ? Number(match[1]) : null;
}

const BYTES_KEY = '$bytes';

export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  // Read the holder's raw value: JSON.stringify applies Buffer#toJSON ({type:'Buffer', data}) before the
  // replacer sees it, and main hands out Node Buffers (SQLite blobs) as well as plain Uint8Arrays.
  return JSON.stringify(frame, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { [BYTES_KEY]: toBase64(raw) } : value;
  });
}

/** Parses a frame, reviving byte arrays. Throws on malformed JSON or base64; callers answer with an error. */
export function decodeFrame(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const encoded = record[BYTES_KEY];
      if (typeof encoded === 'string' && Object.keys(record).length === 1) return fromBase64(encoded);
    }
    return value;
  });
}
