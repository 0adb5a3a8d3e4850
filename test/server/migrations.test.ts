import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startServer } from '../../src/server/server';
import type { Migration } from '../../src/server/storage/migrate';
import { SERVER_MIGRATIONS } from '../../src/server/storage/migrations';
import { openDatabase } from '../../src/server/storage/sqlite';
import { Client } from './helpers';

const FIXTURE = join(import.meta.dirname, '../fixtures/server-v5');
const fixture = JSON.parse(readFileSync(join(FIXTURE, 'fixture.json'), 'utf8')) as {
  schemaVersion: number;
  ownerToken: string;
  guestToken: string;
  notebookId: string;
  sectionId: string;
  pageId: string;
  guestId: string;
};

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A data dir holding the notes.db that the server of five migrations made (restored from its dump). */
async function oldDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'notes-server-v5-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'notes.db'));
  db.exec(readFileSync(join(FIXTURE, 'notes.sql'), 'utf8'));
  assert.equal(db.pragma('user_version', { simple: true }), fixture.schemaVersion);
  db.close();
  return dir;
}

const userVersion = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};
const tables = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);

const probe: Migration = {
  version: SERVER_MIGRATIONS.length + 1,
  name: 'probe',
  sql: 'CREATE TABLE probe (id TEXT PRIMARY KEY) STRICT; INSERT INTO probe VALUES (1);',
};

describe('server migrations', () => {
  it('open a data dir made by the server of five migrations: its users, notes and history are all there', async () => {
    const dataDir = await oldDataDir();
    const server = await startServer({ port: 0, dataDir });
    try {
      const owner = new Client(server.url, fixture.ownerToken, 'fixture-owner');
      const guest = new Client(server.url, fixture.guestToken, 'fixture-guest');
      assert.equal((await owner.me()).notebookId, fixture.notebookId, 'the old token still authenticates');
      const base = `/notebooks/${fixture.notebookId}/nodes/${fixture.pageId}`;
      const document = await guest.get<{ content: { content: { content?: { text: string }[] }[] } }>(
        `${base}/document`,
      );
      assert.equal(document.status, 200, document.text);
      assert.deepEqual(
        document.body.content.content.map((block) => block.content?.map((c) => c.text).join('')),
        ['Made by the v5 server', 'It must still open.'],
      );
      const comments = await owner.get<{ comments: { content: unknown }[] }>(`${base}/comments`);
      assert.equal(comments.body.comments.length, 1);
      const versions = await owner.get<{ versions: unknown[] }>(`${base}/versions`);
      assert.equal(versions.body.versions.length, 1);
      const reactions = await owner.get<{ reactions: { reaction: string }[] }>(`${base}/reactions`);
      assert.deepEqual(
        reactions.body.reactions.map((r) => r.reaction),
        ['👍'],
      );
      // New writes go on from the old revision counter.
      const page = await guest.createNode(fixture.notebookId, 'page', fixture.sectionId, { name: 'After' });
      const children = await owner.get<{ nodes: { id: string }[] }>(
        `/notebooks/${fixture.notebookId}/nodes/${fixture.sectionId}/children`,
      );
      assert.deepEqual(children.body.nodes.map((n) => n.id).sort(), [fixture.pageId, page.id].sort());
    } finally {
      await server.close();
    }
    assert.equal(userVersion(join(dataDir, 'notes.db')), SERVER_MIGRATIONS.length);
  });

  it('copy an existing database aside before migrating it, then run only what is new', async () => {
    const dataDir = await oldDataDir();
    const db = openDatabase(dataDir, [...SERVER_MIGRATIONS, probe]);
    assert.equal(db.pragma('user_version', { simple: true }), probe.version);
    assert.ok(tables(db).includes('probe'));
    db.close();
    const backups = readdirSync(join(dataDir, 'backups'));
    assert.equal(backups.length, 1);
    const backupPath = join(dataDir, 'backups', backups[0]!);
    assert.match(backups[0]!, new RegExp(`^before-v${probe.version}-`));
    // The copy is the database as it was before any of the new migrations ran.
    assert.equal(userVersion(backupPath), fixture.schemaVersion);
    // Opened again: nothing to run, no second copy.
    openDatabase(dataDir, [...SERVER_MIGRATIONS, probe]).close();
    assert.equal(readdirSync(join(dataDir, 'backups')).length, 1);
  });

  it('leave the database at its version when a migration fails, nothing half-applied', async () => {
    const dataDir = await oldDataDir();
    const broken: Migration = { ...probe, sql: 'CREATE TABLE half (id TEXT); INSERT INTO nope VALUES (1);' };
    assert.throws(() => openDatabase(dataDir, [...SERVER_MIGRATIONS, broken]), /no such table: nope/);
    const db = new Database(join(dataDir, 'notes.db'));
    assert.equal(db.pragma('user_version', { simple: true }), SERVER_MIGRATIONS.length);
    assert.ok(!tables(db).includes('half'));
    db.close();
  });

  it('refuse a database newer than this server, and a list whose numbers are not 1, 2, 3…', async () => {
    const dataDir = await oldDataDir();
    openDatabase(dataDir, [...SERVER_MIGRATIONS, probe]).close();
    assert.throws(() => openDatabase(dataDir), /newer than this server/);
    const fresh = await mkdtemp(join(tmpdir(), 'notes-server-fresh-'));
    dirs.push(fresh);
    assert.throws(
      () => openDatabase(fresh, [...SERVER_MIGRATIONS, { ...probe, version: probe.version + 1 }]),
      /must have version/,
    );
  });

  it('create a new database without a backup', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'notes-server-new-'));
    dirs.push(dataDir);
    openDatabase(dataDir).close();
    assert.equal(userVersion(join(dataDir, 'notes.db')), SERVER_MIGRATIONS.length);
    assert.ok(!existsSync(join(dataDir, 'backups')));
  });
});
