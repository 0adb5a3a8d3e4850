import type * as z from 'zod';
import {
  ServerFrameSchema,
  StreamItemSchemas,
  type ServerFrame,
  type StreamSpec,
  streamKey,
} from '../../shared/api/sync-protocol';
import { parseSafely } from '../../shared/lib/parse-safely';

/** A server frame the client refuses: nothing of it is applied, and the connection is reset. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

const MAX_ISSUES_SHOWN = 3;

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map((issue) => `${issue.path.join('.') || '(frame)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses one socket text frame with the protocol's schemas before anything touches the replica. Beyond the
 * shapes: a `sync.output` must answer its own stream (`id` is the stream's key), its cursors must ascend, and
 * every item must belong to the notebook (and root) of that stream. Any failure throws a `FrameError`.
 */
export function parseServerFrame(text: string): ServerFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FrameError('the server sent a frame that is not JSON');
  }
  const parsed = parseSafely(ServerFrameSchema, json);
  if (!parsed.success) throw new FrameError(`the server sent an invalid frame (${describe(parsed.error)})`);
  const frame = parsed.data;
  if (frame.type !== 'sync.output') return frame;
  const { stream } = frame;
  if (frame.id !== streamKey(stream))
    throw new FrameError(`the server answered stream ${streamKey(stream)} under the id ${frame.id}`);
  const schema: z.ZodType<unknown> = StreamItemSchemas[stream.type];
  let previous = -1n;
  const items = frame.items.map((item, index) => {
    const cursor = BigInt(item.cursor);
    if (cursor <= previous) throw new FrameError(`${stream.type} items are not in ascending order`);
    previous = cursor;
    const data = parseSafely(schema, item.data);
    if (!data.success)
      throw new FrameError(
        `the server sent an invalid ${stream.type} item ${index} (${describe(data.error)})`,
      );
    checkScope(stream, data.data, index);
    return { cursor: item.cursor, data: data.data };
  });
  return { ...frame, items } as ServerFrame;
}

function checkScope(stream: StreamSpec, data: unknown, index: number): void {
  const scoped = data as { notebookId: string; rootId?: string };
  const wrongRoot = 'rootId' in stream && scoped.rootId !== stream.rootId;
  if (scoped.notebookId !== stream.notebookId || wrongRoot)
    throw new FrameError(`${stream.type} item ${index} belongs to another notebook or section`);
}
