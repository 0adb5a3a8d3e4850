/**
 * Readable reasons for a failed connection ("connection refused", not "fetch failed" or
 * "connect ECONNREFUSED 127.0.0.1:3000"), for the sync status, the Sync panel and the Add-a-server form.
 */

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  ETIMEDOUT: 'no answer in time',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was cut',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  UND_ERR_SOCKET: 'the connection was cut',
  UND_ERR_CONNECT_TIMEOUT: 'no answer in time',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed (not trusted)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not trusted (self-signed in the chain)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another name',
  EPROTO: 'it does not speak TLS (try http://)',
};

interface CodedError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The innermost error code of a failed fetch or socket (fetch wraps it in `cause`; dual-stack in `errors`). */
function errorCode(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const coded = error as CodedError;
  if (typeof coded.code === 'string' && coded.code in REASONS) return coded.code;
  if (coded.name === 'TimeoutError') return 'ETIMEDOUT';
  const inner = errorCode(coded.cause, depth + 1);
  if (inner) return inner;
  if (Array.isArray(coded.errors))
    for (const e of coded.errors) if (errorCode(e, depth + 1)) return errorCode(e);
  return typeof coded.code === 'string' ? coded.code : null;
}

/** Why a connection failed, in words: "connection refused (nothing listens on that port)", "no such host"… */
export function networkReason(error: unknown): string {
  const code = errorCode(error);
  if (code && REASONS[code]) return REASONS[code];
  const inner = (error as CodedError | null)?.cause ?? error;
  const message = inner instanceof Error ? inner.message : String(inner);
  // fetch refuses the ports browsers block (9, 25, 6000…) before connecting.
  if (message === 'bad port')
    return 'that port is reserved for another service, so it is never used for HTTP';
  return code ? `${message} (${code})` : message;
}

/** "127.0.0.1:3000" of a URL (what a user typed and recognises), or the text itself if it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** "Can’t reach 127.0.0.1:3000 — connection refused (nothing listens on that port)". */
export const cantReach = (url: string, error: unknown): string =>
  `Can’t reach ${hostOf(url)} — ${networkReason(error)}`;

/** An answer whose status arrived and whose body did not (connection reset or timed out while reading it). */
export const brokenAnswer = (url: string, error: unknown): string =>
  `The answer from ${hostOf(url)} broke off — ${networkReason(error)}`;
