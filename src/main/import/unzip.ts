import { crc32, inflateRawSync } from 'node:zlib';
import type { ImportProblem } from '../../shared/contract';
import { IMPORT_MAX_FILES, IMPORT_MAX_TOTAL_BYTES } from '../../shared/contract/imports';
import type { SourceFile } from './import-plan';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

class ZipProblem extends Error {}

/**
 * `.zip` files among the imported ones are replaced by the files inside them (issue 12: drop a zip, such as one
 * Export as Markdown (.zip) wrote, and its pages come back). A zip whose files all sit in one folder is that
 * folder; otherwise its files go in a folder named after the zip. What cannot be read is a problem of the
 * report: not a zip, damaged, zip64, encrypted or unknown compression. The unpacked size is checked against
 * what the zip declares before anything is inflated, and inflating stops at that size (a zip bomb is refused,
 * never unpacked): at most IMPORT_MAX_TOTAL_BYTES unpacked for the whole import.
 */
export function expandZips(files: readonly SourceFile[]): { files: SourceFile[]; problems: ImportProblem[] } {
  const out: SourceFile[] = [];
  const problems: ImportProblem[] = [];
  let budget = IMPORT_MAX_TOTAL_BYTES;
  for (const file of files) {
    if (!/\.zip$/i.test(file.path)) {
      out.push(file);
      continue;
    }
    try {
      const entries = readZip(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.length), budget, {
        path: file.path,
        problems,
      });
      budget -= entries.reduce((sum, entry) => sum + entry.data.length, 0);
      const slash = file.path.lastIndexOf('/');
      const folder = file.path.slice(0, slash + 1);
      const tops = new Set(
        entries.map((entry) => (entry.path.includes('/') ? entry.path.split('/')[0] : '')),
      );
      const inOneFolder = tops.size === 1 && !tops.has('');
      const prefix = inOneFolder ? folder : `${folder}${file.path.slice(slash + 1, -'.zip'.length)}/`;
      for (const entry of entries) out.push({ path: `${prefix}${entry.path}`, data: entry.data });
      if (out.length > IMPORT_MAX_FILES)
        throw new ZipProblem(`holds more than ${IMPORT_MAX_FILES} files: import fewer at a time`);
    } catch (error) {
      if (!(error instanceof ZipProblem)) throw error;
      problems.push({ path: file.path, message: `${error.message}: not imported` });
    }
  }
  return { files: out, problems: problems };
}

/** The files of a zip (PKWARE APPNOTE: stored or deflated, no zip64); a ZipProblem for the whole archive. */
function readZip(
  data: Buffer,
  budget: number,
  report: { path: string; problems: ImportProblem[] },
): SourceFile[] {
  let end = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--)
    if (data.readUInt32LE(at) === END) {
      end = at;
      break;
    }
  if (end < 0) throw new ZipProblem('not a zip archive');
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw new ZipProblem('a zip64 archive, which this app does not read');
  const entries: SourceFile[] = [];
  let unpacked = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL)
      throw new ZipProblem('a damaged zip archive');
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    const checksum = data.readUInt32LE(at + 16);
    const packedSize = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const local = data.readUInt32LE(at + 42);
    // Bit 11: UTF-8 names; older tools wrote their code page, read here as Latin-1 rather than refused.
    const name = data
      .toString(flags & 0x0800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength)
      .replace(/\\/g, '/')
      .replace(/^\/+/, '');
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    if (name === '' || name.endsWith('/')) continue;
    const where = `${report.path}/${name}`;
    if (flags & 1) {
      report.problems.push({ path: where, message: 'encrypted in the zip: not imported' });
      continue;
    }
    if (method !== 0 && method !== 8) {
      report.problems.push({
        path: where,
        message: 'compressed in a way this app does not read: not imported',
      });
      continue;
    }
    unpacked += size;
    if (unpacked > budget)
      throw new ZipProblem(`more than ${Math.round(IMPORT_MAX_TOTAL_BYTES / 1048576)} MB when unpacked`);
    if (local + 30 > data.length || data.readUInt32LE(local) !== LOCAL)
      throw new ZipProblem('a damaged zip archive');
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + packedSize > data.length) throw new ZipProblem('a damaged zip archive (cut short)');
    const body = data.subarray(start, start + packedSize);
    let bytes: Buffer;
    try {
      bytes = method === 0 ? body : inflateRawSync(body, { maxOutputLength: Math.max(1, size) });
    } catch {
      report.problems.push({ path: where, message: 'damaged in the zip: not imported' });
      continue;
    }
    if (bytes.length !== size || crc32(bytes) !== checksum) {
      report.problems.push({ path: where, message: 'damaged in the zip (wrong checksum): not imported' });
      continue;
    }
    entries.push({ path: name, data: new Uint8Array(bytes) });
  }
  return entries;
}
