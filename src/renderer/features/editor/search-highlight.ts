import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { findMatches, type SearchTerm } from '../../../shared/search/terms';

/**
 * Jump-to-match: every occurrence of the search's terms in the open page is highlighted (`.search-match`,
 * the current one also `.search-match-current`), found by the same rules as the search itself
 * (`findMatches`: folded words by prefix, CJK anywhere). Recomputed when the document changes, so text that
 * arrives while the page is open is highlighted too. Decorations only: the document is never touched.
 */
export interface SearchMatch {
  from: number;
  to: number;
}

interface HighlightState {
  terms: readonly SearchTerm[];
  matches: SearchMatch[];
  current: number;
  decorations: DecorationSet;
}

type Meta = { terms: readonly SearchTerm[] } | { current: number };

export const searchHighlightKey = new PluginKey<HighlightState>('searchHighlight');

/** The matches of the terms in a document, in order. Inline non-text nodes count as one character. */
export function matchesIn(doc: PmNode, terms: readonly SearchTerm[]): SearchMatch[] {
  const out: SearchMatch[] = [];
  if (terms.length === 0) return out;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    let text = '';
    const at: number[] = [];
    node.forEach((child, offset) => {
      const start = pos + 1 + offset;
      if (child.isText && child.text) {
        for (let i = 0; i < child.text.length; i++) at.push(start + i);
        text += child.text;
      } else {
        at.push(start);
        text += '\ufffc';
      }
    });
    for (const range of findMatches(text, terms))
      out.push({ from: at[range.start]!, to: at[range.end - 1]! + 1 });
    return false;
  });
  return out;
}

function decorate(doc: PmNode, matches: readonly SearchMatch[], current: number): DecorationSet {
  if (matches.length === 0) return DecorationSet.empty;
  return DecorationSet.create(
    doc,
    matches.map((m, i) =>
      Decoration.inline(m.from, m.to, {
        class: i === current ? 'search-match search-match-current' : 'search-match',
      }),
    ),
  );
}

function build(doc: PmNode, terms: readonly SearchTerm[], current: number): HighlightState {
  const matches = matchesIn(doc, terms);
  const index = matches.length === 0 ? 0 : Math.min(Math.max(current, 0), matches.length - 1);
  return { terms, matches, current: index, decorations: decorate(doc, matches, index) };
}

export const searchHighlightState = (state: EditorState): HighlightState | undefined =>
  searchHighlightKey.getState(state);

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    searchHighlight: {
      /** Highlights these terms (an empty list clears them). */
      setSearchTerms: (terms: readonly SearchTerm[]) => ReturnType;
      /** Makes the match at `index` (wrapping around) the current one. */
      setSearchMatch: (index: number) => ReturnType;
    };
  }
}

export const SearchHighlight = Extension.create({
  name: 'searchHighlight',
  addCommands() {
    return {
      setSearchTerms:
        (terms) =>
        ({ tr, dispatch }) => {
          dispatch?.(tr.setMeta(searchHighlightKey, { terms } satisfies Meta));
          return true;
        },
      setSearchMatch:
        (index) =>
        ({ tr, state, dispatch }) => {
          const count = searchHighlightKey.getState(state)?.matches.length ?? 0;
          if (count === 0) return false;
          dispatch?.(
            tr.setMeta(searchHighlightKey, { current: ((index % count) + count) % count } satisfies Meta),
          );
          return true;
        },
    };
  },
  addProseMirrorPlugins() {
    return [
      new Plugin<HighlightState>({
        key: searchHighlightKey,
        state: {
          init: () => ({ terms: [], matches: [], current: 0, decorations: DecorationSet.empty }),
          apply(tr, value, _old, next) {
            const meta = tr.getMeta(searchHighlightKey) as Meta | undefined;
            if (meta && 'terms' in meta) return build(next.doc, meta.terms, 0);
            if (meta && 'current' in meta)
              return {
                ...value,
                current: meta.current,
                decorations: decorate(next.doc, value.matches, meta.current),
              };
            if (tr.docChanged && value.terms.length > 0) return build(next.doc, value.terms, value.current);
            return value;
          },
        },
        props: {
          decorations: (state) => searchHighlightKey.getState(state)?.decorations,
        },
      }),
    ];
  },
});
