import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A real server on a free port with its own temp data dir, started before and closed after the file's tests. */
export function useServer(options: Omit<ServerOptions, 'port' | 'dataDir'> = {}) {
  const state: { server?: RunningServer; dir?: string } = {};
  before(async () => {
    state.dir = await mkdtemp(join(tmpdir(), 'notes-server-test-'));
    state.server = await startServer({ ...options, port: 0, dataDir: state.dir });
  });
  after(async () => {
    await state.server?.close();
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  const server = (): RunningServer => {
    if (!state.server) throw new Error('server not started');
    return state.server;
  };
  return {
    server,
    /** The server's data dir (tests that look at files on disk). */
    dataDir: (): string => {
      if (!state.dir) throw new Error('server not started');
      return state.dir;
    },
    /** A client for a fresh user (or the given username). */
    client: (username = `user${Math.random().toString(36).slice(2, 10)}`) =>
      new Client(server().url, server().createToken(username), username),
  };
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
    readonly username: string,
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    const allHeaders = init.headers as Record<string, string>;
    if (this.token !== null) allHeaders.authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      allHeaders['content-type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}/api/v1/notes${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (Markdown, metrics): keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get = <T = Record<string, unknown>>(path: string) => this.request<T>('GET', path);
  post = <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, body ?? {}, headers);
  patch = <T = Record<string, unknown>>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  put = <T = Record<string, unknown>>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  delete = <T = Record<string, unknown>>(path: string) => this.request<T>('DELETE', path);

  /** `/me`, provisioning the default notebook. */
  async me(): Promise<{ userId: string; username: string; role: string; notebookId: string }> {
    const response = await this.get<{ userId: string; username: string; role: string; notebookId: string }>(
      '/me',
    );
    if (response.status !== 200) throw new Error(`/me failed: ${response.text}`);
    return response.body;
  }

  /** Creates a node through REST and returns its body (asserting 201). */
  async createNode(
    notebookId: string,
    type: string,
    parentId: string | null,
    attributes: Record<string, unknown> = {},
  ): Promise<{ id: string; rootId: string } & Record<string, unknown>> {
    const response = await this.post<{ id: string; rootId: string }>(`/notebooks/${notebookId}/nodes`, {
      type,
      parentId,
      attributes: { name: `${type} ${Math.random().toString(36).slice(2, 6)}`, ...attributes },
    });
    if (response.status !== 201)
      throw new Error(`create ${type} failed: ${response.status} ${response.text}`);
    return response.body;
  }
}

/** Asserts the error envelope shape and returns it. */
export function envelope(body: unknown): {
  message: string;
  code: string;
  details: { path: string; message: string }[];
} {
  const value = body as { message?: unknown; code?: unknown; details?: unknown };
  if (typeof value.message !== 'string' || typeof value.code !== 'string' || !Array.isArray(value.details)) {
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`);
  }
  return value as { message: string; code: string; details: { path: string; message: string }[] };
}

export interface ServerProcess {
  process: ChildProcess;
  url: string;
  /** Resolves with the signal that ended the process (null for a normal exit). */
  exited: Promise<NodeJS.Signals | null>;
}

/** `npm run server` as a child process on a free port; resolves once it prints `listening on …`. */
export async function spawnServer(
  dataDir: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--data', dataDir, ...args],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      // Later output is the server's request log: keep reading it (a full pipe would stall the server), not keeping it.
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    void exited.then(() => reject(new Error(`server exited before listening: ${stderr}`)));
  });
  return { process: child, url, exited };
}
