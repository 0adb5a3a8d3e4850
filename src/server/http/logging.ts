import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { pino, stdSerializers } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const isLogLevel = (value: string): value is LogLevel =>
  (LOG_LEVELS as readonly string[]).includes(value);

/** What services and the socket server may write: leveled, structured lines (an `err` field gets its stack). */
export type ServerLog = Pick<FastifyBaseLogger, 'error' | 'warn' | 'info' | 'debug'>;

export interface LogOptions {
  level: LogLevel;
  /** Where the JSON lines go (default stdout). */
  destination?: NodeJS.WritableStream;
}

export const REDACTED = '[redacted]';

/** Query parameters that carry a credential: bearer tokens for clients that cannot send headers, export tickets. */
const SECRET_PARAM = /token|ticket|secret|key|signature|password/i;

/**
 * A URL fit for the log: credentials in the query replaced, and the single-use id of `…/sockets/{socketId}`
 * (the socket's authentication) too.
 */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split(/\?(.*)/s, 2);
  const safePath = path.replace(/(\/sockets\/)[^/?#]+/, `$1${REDACTED}`);
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  for (const name of [...new Set(params.keys())]) {
    if (SECRET_PARAM.test(name)) params.set(name, REDACTED);
  }
  return `${safePath}?${params.toString()}`;
}

/**
 * The server's pino logger (the one Fastify ships), one JSON line per event. Requests are logged as method,
 * redacted URL and address only; `authorization`, cookies and the like are censored wherever they appear.
 */
export function createLogger(options: LogOptions): FastifyBaseLogger {
  const settings = {
    level: options.level,
    redact: {
      paths: [
        'authorization',
        'cookie',
        '*.authorization',
        '*.cookie',
        '*.headers.authorization',
        '*.headers.cookie',
        '*.headers["set-cookie"]',
        'token',
        '*.token',
      ],
      censor: REDACTED,
    },
    serializers: {
      err: stdSerializers.err,
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
