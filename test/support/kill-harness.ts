/**
 * The two halves of the SIGKILL tests (D1 in test/integration/crash.test.ts, S6 in test/sync/kill.test.ts).
 * Child: `writeUntilKilled` writes pages and their text through the contract as fast as it can, printing
 * `ack <kind> <id> <detail>` only after each call returned ok (committed). Parent: `runUntilKilled` spawns a
 * writer script, collects the acks and SIGKILLs it when the test says so.
 */
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import * as Y from 'yjs';
import type { AppCore } from '../../src/main/core/app-core';
import { normalizeDocument, writeDocument } from '../../src/shared/crdt/document';

export interface Ack {
  kind: 'page' | 'doc' | 'file';
  id: string;
  detail: string;
}

/** One line to the parent, written synchronously so a kill right after it cannot lose it. */
export const say = (line: string): void => void writeSync(1, `${line}\n`);

/** Calls a command through the router and unwraps it; a failure ends the writer (the parent reports it). */
export function invoker(core: AppCore, senderId: string) {
  return async (name: string, input: unknown): Promise<Record<string, unknown>> => {
    const result = await core.router.dispatch(name, input, { senderId });
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as Record<string, unknown>;
  };
}

/** Child side: creates `<label>-<i>` pages with the text `body <label>-<i>` until it is killed. */
export async function writeUntilKilled(
  invoke: ReturnType<typeof invoker>,
  where: { accountId: string; notebookId: string; sectionId: string },
  label: string,
  pauseMs = 0,
): Promise<never> {
  const { accountId, notebookId, sectionId } = where;
  say('ready');
  for (let i = 0; ; i++) {
    const name = `${label}-${i}`;
    const page = await invoke('node.create', {
      accountId,
      notebookId,
      type: 'page',
      parentId: sectionId,
      name,
    });
    say(`ack page ${String(page.id)} ${name}`);
    const opened = await invoke('document.open', { accountId, documentId: page.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state as Uint8Array);
    const before = Y.encodeStateVector(doc);
    writeDocument(
      doc,
      normalizeDocument({ type: 'doc', content: [{ type: 'paragraph', text: `body ${name}` }] }),
    );
    await invoke('document.update', {
      accountId,
      documentId: page.id,
      update: Y.encodeStateAsUpdate(doc, before),
    });
    await invoke('document.close', { accountId, documentId: page.id });
    say(`ack doc ${String(page.id)} body ${name}`);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Child side: the last words of a writer that failed. */
export function reportFailure(error: unknown): never {
  say(`error ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
}

/**
 * Parent side: runs `script args…` under tsx until `shouldKill(acks, msSinceReady)` — asked on every line
 * and every millisecond once the writer is ready — says it dies now; answers what it acknowledged.
 */
export function runUntilKilled(
  script: string,
  args: readonly string[],
  shouldKill: (acks: readonly Ack[], msSinceReady: number) => boolean,
): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffer = '';
    let stderr = '';
    let readyAt: number | null = null;
    const killIfDue = (): void => {
      if (readyAt !== null && child.exitCode === null && shouldKill(acks, Date.now() - readyAt))
        child.kill('SIGKILL');
    };
    const ticker = setInterval(killIfDue, 1);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line === 'ready') readyAt = Date.now();
        const match = /^ack (page|doc|file) (\S+) (.*)$/.exec(line);
        if (match) acks.push({ kind: match[1] as Ack['kind'], id: match[2]!, detail: match[3]! });
        if (line.startsWith('error')) reject(new Error(`${line}\n${stderr}`));
        killIfDue();
      }
    });
    child.on('exit', (_code, signal) => {
      clearInterval(ticker);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed\n${stderr}`));
      else resolve(acks);
    });
  });
}
