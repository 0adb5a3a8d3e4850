import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startPlace, type SavedPlace } from '../../src/renderer/app/start-place';

/** Where the workspace starts on reload and restart (the renderer's pure part; e2e: restore-place.test.ts). */
describe('start place', () => {
  // Two accounts: page p1 lives in local's notebook n1, page p2 in the server account's notebook n2.
  const where: Record<string, Record<string, string>> = { local: { p1: 'n1' }, server: { p2: 'n2' } };
  const asked: string[] = [];
  const notebookOf = async (accountId: string, nodeId: string): Promise<string | null> => {
    asked.push(`${accountId}/${nodeId}`);
    return where[accountId]?.[nodeId] ?? null;
  };
  const saved = (place: Partial<SavedPlace>): SavedPlace => ({
    lastAccountId: null,
    lastNotebookId: null,
    lastOpenedNodeId: null,
    ...place,
  });
  const ids = ['local', 'server'];

  test('the saved page, in its account and notebook; the saved account is asked first', async () => {
    asked.length = 0;
    const place = await startPlace(
      ids,
      saved({ lastAccountId: 'server', lastNotebookId: 'n2', lastOpenedNodeId: 'p2' }),
      notebookOf,
    );
    assert.deepEqual(place, { accountId: 'server', notebookId: 'n2', nodeId: 'p2' });
    assert.deepEqual(asked, ['server/p2']);
  });

  test('a page saved alone (a deep link) is found in whichever account holds it', async () => {
    const place = await startPlace(
      ids,
      saved({ lastAccountId: 'local', lastOpenedNodeId: 'p2' }),
      notebookOf,
    );
    assert.deepEqual(place, { accountId: 'server', notebookId: 'n2', nodeId: 'p2' });
  });

  test('a page that is gone leaves the saved account and notebook', async () => {
    const place = await startPlace(
      ids,
      saved({ lastAccountId: 'server', lastNotebookId: 'n2', lastOpenedNodeId: 'deleted' }),
      notebookOf,
    );
    assert.deepEqual(place, { accountId: 'server', notebookId: 'n2', nodeId: null });
  });

  test('an account that was removed falls back to the first account, without its notebook', async () => {
    const place = await startPlace(ids, saved({ lastAccountId: 'gone', lastNotebookId: 'n9' }), notebookOf);
    assert.deepEqual(place, { accountId: 'local', notebookId: null, nodeId: null });
    assert.equal(await startPlace([], saved({}), notebookOf), null);
  });
});
