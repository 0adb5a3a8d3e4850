import type { Migration } from '../migrate';

/**
 * A version's name (null: none) and why it was taken (`manual`: someone saved it; `auto`: an idle snapshot;
 * `restore`/`import`: the content before a restore or import replaced it). Retention thins only automatic ones.
 * Shipped: never edit, add a new migration instead.
 */
export const versionNames: Migration = {
  version: 7,
  name: 'version-names',
  sql: `
  ALTER TABLE document_versions ADD COLUMN name TEXT;
  ALTER TABLE document_versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'manual'
    CHECK (kind IN ('manual', 'auto', 'restore', 'import'));
  `,
};
