import * as z from 'zod';
import { brokenAnswer, cantReach } from './network-error';
import { API_PREFIX } from '../../shared/api/common';
import { CommentOutput, type CommentAnchorInput } from '../../shared/api/comments';
import {
  Identity,
  InviteUsersResponse,
  Notebook,
  NotebookList,
  NotebookUser,
} from '../../shared/api/notebooks';
import { SocketInitResponse } from '../../shared/api/sync-protocol';
import { VersionList, VersionOutput, VersionSummary, type VERSION_KINDS } from '../../shared/api/versions';
import { AppError, ErrorCode } from '../../shared/lib/result';
import type { Mutation, MutationResult } from '../../shared/model/mutations';
import type { NotebookRole } from '../../shared/model/roles';
import { parseSafely } from '../../shared/lib/parse-safely';

/** Why a request to a server failed, in the terms the sync engine decides on. */
export const ServerFailure = {
  /** No answer at all (DNS, refused, reset, timeout): transient. */
  unreachable: 'unreachable',
  /** 401: the token is wrong or revoked. */
  unauthorized: 'unauthorized',
  /** Answers, but not like a Hoody Notes server. */
  notAServer: 'not_a_server',
  /** 429 or 5xx: transient. */
  transient: 'transient',
  /** Any other 4xx: permanent for this request. */
  rejected: 'rejected',
} as const;
export type ServerFailure = (typeof ServerFailure)[keyof typeof ServerFailure];

export class ServerRequestError extends Error {
  constructor(
    readonly failure: ServerFailure,
    message: string,
    readonly status: number | null = null,
    /** Milliseconds from `Retry-After`, when the server sent one. */
    readonly retryAfterMs: number | null = null,
    /** The refusal's `details` (`{path, message}` of each problem), when the server sent them. */
    readonly details: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ServerRequestError';
  }

  get transient(): boolean {
    return this.failure === ServerFailure.unreachable || this.failure === ServerFailure.transient;
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

const Health = z.object({ status: z.literal('ok'), service: z.literal('notes') });
const NodeCount = z.object({ total: z.number().int().min(0) });
const CommentList = z.object({ comments: z.array(CommentOutput) });
const MutationResults = z.object({
  results: z.array(z.object({ id: z.string(), status: z.number().int() })).optional(),
});

/** `https://host/` → `https://host` (the API prefix is appended per request). */
/** Where a server address typed without a scheme is taken as http:// (this machine); anywhere else https://. */
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i;

/**
 * A server address as typed → its canonical form. "127.0.0.1:7420" and "localhost:7420" mean http://, any
 * other address without a scheme ("notes.example.com") https://; an explicit http:// or https:// is kept.
 */
export function normalizeServerUrl(serverUrl: string): string {
  const typed = serverUrl.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed)
    ? typed
    : `${LOOPBACK_HOST.test(typed) ? 'http' : 'https'}://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError(ErrorCode.badRequest, 'That is not a valid server address', [
      { path: 'serverUrl', message: 'expected e.g. notes.example.com or http://127.0.0.1:7420' },
    ]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(ErrorCode.badRequest, 'The server address must start with http:// or https://', [
      { path: 'serverUrl', message: `unsupported protocol ${url.protocol}` },
    ]);
  }
  return url.toString().replace(/\/+$/, '');
}

export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The REST calls the desktop makes to a Hoody Notes server (`/api/v1/notes`). */
export class ServerClient {
  readonly baseUrl: string;

  constructor(
    serverUrl: string,
    private readonly token: string,
  ) {
    this.baseUrl = normalizeServerUrl(serverUrl) + API_PREFIX;
  }

  /** Checks that this is a Hoody Notes server and the token works; answers who the token belongs to. */
  async verify(): Promise<z.infer<typeof Identity>> {
    const health = await this.request('GET', '/health', undefined, false);
    if (!parseSafely(Health, health).success) {
      throw new ServerRequestError(
        ServerFailure.notAServer,
        'its /health does not answer {"status":"ok","service":"notes"}',
      );
    }
    return this.parse(Identity, await this.request('GET', '/me'));
  }

  async notebooks(): Promise<Notebook[]> {
    return this.parse(NotebookList, await this.request('GET', '/notebooks')).notebooks;
  }

  /** One notebook; a 403 or 404 is the server saying it is no longer the caller's (or no longer exists). */
  async notebook(notebookId: string): Promise<Notebook> {
    return this.parse(Notebook, await this.request('GET', `/notebooks/${encodeURIComponent(notebookId)}`));
  }

  /**
   * Creates a notebook owned by the caller (moving a Local notebook to this server). The same
   * `idempotencyKey` and body again answer the notebook created the first time, never a second one.
   */
  async createNotebook(
    input: { name: string; description: string },
    idempotencyKey: string,
  ): Promise<Notebook> {
    return this.parse(
      Notebook,
      await this.request('POST', '/notebooks', input, true, { 'idempotency-key': idempotencyKey }),
    );
  }

  /** Renames a notebook (admin or owner); answers it as the server now has it. */
  async updateNotebook(notebookId: string, patch: { name: string; description?: string }): Promise<Notebook> {
    const path = `/notebooks/${encodeURIComponent(notebookId)}`;
    return this.parse(Notebook, await this.request('PATCH', path, patch));
  }

  /** Deletes a notebook with everything in it (owner only). */
  async deleteNotebook(notebookId: string): Promise<void> {
    await this.request('DELETE', `/notebooks/${encodeURIComponent(notebookId)}`);
  }

  /** How many nodes of a notebook the caller can read (initial-sync progress). */
  async nodeCount(notebookId: string): Promise<number> {
    const path = `/notebooks/${encodeURIComponent(notebookId)}/nodes?limit=1`;
    return this.parse(NodeCount, await this.request('GET', path)).total;
  }

  /** Invites members by username: the ones invited, and per-username errors (unknown user, already a member). */
  async inviteUsers(
    notebookId: string,
    users: readonly { username: string; role: NotebookRole }[],
  ): Promise<z.infer<typeof InviteUsersResponse>> {
    const path = `/notebooks/${encodeURIComponent(notebookId)}/users`;
    return this.parse(InviteUsersResponse, await this.request('POST', path, { users }));
  }

  /** A member's notebook role; `none` removes them. Answers the member as the server now has them. */
  async setUserRole(notebookId: string, userId: string, role: NotebookRole): Promise<NotebookUser> {
    const path = `/notebooks/${encodeURIComponent(notebookId)}/users/${encodeURIComponent(userId)}/role`;
    return this.parse(NotebookUser, await this.request('PATCH', path, { role }));
  }

  /** A page's comments, oldest first (up to 1,000). */
  async listComments(notebookId: string, nodeId: string): Promise<CommentOutput[]> {
    const path = `${this.nodePath(notebookId, nodeId)}/comments?limit=1000`;
    return this.parse(CommentList, await this.request('GET', path)).comments;
  }

  /** Posts a comment; the same `idempotencyKey` again answers the comment made the first time. */
  async createComment(
    notebookId: string,
    nodeId: string,
    body: { content: string; parentId?: string; anchor?: CommentAnchorInput },
    idempotencyKey: string,
  ): Promise<CommentOutput> {
    const path = `${this.nodePath(notebookId, nodeId)}/comments`;
    return this.parse(
      CommentOutput,
      await this.request('POST', path, body, true, { 'idempotency-key': idempotencyKey }),
    );
  }

  /** `expectedVersion`: the version this edit was made on (a 409 when someone changed it since). */
  async editComment(
    notebookId: string,
    nodeId: string,
    commentId: string,
    content: string,
    expectedVersion: number,
  ): Promise<CommentOutput> {
    const path = this.commentPath(notebookId, nodeId, commentId);
    return this.parse(CommentOutput, await this.request('PATCH', path, { content, expectedVersion }));
  }

  async resolveComment(notebookId: string, nodeId: string, commentId: string): Promise<CommentOutput> {
    const path = `${this.commentPath(notebookId, nodeId, commentId)}/resolve`;
    return this.parse(CommentOutput, await this.request('POST', path, {}));
  }

  async reopenComment(notebookId: string, nodeId: string, commentId: string): Promise<CommentOutput> {
    const path = `${this.commentPath(notebookId, nodeId, commentId)}/reopen`;
    return this.parse(CommentOutput, await this.request('POST', path, {}));
  }

  /** A thread's new anchor (its text was deleted and someone chose new text). */
  async reanchorComment(
    notebookId: string,
    nodeId: string,
    commentId: string,
    anchor: CommentAnchorInput,
  ): Promise<CommentOutput> {
    const path = `${this.commentPath(notebookId, nodeId, commentId)}/reanchor`;
    return this.parse(CommentOutput, await this.request('POST', path, { anchor }));
  }

  /** A comment, or a thread with its replies. */
  async deleteComment(notebookId: string, nodeId: string, commentId: string): Promise<void> {
    await this.request('DELETE', this.commentPath(notebookId, nodeId, commentId));
  }

  private commentPath(notebookId: string, nodeId: string, commentId: string): string {
    return `${this.nodePath(notebookId, nodeId)}/comments/${encodeURIComponent(commentId)}`;
  }

  private nodePath(notebookId: string, nodeId: string): string {
    return `/notebooks/${encodeURIComponent(notebookId)}/nodes/${encodeURIComponent(nodeId)}`;
  }

  /** One batch; a `{}` answer means every mutation applied. */
  async postMutations(notebookId: string, mutations: readonly Mutation[]): Promise<MutationResult[]> {
    const body = await this.request('POST', `/notebooks/${encodeURIComponent(notebookId)}/mutations`, {
      mutations,
    });
    const results = this.parse(MutationResults, body).results;
    return results ?? mutations.map((m) => ({ id: m.id, status: 200 }));
  }

  /** Every version of a page, newest first (the server's list is the truth for server accounts). */
  async listVersions(notebookId: string, nodeId: string): Promise<VersionSummary[]> {
    const versions: VersionSummary[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = this.parse(
        VersionList,
        await this.request('GET', `${this.versionsPath(notebookId, nodeId)}?limit=500&offset=${offset}`),
      );
      versions.push(...page.versions);
      if (page.versions.length < 500 || versions.length >= page.total) return versions;
    }
  }

  async getVersion(
    notebookId: string,
    nodeId: string,
    versionId: string,
  ): Promise<z.infer<typeof VersionOutput>> {
    const path = `${this.versionsPath(notebookId, nodeId)}/${encodeURIComponent(versionId)}`;
    return this.parse(VersionOutput, await this.request('GET', path));
  }

  /** Creates a version with a client id: the same id again answers the version made the first time. */
  async createVersion(
    notebookId: string,
    nodeId: string,
    body: { id: string; name: string | null; kind: (typeof VERSION_KINDS)[number]; content: unknown },
  ): Promise<VersionSummary> {
    return this.parse(
      VersionSummary,
      await this.request('POST', this.versionsPath(notebookId, nodeId), body),
    );
  }

  async renameVersion(
    notebookId: string,
    nodeId: string,
    versionId: string,
    name: string | null,
  ): Promise<void> {
    const path = `${this.versionsPath(notebookId, nodeId)}/${encodeURIComponent(versionId)}`;
    await this.request('PATCH', path, { name });
  }

  async deleteVersion(notebookId: string, nodeId: string, versionId: string): Promise<void> {
    await this.request('DELETE', `${this.versionsPath(notebookId, nodeId)}/${encodeURIComponent(versionId)}`);
  }

  private versionsPath(notebookId: string, nodeId: string): string {
    return `/notebooks/${encodeURIComponent(notebookId)}/nodes/${encodeURIComponent(nodeId)}/versions`;
  }

  /** A file's TUS URL (the app names the file: creation and the upload share the URL; decision 0010). */
  fileUploadUrl(notebookId: string, fileId: string): string {
    return `${this.baseUrl}/notebooks/${encodeURIComponent(notebookId)}/files/${encodeURIComponent(fileId)}/tus`;
  }

  /** For requests made by other clients of the same server (tus-js-client). */
  authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** A file's bytes, as the server answers them (the caller streams the body to disk). */
  async downloadFile(notebookId: string, fileId: string, signal?: AbortSignal): Promise<Response> {
    return fetch(
      `${this.baseUrl}/notebooks/${encodeURIComponent(notebookId)}/files/${encodeURIComponent(fileId)}`,
      { headers: { authorization: this.authorization() }, ...(signal ? { signal } : {}) },
    );
  }

  /** A one-time socket URL (`POST /sockets` then `ws(s)://…/sockets/{id}`). */
  async socketUrl(): Promise<string> {
    const { id } = this.parse(SocketInitResponse, await this.request('POST', '/sockets'));
    return `${this.baseUrl.replace(/^http/, 'ws')}/sockets/${encodeURIComponent(id)}`;
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown): T {
    const parsed = parseSafely(schema, body);
    if (!parsed.success) {
      throw new ServerRequestError(
        ServerFailure.notAServer,
        'The server sent an answer this app does not understand',
      );
    }
    return parsed.data;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    authorized = true,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: {
          ...(authorized ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extraHeaders,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServerRequestError(ServerFailure.unreachable, cantReach(this.baseUrl, error));
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The answer broke off (connection reset, timeout) after its status: it was not read, so nothing of it
      // may be believed. Taken as "{}" it once confirmed a whole mutation batch, refusals included.
      throw new ServerRequestError(ServerFailure.unreachable, brokenAnswer(this.baseUrl, error));
    }
    if (response.ok) {
      try {
        return text === '' ? {} : (JSON.parse(text) as unknown);
      } catch {
        throw new ServerRequestError(
          ServerFailure.notAServer,
          'The server answered with something that is not JSON',
        );
      }
    }
    const message = errorMessage(text) ?? `HTTP ${response.status}`;
    if (response.status === 401) {
      throw new ServerRequestError(ServerFailure.unauthorized, `The token was refused: ${message}`, 401);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ServerRequestError(
        ServerFailure.transient,
        `The server is busy or failing (HTTP ${response.status}): ${message}`,
        response.status,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    if (response.status === 404 && path === '/health') {
      throw new ServerRequestError(ServerFailure.notAServer, 'it has no /health (404)', 404);
    }
    throw new ServerRequestError(ServerFailure.rejected, message, response.status, null, errorDetails(text));
  }
}

const ErrorDetails = z.object({ details: z.array(z.object({ path: z.string(), message: z.string() })) });

function errorDetails(text: string): { path: string; message: string }[] {
  try {
    const parsed = parseSafely(ErrorDetails, JSON.parse(text));
    return parsed.success ? parsed.data.details : [];
  } catch {
    return [];
  }
}

function errorMessage(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'message' in parsed &&
      typeof parsed.message === 'string'
    )
      return parsed.message;
  } catch {
    // not JSON: fall back to the status
  }
  return null;
}
