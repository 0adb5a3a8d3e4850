import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  MAX_FRAME_BYTES,
  WIRE_VERSION,
  decodeFrame,
  encodeFrame,
  invokeIdOf,
  type ServerFrame,
} from '../../shared/contract/wire';
import { ErrorCode } from '../../shared/lib/result';
import type { AppCore } from '../core/app-core';
import { deliversTo } from '../lib/events';
import { SECURITY_HEADERS } from '../security/csp';
import { serveFile } from '../files/file-serving';
import { readStaticFile } from './static';

export interface BrowserModeOptions {
  core: AppCore;
  staticDir: string;
  port?: number;
  host?: string;
  /**
   * The access key (base64url). Default: a new random one. The CLI passes the one saved for the data dir, so
   * tabs open on a previous run of this core get back in after a restart (see `session-file.ts`).
   */
  secret?: string;
}

export interface BrowserMode {
  /** Open this in a browser; the secret travels in the fragment, which is never sent to a server. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const IPC_PATH = '/ipc';

/**
 * Browser mode: the built renderer over HTTP and the contract over a WebSocket, on loopback only. A random
 * secret (per run, or per data dir when the CLI passes the saved one) plus an exact Origin check keep other
 * local users' pages and other sites out. Each socket is one IPC sender: it gets every event except a
 * document update it made itself and events addressed to another sender (`deliversTo`).
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`Browser mode only listens on loopback, not ${host}`);
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const server = createServer((request, response) => void serveStatic(options, request, response, secret));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let origin = '';
  let nextSender = 1;

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (
      url.pathname !== IPC_PATH ||
      request.headers.origin !== origin ||
      !secretMatches(url.searchParams.get('k'), secret)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws, `web-${nextSender++}`));
  });

  const attach = (ws: WebSocket, senderId: string): void => {
    const send = (frame: ServerFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(frame));
    };
    const unsubscribe = options.core.events.on((event) => {
      if (deliversTo(event, senderId)) send({ t: 'event', name: event.name, payload: event.payload });
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      unsubscribe();
      options.core.senderGone(senderId);
    });
    ws.on('message', (data, isBinary) => {
      void handleFrame(options.core, senderId, data, isBinary, send);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host === '::1' ? '[::1]' : host;
  origin = `http://${displayHost}:${port}`;
  return {
    url: `${origin}/#k=${secret}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handleFrame(
  core: AppCore,
  senderId: string,
  data: unknown,
  isBinary: boolean,
  send: (frame: ServerFrame) => void,
): Promise<void> {
  let frame: unknown;
  const text = isBinary ? '' : String(data);
  try {
    if (isBinary) throw new Error('binary frames are not part of the protocol');
    frame = decodeFrame(text);
  } catch (error) {
    // Answered for the call that sent it when its id can be read: the tab's call (a save, say) then fails
    // with a reason instead of waiting for a result that never comes ("Saving…" for good).
    const id = invokeIdOf(text);
    const reason = error instanceof Error ? error.message : String(error);
    send({
      t: 'error',
      ...(id === null ? {} : { id }),
      error: {
        message: 'The app core could not read this request (malformed frame)',
        code: ErrorCode.badRequest,
        details: [{ path: 'frame', message: reason.slice(0, 200) }],
      },
    });
    return;
  }
  if (isHelloFrame(frame)) {
    // The tab's heartbeat: a core that answers is alive (a half-open socket is found by the missing answer).
    send({ t: 'welcome', v: WIRE_VERSION });
    return;
  }
  if (!isInvokeFrame(frame)) {
    send({
      t: 'error',
      error: {
        message: 'Unknown frame',
        code: ErrorCode.badRequest,
        details: [{ path: 't', message: 'expected invoke' }],
      },
    });
    return;
  }
  const result = await core.router.dispatch(frame.name, frame.input, { senderId });
  send({ t: 'result', id: frame.id, result });
}

function isHelloFrame(frame: unknown): boolean {
  return typeof frame === 'object' && frame !== null && (frame as Record<string, unknown>).t === 'hello';
}

function isInvokeFrame(frame: unknown): frame is { t: 'invoke'; id: number; name: unknown; input: unknown } {
  if (typeof frame !== 'object' || frame === null) return false;
  const record = frame as Record<string, unknown>;
  return record.t === 'invoke' && typeof record.id === 'number' && Number.isSafeInteger(record.id);
}

function secretMatches(given: string | null, secret: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveStatic(
  { staticDir: root, core }: BrowserModeOptions,
  request: IncomingMessage,
  response: ServerResponse,
  secret: string,
): Promise<void> {
  const headers = { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' };
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === IPC_PATH && request.method === 'HEAD') {
    // A tab whose socket keeps failing asks whether its key is still the one (a core restarted with
    // `--new-key`, or another core on this port): 204 yes, 403 no. Nothing else is answered here.
    response.writeHead(secretMatches(url.searchParams.get('k'), secret) ? 204 : 403, headers).end();
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.pathname.startsWith('/files/')) {
    // A file's bytes (images in pages): the tab's key in the query, as for the socket (an <img> sends no header).
    if (!secretMatches(url.searchParams.get('k'), secret)) {
      response.writeHead(403, headers).end();
      return;
    }
    const reply = await serveFile(core, url.pathname);
    response.writeHead(reply.status, reply.headers);
    if (!reply.body || request.method === 'HEAD') response.end();
    else
      reply
        .body()
        .on('error', () => response.destroy())
        .pipe(response);
    return;
  }
  const file = await readStaticFile(root, url.pathname);
  if (!file) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}
