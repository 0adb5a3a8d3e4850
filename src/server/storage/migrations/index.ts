import type { Migration } from '../migrate';
import { initial } from './0001-initial';
import { nodeCollaborators } from './0002-node-collaborators';
import { documentVersions } from './0003-document-versions';
import { comments } from './0004-comments';
import { filesAndAvatars } from './0005-files-and-avatars';
import { uploadLog } from './0006-upload-log';
import { versionNames } from './0007-version-names';
import { commentActivity } from './0008-comment-activity';

/**
 * The server's schema, in order: `PRAGMA user_version` is the number that have run. Append-only: a new table or
 * column is a new file here (the next number) and its checksum in `test/fixtures/migration-checksums.json`
 * ("server"); never edit, rename or reorder one that has shipped.
 *
 * Revisions: every synced row carries `revision`, drawn from the single `counters` row inside the same write
 * transaction. SQLite serialises writers, so revisions become visible in commit order and a client cursor
 * (`revision > cursor`) can never skip a row that commits late.
 */
export const SERVER_MIGRATIONS: readonly Migration[] = [
  initial,
  nodeCollaborators,
  documentVersions,
  comments,
  filesAndAvatars,
  uploadLog,
  versionNames,
  commentActivity,
];
