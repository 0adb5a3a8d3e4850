// `npm start`: the desktop app when Electron's binary is installed, otherwise browser mode (and why).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const extraArgs = process.argv.slice(2);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path)
      ? { path }
      : { reason: `Electron's binary is missing at ${path}.` };
  } catch {
    // electron's index throws when its postinstall download did not run or failed (blocked network, or
    // ELECTRON_SKIP_BINARY_DOWNLOAD): the package is there, the binary is not.
    return { reason: "Electron's binary is not installed here (its download was skipped or blocked)." };
  }
}

const electron = electronBinary();
const child =
  'path' in electron
    ? spawn(electron.path, ['.', ...extraArgs], { stdio: 'inherit' })
    : spawn(
        process.execPath,
        [
          'out/main/web.js',
          '--reason',
          `${electron.reason} Starting browser mode instead: open the URL below in Chromium or Chrome.`,
          ...extraArgs,
        ],
        { stdio: 'inherit' },
      );
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
