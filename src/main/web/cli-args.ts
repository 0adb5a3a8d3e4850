import { parseArgs } from 'node:util';

export const USAGE = `Usage: node out/main/web.js [options]   (npm start -- [options] passes them here)

Runs Hoody Notes in browser mode: the app's core on this machine, opened in Chromium or Chrome at the
printed link (http://127.0.0.1:PORT/#k=KEY; the quick-capture view is http://127.0.0.1:PORT/?view=capture#k=KEY).

Options:
  --data DIR      where the app keeps its data (default: the desktop app's folder)
  --port N        port to listen on (default: the one used last time on this data folder, else any free one)
  --host ADDR     address to listen on (default: 127.0.0.1)
  --new-key       make a new access key (tabs left open then need the new link)
  --static DIR    the renderer build to serve (default: out/renderer)
  -h, --help      show this help`;

export interface CliValues {
  data?: string;
  port?: string;
  host: string;
  static?: string;
  reason?: string;
  'new-key': boolean;
}

export type CliArgs =
  | { kind: 'run'; values: CliValues }
  | { kind: 'help' }
  /** An unknown option or a missing value: the message, to print before the usage. */
  | { kind: 'error'; message: string };

/** Browser mode's command line (`--reason` is internal: `npm start` says why it did not start Electron). */
export function parseCliArgs(args: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        static: { type: 'string' },
        reason: { type: 'string' },
        'new-key': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  if (values.port !== undefined && !/^\d+$/.test(values.port))
    return { kind: 'error', message: `--port must be a number, got '${values.port}'` };
  const { help: _help, ...rest } = values;
  return { kind: 'run', values: rest };
}
