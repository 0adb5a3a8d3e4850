import { protocol } from 'electron';
import { Readable } from 'node:stream';
import type { AppCore } from '../core/app-core';
import { serveFile } from '../files/file-serving';
import { readStaticFile } from '../web/static';
import { SECURITY_HEADERS } from '../security/csp';
import { APP_HOST, APP_SCHEME } from '../security/window-policy';

/** Must run before `app.ready`: makes `app://` a secure standard scheme (instead of `file://`). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer from `rendererDir` (traversal attempts get 404, resolveStaticPath) and the
 * account's files under `/files/…` (file-serving.ts): only our own pages load from `app://`.
 */
export function serveAppProtocol(rendererDir: string, core: AppCore): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host === APP_HOST && url.pathname.startsWith('/files/')) {
      const reply = await serveFile(core, url.pathname);
      const body = reply.body ? (Readable.toWeb(Readable.from(reply.body())) as ReadableStream) : null;
      return new Response(body, { status: reply.status, headers: reply.headers });
    }
    const file = url.host === APP_HOST ? await readStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType },
    });
  });
}
