// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';

/** Process boundaries (VS Code style layering), one rule set per layer. */
const electron = {
  name: 'electron',
  message: 'Only src/main/desktop/**, src/main/index.ts and src/preload may import electron.',
};
const layer = (/** @type {string[]} */ groups, /** @type {string} */ message, extraPaths = [electron]) => ({
  'no-restricted-imports': ['error', { paths: extraPaths, patterns: [{ group: groups, message }] }],
});

/** Syntax banned everywhere (a block that adds its own `no-restricted-syntax` must spread these again). */
const restrictedSyntax = [
  { selector: 'TSEnumDeclaration', message: 'Use `as const` objects.' },
  {
    // A named (or default) `z` makes the bundler keep zod's whole namespace: every locale, ~580 KB that
    // main parses at start (test/bench cold start).
    selector:
      "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
    message: "Use `import * as z from 'zod'`.",
  },
];

/** A string or template that starts like an SQL statement (keywords upper case, as all our SQL is written). */
const SQL_START =
  '/^\\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|CREATE|DROP|ALTER|PRAGMA|BEGIN|SAVEPOINT|RELEASE|ROLLBACK|VACUUM|ANALYZE)\\s/';
const sqlMessage =
  'SQL lives in repositories: <domain>/<domain>.repository.ts (main), src/server/storage (server); db/ holds the infrastructure.';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...restrictedSyntax],
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
    // Hooks and accessibility in every React file; warnings count as findings (the check runs with
    // --max-warnings 0), so a missing effect dependency fails like an error.
    files: ['src/renderer/**/*.tsx', 'src/renderer/**/*.ts'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'react-hooks/exhaustive-deps': 'error',
      // Only says the React Compiler would skip a component (TanStack Virtual's hook); we don't compile.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // Dialogs, popovers and the palette move focus to their first field when they open (the APG dialog
      // pattern); autoFocus is how they do it, and nothing opens one unasked.
      'jsx-a11y/no-autofocus': 'off',
      // A key handler on a form, dialog or search region only hears keys from the focusable fields inside it
      // (Escape closes, Mod+Enter saves): it makes the container no more interactive than it is. Pointer
      // handlers would.
      'jsx-a11y/no-noninteractive-element-interactions': [
        'error',
        { handlers: ['onClick', 'onMouseDown', 'onMouseUp', 'onDoubleClick'] },
      ],
    },
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
  {
    // SQL only in repositories (issue 15): a domain's SQL goes in its <domain>.repository.ts, never beside
    // the service that uses it.
    files: ['src/main/**/*.ts', 'src/server/**/*.ts'],
    ignores: ['**/*.repository.ts', 'src/main/db/**', 'src/server/storage/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...restrictedSyntax,
        { selector: `Literal[value=${SQL_START}]`, message: sqlMessage },
        { selector: `TemplateElement[value.raw=${SQL_START}]`, message: sqlMessage },
      ],
    },
  },
);
