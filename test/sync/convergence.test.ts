import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeView } from '../../src/shared/contract';
import { call } from '../support/core';
import { seededRandom } from '../support/random';
import {
  createNode,
  FaultProxy,
  openDevice,
  PageEditor,
  signIn,
  startTestServer,
  storedDoc,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/** Seeds per run: a few per commit keep test/sync fast; CONVERGENCE_SEEDS raises it for a soak run. */
const SEEDS = Number(process.env.CONVERGENCE_SEEDS ?? 3);
const OPERATIONS = 40;

interface Peer {
  device: Device;
  proxy: FaultProxy;
  editors: Map<string, PageEditor>;
  typed: string[];
}

/** What a replica shows, for comparing devices: the tree and every page's text. */
async function snapshot(d: Device): Promise<string> {
  const nodes = [
    ...(await call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId })),
    ...(await call(d.core, 'node.trashList', { accountId: d.accountId, notebookId: d.notebookId })),
  ].sort((x, y) => x.id.localeCompare(y.id));
  const pages = await Promise.all(
    nodes
      .filter((n) => n.type === 'page')
      .map(
        async (n) =>
          `${n.id}=${(await storedDoc(d.core, d.accountId, n.id)).getXmlFragment('default').toString()}`,
      ),
  );
  const tree = nodes.map((n) => [n.id, n.name, n.parentId, n.index, n.trashedAt !== null].join('|'));
  return [...new Set(tree)].join('\n') + '\n' + pages.join('\n');
}

describe('convergence under random edits and outages', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}: 3 devices, ${OPERATIONS} random operations with offline periods, converge identically`, async () => {
      const random = seededRandom(seed * 7919);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const server = await startTestServer();
      const token = server.createToken(`fuzz${seed}`);
      const peers: Peer[] = [];
      for (let i = 0; i < 3; i++) {
        const proxy = await FaultProxy.start(server.url);
        const device = await signIn(await openDevice(seed * 10 + i), proxy.url, token);
        peers.push({ device, proxy, editors: new Map(), typed: [] });
      }
      const first = peers[0]!.device;
      const section = await createNode(first, 'section', null, 'Fuzz');
      await createNode(first, 'page', section.id, 'Seed page');
      for (const peer of peers)
        await waitFor('the section everywhere', async () =>
          (
            await call(peer.device.core, 'node.tree', {
              accountId: peer.device.accountId,
              notebookId: peer.device.notebookId,
            })
          ).some((n) => n.type === 'page'),
        );

      for (let op = 0; op < OPERATIONS; op++) {
        const peer = pick(peers);
        const d = peer.device;
        const pages = (
          await call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId })
        ).filter((n): n is NodeView => n.type === 'page');
        const roll = random();
        if (roll < 0.1) {
          if (peer.proxy.mode === 'pass') peer.proxy.cut();
          else peer.proxy.restore();
        } else if (roll < 0.2 || pages.length === 0) {
          await createNode(d, 'page', section.id, `p${op}`);
        } else if (roll < 0.3) {
          await call(d.core, 'node.update', {
            accountId: d.accountId,
            nodeId: pick(pages).id,
            name: `n${op}`,
          });
        } else if (roll < 0.38) {
          const page = pick(pages);
          const other = pick(pages);
          const position =
            other.id === page.id ? {} : random() < 0.5 ? { beforeId: other.id } : { afterId: other.id };
          await call(d.core, 'node.move', {
            accountId: d.accountId,
            nodeId: page.id,
            parentId: section.id,
            position,
          });
        } else if (roll < 0.42) {
          const trashed = await call(d.core, 'node.trashList', {
            accountId: d.accountId,
            notebookId: d.notebookId,
          });
          if (trashed.length > 0)
            await call(d.core, 'node.restore', { accountId: d.accountId, nodeId: pick(trashed).id });
          else await call(d.core, 'node.trash', { accountId: d.accountId, nodeId: pick(pages).id });
        } else {
          const page = pick(pages);
          const editor = peer.editors.get(page.id) ?? (await PageEditor.open(d.core, d.accountId, page));
          peer.editors.set(page.id, editor);
          const word = `w${seed}-${op}`;
          await editor.type(word);
          peer.typed.push(word);
        }
      }

      for (const peer of peers) peer.proxy.restore();
      for (const peer of peers) await waitUpToDate(peer.device.core, peer.device.accountId, 20_000);
      const expected = await waitFor(
        'every device to show the same notebook',
        async () => {
          const shots = await Promise.all(peers.map((p) => snapshot(p.device)));
          return shots.every((s) => s === shots[0]) ? shots[0] : undefined;
        },
        20_000,
      );
      for (const peer of peers) {
        assert.deepEqual(
          await call(peer.device.core, 'sync.outbox', { accountId: peer.device.accountId }),
          [],
        );
        for (const word of peer.typed)
          assert.ok(expected.includes(word), `acknowledged edit ${word} is missing`);
      }
    });
  }
});
