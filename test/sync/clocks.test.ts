import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../support/core';
import { seededRandom } from '../support/random';
import {
  createNode,
  openDevice,
  PageEditor,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/** Mutations per run: the 1,000 of S5 (CLOCK_MUTATIONS changes it). */
const MUTATIONS = Number(process.env.CLOCK_MUTATIONS ?? 1000);
const YEAR_MS = 365 * 24 * 60 * 60 * 1_000;
const DAY_MS = 24 * 60 * 60 * 1_000;

/** A device clock that is `offsetMs` off and can be moved while the app runs (a backward jump). */
function skewedClock(offsetMs: number) {
  const clock = { offsetMs, now: () => new Date(Date.now() + clock.offsetMs) };
  return clock;
}

async function view(d: Device): Promise<string> {
  const nodes = (await call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId })).sort(
    (x, y) => x.id.localeCompare(y.id),
  );
  const lines = [];
  for (const n of nodes) {
    const text =
      n.type === 'page'
        ? (await storedDoc(d.core, d.accountId, n.id)).getXmlFragment('default').toString()
        : '';
    lines.push([n.id, n.name, n.parentId, n.index, text].join('|'));
  }
  return lines.join('\n');
}

describe('client clocks (S5)', () => {
  it(`devices a year ahead, a year behind and jumping back mid-session converge over ${MUTATIONS} mutations; the server keeps no future time`, async () => {
    const random = seededRandom(5005);
    const server = await startTestServer();
    const token = server.createToken('clocks');
    const clocks = [skewedClock(YEAR_MS), skewedClock(-YEAR_MS), skewedClock(0)];
    const devices: Device[] = [];
    for (const [i, clock] of clocks.entries())
      devices.push(await signIn(await openDevice(500 + i, { clock }), server.url, token));
    const [ahead] = devices as [Device, Device, Device];
    const section = await createNode(ahead, 'section', null, 'Time zones');
    await waitFor('the section everywhere', async () => {
      for (const d of devices) {
        const tree = await call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId });
        if (!tree.some((n) => n.id === section.id)) return false;
      }
      return true;
    });

    const typed: string[] = [];
    const editors = new Map<string, PageEditor>();
    for (let i = 0; i < MUTATIONS; i++) {
      const index = Math.floor(random() * devices.length);
      const d = devices[index]!;
      // Halfway, the third device's clock jumps two days back, then a year ahead.
      if (i === Math.floor(MUTATIONS / 2)) clocks[2]!.offsetMs = -2 * DAY_MS;
      if (i === Math.floor((MUTATIONS * 3) / 4)) clocks[2]!.offsetMs = YEAR_MS;
      const pages = (
        await call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId })
      ).filter((n) => n.type === 'page');
      const roll = random();
      if (pages.length === 0 || roll < 0.2) {
        await createNode(d, 'page', section.id, `page ${i}`);
      } else if (roll < 0.35) {
        const page = pages[Math.floor(random() * pages.length)]!;
        await call(d.core, 'node.update', { accountId: d.accountId, nodeId: page.id, name: `renamed ${i}` });
      } else {
        const page = pages[Math.floor(random() * pages.length)]!;
        const key = `${index}:${page.id}`;
        let editor = editors.get(key);
        if (!editor) {
          editor = await PageEditor.open(d.core, d.accountId, page);
          editors.set(key, editor);
        }
        const text = `t${i}d${index}`;
        await editor.type(text);
        typed.push(text);
      }
    }

    for (const d of devices) await waitUpToDate(d.core, d.accountId, 60_000);
    let views: string[] = [];
    await waitFor(
      'identical replicas',
      async () => {
        views = await Promise.all(devices.map(view));
        return views.every((v) => v === views[0]);
      },
      60_000,
    ).catch(async (error: unknown) => {
      // Only the lines that differ (id|name|parent|index|text), and what each device thinks of its sync.
      const lines = views.map((v) => new Set(v.split('\n')));
      const statuses = await Promise.all(devices.map((d) => syncStatus(d.core, d.accountId)));
      const differing = (mine: Set<string>) =>
        [...mine].filter((line) => lines.some((other) => !other.has(line)));
      const report = lines.map(
        (mine, i) => `device ${i} (${JSON.stringify(statuses[i])}):\n${differing(mine).join('\n')}`,
      );
      // And the server's view of those nodes: which side of the divergence it is on (name, revision, times).
      const ids = new Set(lines.flatMap((mine) => differing(mine).map((line) => line.split('|')[0])));
      const served = (await (
        await fetch(`${server.url}/api/v1/notes/notebooks/${ahead.notebookId}/nodes?limit=500`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { nodes: { id: string }[] };
      const onServer = served.nodes.filter((n) => ids.has(n.id)).map((n) => JSON.stringify(n).slice(0, 400));
      throw new Error(
        `${String(error)}\n${report.join('\n')}\nserver (${served.nodes.length} nodes):\n${onServer.join('\n')}`,
      );
    });
    for (const text of typed) assert.ok(views[0]!.includes(`>${text}<`), `"${text}" survived`);
    for (const d of devices) {
      const status = await syncStatus(d.core, d.accountId);
      assert.equal(status.rejected, 0, 'a wrong clock never gets an edit refused');
    }

    // The server clamps client times to its own clock: nothing it serves is dated in the future.
    const latest = Date.now() + 60_000;
    const headers = { authorization: `Bearer ${token}` };
    const api = `${server.url}/api/v1/notes/notebooks/${ahead.notebookId}`;
    const listed = (await (await fetch(`${api}/nodes?limit=500`, { headers })).json()) as {
      nodes: { id: string; createdAt: string; updatedAt: string | null }[];
    };
    assert.ok(listed.nodes.length > 1);
    for (const node of listed.nodes) {
      for (const at of [node.createdAt, node.updatedAt]) {
        if (at !== null) assert.ok(Date.parse(at) <= latest, `node ${node.id} is dated ${at}, in the future`);
      }
    }
  });
});
