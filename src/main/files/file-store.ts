import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AppError, ErrorCode } from '../../shared/lib/result';

const PART = '.part';

/** Why a write to disk failed, in words a user can act on (the disk is full, the folder is read-only, …). */
function diskError(error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'the data folder cannot be written to'
        : error instanceof Error
          ? error.message
          : String(error);
  return new AppError(ErrorCode.unavailable, `The file could not be saved on this device: ${reason}`, [
    { path: 'data', message: code ?? 'write failed' },
  ]);
}

/**
 * The bytes of an account's files: `<account folder>/files/<fileId>`. Files are stored by id alone, so a
 * user's file name never becomes a path. Every write goes to `<id>.part`, is flushed to the disk and then
 * renamed, so a crash leaves either the whole file or a `.part` that `sweep` removes — never half a file
 * under its real name.
 */
export class FileStore {
  constructor(readonly directory: string) {}

  path(fileId: string): string {
    return join(this.directory, fileId);
  }

  async size(fileId: string): Promise<number | null> {
    try {
      return (await stat(this.path(fileId))).size;
    } catch {
      return null;
    }
  }

  /** Writes `data` as the file's bytes, durably (flushed, then renamed into place, the folder flushed). */
  async writeBytes(fileId: string, data: Uint8Array): Promise<void> {
    await this.durably(fileId, async (part) => {
      const handle = await open(part, 'w', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  /** Copies a file from elsewhere on this device (a picked file), durably. */
  async copyFrom(fileId: string, source: string): Promise<void> {
    await this.durably(fileId, async (part) => {
      await copyFile(source, part);
      await this.flush(part);
    });
  }

  /** Streams a download into the store, durably; nothing is kept if the stream fails. */
  async writeStream(
    fileId: string,
    body: ReadableStream<Uint8Array>,
    onProgress?: (written: number) => void,
  ): Promise<number> {
    let written = 0;
    await this.durably(fileId, async (part) => {
      const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
      source.on('data', (chunk: Buffer) => {
        written += chunk.length;
        onProgress?.(written);
      });
      await pipeline(source, createWriteStream(part, { mode: 0o600 }));
      await this.flush(part);
    });
    return written;
  }

  async remove(fileId: string): Promise<void> {
    await rm(this.path(fileId), { force: true });
    await rm(this.path(fileId) + PART, { force: true });
  }

  /** Start-up: removes what a crash left (`.part` files) and bytes no row knows (`keep` are the known ids). */
  async sweep(keep: ReadonlySet<string>): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (keep.has(name)) continue;
      await rm(join(this.directory, name), { force: true });
      removed++;
    }
    return removed;
  }

  private async durably(fileId: string, write: (part: string) => Promise<void>): Promise<void> {
    const part = this.path(fileId) + PART;
    try {
      await mkdir(this.directory, { recursive: true });
      await write(part);
      await rename(part, this.path(fileId));
      await this.flush(this.directory);
    } catch (error) {
      await rm(part, { force: true }).catch(() => undefined);
      if (error instanceof AppError) throw error;
      throw diskError(error);
    }
  }

  /** fsync of a file or (POSIX) a folder, so a rename into it survives a power cut. */
  private async flush(path: string): Promise<void> {
    let handle;
    try {
      handle = await open(path, 'r');
      await handle.sync();
    } catch (error) {
      // Windows cannot open a folder for fsync; the rename is durable there with the file flushed.
      if (process.platform !== 'win32') throw error;
    } finally {
      await handle?.close();
    }
  }
}
