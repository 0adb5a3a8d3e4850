import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ROOT_STREAM_TYPES,
  StreamType,
  parseStreamKey,
  streamKey,
  streamKeyPrefix,
  type StreamSpec,
} from '../../src/shared/api/sync-protocol';

describe('stream keys (src/shared/api, the one place they are built)', () => {
  const notebookId = 'nb_1';
  const rootId = 'nd_2';
  const specs: StreamSpec[] = [
    { type: StreamType.users, notebookId },
    { type: StreamType.collaborations, notebookId },
    ...ROOT_STREAM_TYPES.map((type) => ({ type, notebookId, rootId })),
  ];

  it('reads back the notebook, root and type of every stream', () => {
    for (const spec of specs)
      assert.deepEqual(parseStreamKey(streamKey(spec)), {
        notebookId,
        rootId: 'rootId' in spec ? spec.rootId : null,
        type: spec.type,
      });
    assert.equal(streamKey({ type: StreamType.nodeUpdates, notebookId, rootId }), 'nb_1.nd_2.node.updates');
  });

  it("a root's prefix covers only that root's streams; a notebook's covers all of them", () => {
    for (const spec of specs) {
      const key = streamKey(spec);
      assert.ok(key.startsWith(streamKeyPrefix(notebookId)));
      assert.equal(key.startsWith(streamKeyPrefix(notebookId, rootId)), 'rootId' in spec);
      assert.ok(!key.startsWith(streamKeyPrefix(notebookId, 'nd_3')));
    }
  });

  it('anything that is not a stream key reads as null', () => {
    for (const key of ['', 'nb_1', 'nb_1.', '.users']) assert.equal(parseStreamKey(key), null);
  });
});
