// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Process boundaries (VS Code style layering), one rule set per layer. */
const electron = {
  name: 'electron',
  message: 'Only src/main/desktop/**, src/main/index.ts and src/preload may import electron.',
};
const layer = (/** @type {string[]} */ groups, /** @type {string} */ message, extraPaths = [electron]) => ({
  'no-restricted-imports': ['error', { paths: extraPaths, patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use `as const` objects.' },
        {
          // A named (or default) `z` makes the bundler keep zod's whole namespace: every locale, ~580 KB that
          // main parses at start (test/bench cold start).
          selector:
            "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "Use `import * as z from 'zod'`.",
        },
      ],
      eqeqeq: ['error', 'smart'],
      // noUncheckedIndexedAccess types every index access as possibly undefined; a `!` right after a bounds
      // check is the honest way to say "checked", so the assertion is allowed.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: layer(
      [
        '**/main/**',
        '**/renderer/**',
        '**/server/**',
        '**/preload/**',
        'node:*',
        'react',
        'react-dom',
        '@tiptap/react',
      ],
      'src/shared runs anywhere: it imports nothing of ours outside shared, and no node:*, DOM or React.',
    ),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer(
      ['**/main/**', '**/server/**', '**/preload/**', 'node:*'],
      'The renderer talks to main only through the contract.',
    ),
  },
  {
    files: ['src/server/**'],
    rules: layer(['**/main/**', '**/renderer/**', '**/preload/**'], 'The server imports src/shared only.'),
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/desktop/**', 'src/main/index.ts'],
    rules: layer(
      ['**/renderer/**', '**/server/**', '**/preload/**'],
      'Main never imports renderer, server or preload code.',
    ),
  },
  {
    files: ['src/main/desktop/**', 'src/main/index.ts'],
    rules: layer(['**/renderer/**', '**/server/**'], 'Main never imports renderer or server code.', []),
  },
  {
    files: ['src/preload/**'],
    rules: layer(['**/main/**', '**/renderer/**', '**/server/**'], 'The preload is a generic bridge.', []),
  },
);
