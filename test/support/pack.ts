import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { build, Platform } from 'electron-builder';
import config from '../../electron-builder';

/**
 * What the desktop installer would carry, found by running electron-builder itself (its file patterns, its
 * production-dependency collector) for a Linux `dir` target. Electron's binary cannot be had here, so a
 * stand-in executable takes its place and the steps that need the real one (rebuilding native modules for
 * its ABI, flipping fuses) are skipped; neither changes which files are selected. `asar: false` leaves the
 * same files as a folder, so they can be listed and loaded with plain Node.
 */
export async function packAppDir(workDir: string): Promise<string> {
  const electronDist = join(workDir, 'electron-dist');
  mkdirSync(electronDist, { recursive: true });
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  const output = join(workDir, 'dist');
  await build({
    targets: Platform.LINUX.createTarget('dir'),
    config: {
      ...config,
      electronDist,
      npmRebuild: false,
      beforeBuild: null,
      electronFuses: null,
      asar: false,
      directories: { ...config.directories, output },
    },
  });
  const appDir = join(output, 'linux-unpacked', 'resources', 'app');
  if (!existsSync(join(appDir, 'package.json'))) throw new Error(`electron-builder left no app at ${appDir}`);
  return appDir;
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** Package names present in a file list, wherever they are nested (`node_modules/a/node_modules/b` → a, b). */
export function packagesIn(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of file.matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//g)) names.add(match[1]!);
  }
  return names;
}

/** The package a bare specifier names (`@tiptap/pm/model` → `@tiptap/pm`), or null for builtins and paths. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const IMPORT_PATTERNS = [
  /\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  /^\s*import\s*["']([^"']+)["']/gm,
];

/** Packages that source or bundled code imports (static, dynamic, require), type-only imports excluded. */
export function importedPackages(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/^\s*import\s+type\s[^;]*;/gm, '');
    for (const pattern of IMPORT_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const name = packageOf(match[1]!);
        if (name) names.add(name);
      }
    }
  }
  return names;
}

/** Node's lookup of a package directory from `fromDir` upwards, or null when it is not installed. */
function findPackageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * The packages `roots` need at run time, installed under `projectDir`: their dependencies, the optional
 * dependencies installed here, and their required peer dependencies, transitively. Peers count:
 * @tiptap/y-tiptap imports y-protocols, which electron-builder packs only when a package depends on it.
 */
export function runtimeClosure(roots: Iterable<string>, projectDir: string): Set<string> {
  const names = new Set<string>();
  const seenDirs = new Set<string>();
  const queue = [...roots].map((name) => ({ name, from: projectDir }));
  while (queue.length > 0) {
    const { name, from } = queue.pop()!;
    const dir = findPackageDir(name, from);
    if (!dir || seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    names.add(name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
      (peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true,
    );
    for (const dep of [
      ...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }),
      ...peers,
    ]) {
      queue.push({ name: dep, from: dir });
    }
  }
  return names;
}
