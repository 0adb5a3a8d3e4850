import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, SyncLimits } from '../../src/shared/api/sync-protocol';
import { useServer, type Client } from './helpers';

/** Per-commit runs use 10% of the battery's counts; NOTES_FULL_BATTERY=1 runs the full 10,000 each. */
const COUNT = process.env.NOTES_FULL_BATTERY === '1' ? 10_000 : 1_000;

const hostileJson = fc.oneof(
  fc.json(),
  fc.string(),
  fc.jsonValue().map((value) => JSON.stringify(value).slice(0, -1)),
  fc.constantFrom(
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '['.repeat(5_000),
    '{"a":' + '['.repeat(2_000) + ']'.repeat(2_000) + '}',
    '\u0000',
    '{"name":"\\ud800"}',
  ),
  fc
    .record({
      name: fc.anything(),
      type: fc.anything(),
      attributes: fc.anything(),
      mutations: fc.anything(),
      content: fc.anything(),
    })
    .map(
      (value) =>
        JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? 'null',
    ),
);

describe('robustness', () => {
  const { server, client } = useServer();

  it(`survives ${COUNT} malformed JSON bodies with 4xx only`, async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const database = await alice.createNode(notebookId, 'database', section.id);
    const targets: [string, string][] = [
      ['POST', '/notebooks'],
      ['PATCH', `/notebooks/${notebookId}`],
      ['POST', `/notebooks/${notebookId}/users`],
      ['POST', `/notebooks/${notebookId}/nodes`],
      ['PATCH', `/notebooks/${notebookId}/nodes/${page.id}`],
      ['PUT', `/notebooks/${notebookId}/nodes/${page.id}/document`],
      ['PATCH', `/notebooks/${notebookId}/nodes/${page.id}/document`],
      ['POST', `/notebooks/${notebookId}/nodes/${page.id}/document/append`],
      ['POST', `/notebooks/${notebookId}/nodes/${page.id}/comments`],
      ['POST', `/notebooks/${notebookId}/nodes/${page.id}/reactions`],
      ['POST', `/notebooks/${notebookId}/databases/${database.id}/records`],
      ['POST', `/notebooks/${notebookId}/mutations`],
    ];
    const bodies = fc.sample(hostileJson, { numRuns: COUNT, seed: 42 });
    const statuses = new Map<number, number>();
    for (let i = 0; i < bodies.length; i += 25) {
      const batch = bodies.slice(i, i + 25).map(async (body, j) => {
        const [method, path] = targets[(i + j) % targets.length] ?? ['POST', '/notebooks'];
        const response = await alice.request(method, path, body);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500)
          throw new Error(`${method} ${path} ${body.slice(0, 200)} → ${response.status}`);
      });
      await Promise.all(batch);
    }
    assert.ok(
      [...statuses.keys()].every((status) => status < 500),
      JSON.stringify([...statuses]),
    );
    // Valid JSON nested far deeper than any document: refused before any recursive code sees it.
    const depth = 5_000;
    const deepDocument = `{"content":{"type":"doc","content":[${'{"type":"blockquote","content":['.repeat(depth)}{"type":"paragraph"}${']}'.repeat(depth)}]}}`;
    const deepAttributes = `{"attributes":{"name":"x","deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
    for (const [method, path, body] of [
      ['PUT', `/notebooks/${notebookId}/nodes/${page.id}/document`, deepDocument],
      ['PATCH', `/notebooks/${notebookId}/nodes/${page.id}`, deepAttributes],
    ] as const) {
      const response = await alice.request(method, path, body);
      assert.equal(response.status, 400, path);
    }
    // A `length` that cannot be compared with a number: zod's length checks run even after the type check
    // failed and threw a TypeError out of safeParse (a 500). Plain JSON, so any client can send it.
    const hostileLength = '{"length":[{"toString":0,"valueOf":0}]}';
    const everyField = `{"name":${hostileLength},"username":${hostileLength},"type":${hostileLength},"content":${hostileLength},"text":${hostileLength},"attributes":${hostileLength},"mutations":${hostileLength},"emoji":${hostileLength},"fields":${hostileLength}}`;
    for (const [method, path] of targets)
      for (const body of [hostileLength, everyField]) {
        const response = await alice.request(method, path, body);
        assert.ok(response.status < 500, `${method} ${path} ${body} → ${response.status}`);
      }
    assert.equal((await alice.get('/health')).status, 200);
    assert.equal((await alice.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 200);
  });

  it(`survives ${COUNT} hostile socket frames with protocol close codes, healthy clients unaffected`, async () => {
    const alice = client();
    const healthy = await openSocket(alice, server().url);
    const pings = setInterval(() => healthy.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping' })), 20);
    let pongs = 0;
    healthy.on('message', () => pongs++);
    const frames = fc.sample(
      fc.oneof(
        hostileJson.map((text) => ({ data: text as string | Buffer, binary: false })),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })),
        fc
          .record({
            v: fc.anything(),
            type: fc.constantFrom('sync.input', 'presence', 'ping', 'x'),
            id: fc.anything(),
            stream: fc.anything(),
            cursor: fc.anything(),
          })
          .map((frame) => ({ data: JSON.stringify(frame) ?? 'null', binary: false })),
        fc.constant({ data: 'x'.repeat(300 * 1024), binary: false }),
      ),
      { numRuns: COUNT, seed: 7 },
    );
    const codes = new Map<number, number>();
    const allowed = new Set([1000, 1003, 1007, 1008, 1009]);
    for (let i = 0; i < frames.length; i += 20) {
      await Promise.all(
        frames.slice(i, i + 20).map(async (frame) => {
          const ws = await openSocket(alice, server().url);
          const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
          ws.send(frame.data, { binary: frame.binary });
          // A frame that happens to be valid is answered; then we close normally.
          const timer = setTimeout(() => ws.close(1000), 200);
          let code = await closed;
          clearTimeout(timer);
          // The server refuses an oversized frame (1009) while the client may still be writing it, so the
          // client can see the connection reset (1006) instead of the close frame.
          if (code === 1006 && frame.data.length > SyncLimits.maxFrameBytes) code = 1009;
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
      );
    }
    clearInterval(pings);
    assert.ok(
      [...codes.keys()].every((code) => allowed.has(code)),
      JSON.stringify([...codes]),
    );
    assert.ok((codes.get(1008) ?? 0) > 0 && (codes.get(1007) ?? 0) > 0 && (codes.get(1003) ?? 0) > 0);
    assert.ok(pongs > 10, `healthy socket answered ${pongs} pings`);
    assert.equal(healthy.readyState, WebSocket.OPEN);
    healthy.close();
    assert.equal((await alice.get('/health')).status, 200);
  });
});

async function openSocket(client: Client, baseUrl: string): Promise<WebSocket> {
  const { body } = await client.post<{ id: string }>('/sockets');
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/notes/sockets/${body.id}`);
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', reject);
  });
  return ws;
}
