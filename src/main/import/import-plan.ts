import type { ImportProblem } from '../../shared/contract';
import { IMPORT_MAX_FILE_BYTES } from '../../shared/contract/imports';
import type { TiptapDoc, TiptapMark, TiptapNode } from '../../shared/crdt/document';
import { MAX_NAME_LENGTH } from '../../shared/model/nodes';

/**
 * What a Markdown import will make, worked out before anything is written (pure: the service then creates the
 * nodes). Paths are the picked files' relative paths; a folder becomes a page holding its files' pages (a
 * `notes.md` beside a `notes/` folder is that page), the top folder the import's root.
 *
 * Links are resolved here against the importing file's folder: one to an imported Markdown file (or folder)
 * becomes a page reference `pageRef(key)`, one to another imported file an attachment reference
 * `assetRef(path)`; the service turns them into page links and file blocks once the pages and files exist.
 */

export interface SourceFile {
  path: string;
  data: Uint8Array;
}

export interface PlannedPage {
  /** The page's path without extension ('' for the root). */
  key: string;
  title: string;
  /** With page and asset references still to resolve. */
  content: TiptapDoc;
  children: PlannedPage[];
  /** Paths of the imported files this page references (attached to it). */
  assets: string[];
}

export interface ImportPlan {
  root: PlannedPage;
  /** Imported non-Markdown files by normalised path. */
  assets: Map<string, SourceFile>;
  problems: ImportProblem[];
  /** One Markdown file and nothing else: the root is that page. */
  loneFile: boolean;
}

/** The link target scheme of a reference to an imported page, replaced by the page's link on creation. */
const PAGE_REF = 'hoody-import-page:';
/** The block type standing for an attachment until its file exists. */
export const ASSET_BLOCK = 'hoodyImportAsset';

export const pageRef = (key: string): string => `${PAGE_REF}${key}`;
export const pageRefKey = (href: string): string | null =>
  href.startsWith(PAGE_REF) ? href.slice(PAGE_REF.length) : null;

const MARKDOWN_EXTENSION = /\.(md|markdown|mdown|mkd|txt)$/i;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** `a/./b\c` → `a/b/c`; null for a path that climbs out of the import (`..`). */
export function normalizePath(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.length === 0 ? null : parts.join('/');
}

const dirOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const baseOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const withoutExtension = (path: string): string => path.replace(MARKDOWN_EXTENSION, '');

/** Text of a Markdown file, or why it cannot be read. */
export function decodeMarkdown(data: Uint8Array): { text: string } | { problem: string } {
  if (data.length > IMPORT_MAX_FILE_BYTES)
    return {
      problem: `too large to import (${megabytes(data.length)}; at most ${megabytes(IMPORT_MAX_FILE_BYTES)})`,
    };
  if (data.subarray(0, 8192).includes(0)) return { problem: 'not text (binary bytes): not imported' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data) };
  } catch {
    return { problem: 'not valid UTF-8 text: not imported' };
  }
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Front matter's `title`, and the rest of the front matter (kept in the page as a YAML code block). */
export function splitFrontMatter(text: string): { title: string | null; rest: string | null; body: string } {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { title: null, rest: null, body: text };
  let title: string | null = null;
  const rest: string[] = [];
  for (const line of match[1]!.split(/\r?\n/)) {
    const found = /^title:\s*(.*)$/.exec(line);
    if (found && title === null) title = unquote(found[1]!.trim());
    else rest.push(line);
  }
  const kept = rest.join('\n').trim();
  return {
    title: title === '' ? null : title,
    rest: kept === '' ? null : kept,
    body: text.slice(match[0].length),
  };
}

const unquote = (value: string): string =>
  /^(["']).*\1$/.test(value) ? value.slice(1, -1).replace(/\\(["'\\])/g, '$1') : value;

const textOf = (node: TiptapNode): string => node.text ?? (node.content ?? []).map(textOf).join('');

export const pageTitle = (title: string): string => {
  const clean = title.replace(/\s+/g, ' ').trim();
  return clean === '' ? 'Untitled' : [...clean].slice(0, MAX_NAME_LENGTH).join('');
};

/**
 * The plan for `files`. `parse` is the Markdown reader (from-markdown.ts, loaded by the caller on first import).
 * Files that cannot be read, paths outside the import and files nothing references are `problems`.
 */
export function planImport(
  files: readonly SourceFile[],
  parse: (markdown: string) => TiptapDoc,
  fallbackRootTitle: string,
): ImportPlan {
  const problems: ImportProblem[] = [];
  const markdown = new Map<string, SourceFile>();
  const assets = new Map<string, SourceFile>();
  const seen = new Set<string>();
  for (const file of files) {
    const path = normalizePath(file.path);
    if (path === null) {
      problems.push({ path: file.path, message: 'a path outside the chosen folder: not imported' });
      continue;
    }
    if (seen.has(path)) {
      problems.push({ path: file.path, message: 'chosen twice: imported once' });
      continue;
    }
    seen.add(path);
    (MARKDOWN_EXTENSION.test(path) ? markdown : assets).set(path, { path, data: file.data });
  }

  // A single top folder holding everything is the root (its name the root's); loose files get one made up.
  const paths = [...seen];
  const first = paths[0]?.split('/')[0];
  const topFolder = first !== undefined && paths.every((path) => path.startsWith(`${first}/`)) ? first : null;
  const strip = (path: string) => (topFolder === null ? path : path.slice(topFolder.length + 1));
  const loneFile = topFolder === null && markdown.size === 1 && paths.length === 1;

  const root: PlannedPage = {
    key: '',
    title: pageTitle(topFolder ?? fallbackRootTitle),
    content: { type: 'doc', content: [] },
    children: [],
    assets: [],
  };
  const pages = new Map<string, PlannedPage>([['', root]]);
  const folderPage = (key: string): PlannedPage => {
    const existing = pages.get(key);
    if (existing) return existing;
    const page: PlannedPage = {
      key,
      title: pageTitle(baseOf(key)),
      content: { type: 'doc', content: [] },
      children: [],
      assets: [],
    };
    pages.set(key, page);
    folderPage(dirOf(key)).children.push(page);
    return page;
  };

  const parsed: { page: PlannedPage; path: string; dir: string }[] = [];
  const markdownKeys = new Set([...markdown.keys()].map((path) => withoutExtension(strip(path))));
  for (const [path, file] of [...markdown].sort(([a], [b]) => collator.compare(a, b))) {
    const decoded = decodeMarkdown(file.data);
    if ('problem' in decoded) {
      problems.push({ path, message: decoded.problem });
      continue;
    }
    const relative = strip(path);
    const key = withoutExtension(relative);
    const { title, rest, body } = splitFrontMatter(decoded.text);
    let content: TiptapDoc;
    try {
      content = parse(body);
    } catch (error) {
      problems.push({
        path,
        message: `could not be read: ${error instanceof Error ? error.message : 'unknown error'}`,
      });
      continue;
    }
    const blocks = [...content.content];
    const lead = blocks[0];
    const heading = lead?.type === 'heading' && lead.attrs?.level === 1 ? textOf(lead).trim() : '';
    if (heading !== '' && (title === null || title === heading)) blocks.shift();
    if (rest !== null)
      blocks.unshift({
        type: 'codeBlock',
        attrs: { language: 'yaml' },
        content: [{ type: 'text', text: rest }],
      });
    const page = loneFile ? root : folderPage(key);
    page.title = pageTitle(title ?? (heading || baseOf(key)));
    page.content = { type: 'doc', content: blocks };
    parsed.push({ page, path, dir: dirOf(relative) });
  }

  const referenced = new Set<string>();
  for (const { page, path, dir } of parsed) {
    page.content = resolveLinks(page.content, (href) => {
      const target = relativeTarget(href, dir);
      if (target === null) return null;
      const asMarkdown = withoutExtension(target);
      if (MARKDOWN_EXTENSION.test(target) ? markdownKeys.has(asMarkdown) : pages.has(target))
        return { page: MARKDOWN_EXTENSION.test(target) ? asMarkdown : target };
      if (markdownKeys.has(target)) return { page: target };
      const asset = topFolder === null ? target : `${topFolder}/${target}`;
      if (assets.has(asset)) {
        referenced.add(asset);
        if (!page.assets.includes(asset)) page.assets.push(asset);
        return { asset };
      }
      problems.push({ path, message: `links to “${href}”, which is not in the import (kept as written)` });
      return null;
    });
  }
  for (const path of assets.keys())
    if (!referenced.has(path))
      problems.push({ path, message: 'not a Markdown file, and no imported page links to it: not imported' });

  sortTree(root);
  return { root, assets, problems, loneFile };
}

function sortTree(page: PlannedPage): void {
  page.children.sort((a, b) => collator.compare(baseOf(a.key), baseOf(b.key)));
  page.children.forEach(sortTree);
}

/** The imported path a relative link points at, or null for a web/mail link, an anchor or an absolute path. */
function relativeTarget(href: string, dir: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return null;
  const path = href.replace(/[?#].*$/, '');
  if (path === '') return null;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Kept as written: `%` not followed by two hex digits is a literal percent.
  }
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of decoded.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length === 0 ? '' : parts.join('/');
}

type Resolved = { page: string } | { asset: string } | null;

/**
 * Links resolved to imported pages get a page reference; links to imported files become attachment blocks
 * right after their paragraph (the paragraph goes when those links were all it said, as `![alt](pic.png)` does).
 */
function resolveLinks(doc: TiptapDoc, resolve: (href: string) => Resolved): TiptapDoc {
  const cache = new Map<string, Resolved>();
  const lookup = (href: string): Resolved => {
    if (!cache.has(href)) cache.set(href, resolve(href));
    return cache.get(href)!;
  };
  const walk = (nodes: TiptapNode[]): TiptapNode[] =>
    nodes.flatMap((node) => {
      if (node.type === 'text') return [node];
      if (!node.content) return [node];
      if (!node.content.some((child) => child.type === 'text' || child.type === 'hardBreak'))
        return [{ ...node, content: walk(node.content) }];
      const attached: TiptapNode[] = [];
      let rest = false;
      const content = node.content.flatMap((child): TiptapNode[] => {
        const link = child.marks?.find((mark) => mark.type === 'link');
        const href = typeof link?.attrs?.href === 'string' ? link.attrs.href : null;
        const target = href === null ? null : lookup(href);
        if (target === null || !link) {
          if (child.type !== 'hardBreak' && (child.text ?? '').trim() !== '') rest = true;
          return [child];
        }
        if ('page' in target) return [withLink(child, link, pageRef(target.page))];
        const alt = (child.text ?? '').trim();
        const last = attached.at(-1);
        if (last?.attrs?.path === target.asset)
          last.attrs.alt = `${String(last.attrs.alt)}${child.text ?? ''}`;
        else attached.push({ type: ASSET_BLOCK, attrs: { path: target.asset, alt } });
        return [];
      });
      if (attached.length === 0) return [{ ...node, content }];
      return rest ? [{ ...node, content }, ...attached] : attached;
    });
  return { type: 'doc', content: walk(doc.content) };
}

const withLink = (node: TiptapNode, link: TiptapMark, href: string): TiptapNode => ({
  ...node,
  marks: node.marks?.map((mark) => (mark === link ? { ...mark, attrs: { ...mark.attrs, href } } : mark)),
});

/** Every page of the plan, parents before children. */
export function* plannedPages(page: PlannedPage): Generator<PlannedPage> {
  yield page;
  for (const child of page.children) yield* plannedPages(child);
}
