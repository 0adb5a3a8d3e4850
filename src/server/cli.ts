import { parseArgs } from 'node:util';
import { Username } from '../shared/api/notebooks';
import { NotebookStatus } from '../shared/model/roles';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, startServer } from './server';
import { isLogLevel, LOG_LEVELS } from './http/logging';
import { parseRateLimit } from './http/rate-limit';
import type { UploadLimits } from './services/upload-limits';
import { createToken, revokeToken } from './services/tokens';
import { openDatabase } from './storage/sqlite';
import { SqliteNotesRepository } from './storage/sqlite-repository';

/**
 * `npm run server -- [--port 7420] [--host 127.0.0.1] [--data <dir>] [--rate-limit 6000/60 | off]
 *   [--address-rate-limit <max>] [--log-level info | fatal | error | warn | debug | trace | silent]
 *   [--upload-max-size 100m] [--upload-limit 2g/3600]`
 *   (logs: JSON lines on stdout, tokens redacted)
 * `npm run server -- token create <username> | token list | token revoke <token-or-id>  [--data <dir>]`
 * `npm run server -- notebook status <notebookId> active|inactive|readonly  [--data <dir>]`
 */
/**
 * Requests per user per window (seconds) unless `--rate-limit` says otherwise: ~100/s sustained. Per client
 * address (before authentication) the default is 4× that in the same window, or `--address-rate-limit`.
 */
const DEFAULT_RATE_LIMIT = '6000/60';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'rate-limit': { type: 'string' },
      'address-rate-limit': { type: 'string' },
      'log-level': { type: 'string' },
      'upload-max-size': { type: 'string' },
      'upload-limit': { type: 'string' },
    },
  });
  const dataDir = values.data ?? DEFAULT_DATA_DIR;
  if (positionals[0] === 'token') return tokenCommand(dataDir, positionals.slice(1));
  if (positionals[0] === 'notebook') return notebookCommand(dataDir, positionals.slice(1));
  if (positionals.length > 0) {
    process.stderr.write(`unknown command: ${positionals.join(' ')}\n`);
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port ${values.port}\n`);
    return 2;
  }
  const rateLimit = parseRateLimit(values['rate-limit'] ?? DEFAULT_RATE_LIMIT);
  if (rateLimit === undefined) {
    process.stderr.write(`invalid --rate-limit ${values['rate-limit']} (want <max>[/<seconds>] or off)\n`);
    return 2;
  }
  const addressMax = values['address-rate-limit'];
  if (addressMax !== undefined) {
    if (!rateLimit || !/^[1-9]\d{0,8}$/.test(addressMax)) {
      process.stderr.write(`invalid --address-rate-limit ${addressMax} (want <max>, with --rate-limit on)\n`);
      return 2;
    }
    rateLimit.addressMax = Number(addressMax);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) {
    process.stderr.write(`invalid --log-level ${logLevel} (want one of ${LOG_LEVELS.join(', ')})\n`);
    return 2;
  }
  const uploadLimits = parseUploadLimits(values['upload-max-size'], values['upload-limit']);
  if (typeof uploadLimits === 'string') {
    process.stderr.write(`${uploadLimits}\n`);
    return 2;
  }
  const killAfter = process.env.NOTES_SERVER_KILL_AFTER_MUTATIONS;
  const server = await startServer({
    port,
    host: values.host ?? '127.0.0.1',
    dataDir,
    rateLimit,
    log: { level: logLevel },
    uploadLimits,
    ...(killAfter ? { killAfterMutations: Number(killAfter) } : {}),
  });
  process.stdout.write(`listening on ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}

/** `10m`, `2g`, `500k` or plain bytes. */
const parseBytes = (text: string): number | undefined => {
  const match = /^(\d{1,12})([kmg]?)$/i.exec(text);
  if (!match) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
};

/** Per-user upload limits: the largest file, and bytes per window (`2g/3600`: 2 GiB per hour). */
function parseUploadLimits(maxSize?: string, budget?: string): UploadLimits | string {
  const limits: UploadLimits = {};
  if (maxSize !== undefined) {
    const bytes = parseBytes(maxSize);
    if (!bytes) return `invalid --upload-max-size ${maxSize} (want e.g. 100m)`;
    limits.maxFileSize = bytes;
  }
  if (budget !== undefined) {
    const [amount = '', seconds = '3600'] = budget.split('/');
    const bytes = parseBytes(amount);
    if (!bytes || !/^[1-9]\d{0,6}$/.test(seconds))
      return `invalid --upload-limit ${budget} (want e.g. 2g/3600)`;
    limits.bytesPerWindow = bytes;
    limits.windowMs = Number(seconds) * 1000;
  }
  return limits;
}

function tokenCommand(dataDir: string, args: string[]): number {
  const repo = new SqliteNotesRepository(openDatabase(dataDir));
  try {
    const [action, subject] = args;
    if (action === 'create' && subject) {
      if (!Username.safeParse(subject).success) {
        process.stderr.write('username may contain letters, digits, ".", "_" and "-" (1-64)\n');
        return 2;
      }
      const { id, userId, token } = createToken(repo, subject);
      process.stdout.write(`token ${id} for ${subject} (${userId}); shown once:\n${token}\n`);
      return 0;
    }
    if (action === 'list') {
      for (const row of repo.listTokens()) {
        process.stdout.write(
          `${row.id}\t${row.username}\t${row.createdAt}\t${row.revokedAt ? `revoked ${row.revokedAt}` : 'active'}\n`,
        );
      }
      return 0;
    }
    if (action === 'revoke' && subject) {
      if (revokeToken(repo, subject)) {
        process.stdout.write('revoked\n');
        return 0;
      }
      process.stderr.write('no active token matches\n');
      return 1;
    }
    process.stderr.write('usage: token create <username> | token list | token revoke <token-or-id>\n');
    return 2;
  } finally {
    repo.close();
  }
}

function notebookCommand(dataDir: string, args: string[]): number {
  const [action, notebookId, status] = args;
  const value = status === undefined ? undefined : NotebookStatus[status as keyof typeof NotebookStatus];
  if (action !== 'status' || !notebookId || value === undefined) {
    process.stderr.write('usage: notebook status <notebookId> active|inactive|readonly\n');
    return 2;
  }
  const repo = new SqliteNotesRepository(openDatabase(dataDir));
  try {
    const notebook = repo.getNotebook(notebookId);
    if (!notebook) {
      process.stderr.write('no such notebook\n');
      return 1;
    }
    repo.transaction(() =>
      repo.updateNotebook({ ...notebook, status: value, updatedAt: new Date().toISOString() }),
    );
    process.stdout.write(`${notebookId} is ${status}\n`);
    return 0;
  } finally {
    repo.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
