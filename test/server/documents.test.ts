import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentOutput } from '../../src/shared/api/documents';
import { envelope, useServer } from './helpers';

interface Block {
  type: string;
  attrs?: { id?: string; level?: number };
  content?: { type: string; text?: string }[];
}
const blocksOf = (body: unknown): Block[] => DocumentOutput.parse(body).content.content as Block[];
const textOf = (block: Block | undefined): string => (block?.content ?? []).map((c) => c.text ?? '').join('');

describe('documents', () => {
  const { client } = useServer();

  async function setup() {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id, { name: 'Doc' });
    return { alice, notebookId, section, page, url: `/notebooks/${notebookId}/nodes/${page.id}/document` };
  }

  it('PUT accepts the reference shorthand, assigns block ids, and GET returns TipTap JSON', async () => {
    const { alice, url } = await setup();
    const missing = await alice.get(url);
    assert.equal(missing.status, 404);
    assert.equal(envelope(missing.body).code, 'not_found');
    const put = await alice.put(url, {
      content: {
        type: 'doc',
        content: [
          { type: 'heading', level: 1, text: 'Onboarding' },
          { type: 'paragraph', text: 'Welcome to the team.' },
        ],
      },
    });
    assert.equal(put.status, 200);
    const blocks = blocksOf(put.body);
    assert.deepEqual(
      blocks.map((b) => [b.type, textOf(b)]),
      [
        ['heading', 'Onboarding'],
        ['paragraph', 'Welcome to the team.'],
      ],
    );
    assert.equal(blocks[0]?.attrs?.level, 1);
    assert.ok(blocks.every((b) => typeof b.attrs?.id === 'string' && b.attrs.id.length > 0));
    const got = await alice.get(url);
    assert.deepEqual(DocumentOutput.parse(got.body), DocumentOutput.parse(put.body));
    const output = DocumentOutput.parse(got.body);
    assert.ok(output.createdAt && output.createdBy);
  });

  it('PATCH replaces blocks with matching ids in place and appends the rest', async () => {
    const { alice, url } = await setup();
    const blocks = blocksOf(
      (
        await alice.put(url, {
          content: {
            type: 'doc',
            content: [
              { type: 'heading', level: 1, text: 'Title' },
              { type: 'paragraph', text: 'Body' },
            ],
          },
        })
      ).body,
    );
    const patched = await alice.patch(url, {
      content: {
        type: 'doc',
        content: [
          {
            type: 'heading',
            attrs: { id: blocks[0]?.attrs?.id, level: 2 },
            content: [{ type: 'text', text: 'New title' }],
          },
          { type: 'paragraph', text: 'Added in patch.' },
        ],
      },
    });
    assert.equal(patched.status, 200);
    const after = blocksOf(patched.body);
    assert.deepEqual(
      after.map((b) => textOf(b)),
      ['New title', 'Body', 'Added in patch.'],
    );
    assert.equal(after[0]?.attrs?.id, blocks[0]?.attrs?.id);
    assert.equal(after[0]?.attrs?.level, 2);
    assert.equal(after[1]?.attrs?.id, blocks[1]?.attrs?.id);
  });

  it('append adds blocks at the end, refuses client ids, and honours Idempotency-Key', async () => {
    const { alice, url } = await setup();
    await alice.put(url, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'First' }] } });
    const body = {
      text: 'New paragraph',
      blocks: [{ content: [{ type: 'text', text: 'Appended', marks: [{ type: 'bold' }] }] }],
    };
    const appended = await alice.post(`${url}/append`, body, { 'idempotency-key': 'append-1' });
    assert.equal(appended.status, 200);
    assert.deepEqual(
      blocksOf(appended.body).map((b) => textOf(b)),
      ['First', 'New paragraph', 'Appended'],
    );
    const replay = await alice.post(`${url}/append`, body, { 'idempotency-key': 'append-1' });
    assert.deepEqual(blocksOf(replay.body).length, 3, 'a replayed key appends nothing');
    assert.equal(blocksOf((await alice.get(url)).body).length, 3);
    for (const bad of [
      { blocks: [{ attrs: { id: 'bl_x' } }] },
      { blocks: [{ id: 'bl_x' }] },
      { blocks: [{ index: 'a0' }] },
      {},
    ]) {
      const response = await alice.post(`${url}/append`, bad);
      assert.equal(response.status, 400, JSON.stringify(bad));
      assert.equal(envelope(response.body).code, 'bad_request');
    }
  });

  it('filters by blockIds and lines, and renders Markdown', async () => {
    const { alice, url } = await setup();
    const blocks = blocksOf(
      (
        await alice.put(url, {
          content: {
            type: 'doc',
            content: [
              { type: 'heading', level: 1, text: 'Onboarding' },
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'Welcome', marks: [{ type: 'bold' }] },
                  { type: 'text', text: ' aboard' },
                ],
              },
              {
                type: 'bulletList',
                content: [{ type: 'listItem', content: [{ type: 'paragraph', text: 'one' }] }],
              },
            ],
          },
        })
      ).body,
    );
    const byId = blocksOf(
      (await alice.get(`${url}?blockIds=${blocks[2]?.attrs?.id},${blocks[0]?.attrs?.id}`)).body,
    );
    assert.deepEqual(
      byId.map((b) => b.type),
      ['heading', 'bulletList'],
    );
    const byLines = blocksOf((await alice.get(`${url}?lines=2-3`)).body);
    assert.deepEqual(
      byLines.map((b) => b.type),
      ['paragraph', 'bulletList'],
    );
    const md = await alice.get(`${url}?output=md`);
    assert.equal(md.status, 200);
    assert.match(md.headers.get('content-type') ?? '', /^text\/markdown/);
    assert.equal(md.text, '# Onboarding\n\n**Welcome** aboard\n\n- one\n');
    for (const query of ['lines=abc', 'lines=3-1', 'output=pdf', 'includeComments=all', 'output=html']) {
      const response = await alice.get(`${url}?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(envelope(response.body).code, 'bad_request');
    }
  });

  it('rejects invalid content and nodes without documents, changing nothing', async () => {
    const { alice, notebookId, section, url } = await setup();
    await alice.put(url, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'keep' }] } });
    for (const content of [
      { type: 'doc', content: [{ type: 'nonsense' }] },
      'text',
      { type: 'page' },
      null,
    ]) {
      const response = await alice.put(url, { content });
      assert.equal(response.status, 400, JSON.stringify(content));
      assert.equal(envelope(response.body).code, 'bad_request');
    }
    assert.deepEqual(
      blocksOf((await alice.get(url)).body).map((b) => textOf(b)),
      ['keep'],
    );
    const sectionDoc = await alice.put(`/notebooks/${notebookId}/nodes/${section.id}/document`, {
      content: { type: 'doc', content: [] },
    });
    assert.equal(sectionDoc.status, 400);
    assert.equal(envelope(sectionDoc.body).message, 'Node type does not support documents.');
  });

  it('answers every document with who created and last changed it, and when', async () => {
    const { alice, notebookId, url } = await setup();
    const aliceId = (await alice.me()).userId;
    await alice.put(url, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'first' }] } });
    const created = DocumentOutput.parse((await alice.get(url)).body);
    assert.equal(created.createdBy, aliceId);
    assert.ok(!Number.isNaN(Date.parse(created.createdAt)));
    assert.equal(created.updatedAt, created.createdAt, 'written once: updated when created');
    assert.equal(created.updatedBy, aliceId);

    const bob = client();
    await alice.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: bob.username, role: 'admin' }],
    });
    const bobId = (await bob.me()).userId;
    const blocks = created.content.content as Block[];
    await bob.patch(url, {
      content: { type: 'doc', content: [{ ...blocks[0], content: [{ type: 'text', text: 'second' }] }] },
    });
    for (const body of [(await alice.get(url)).body, (await alice.get(`${url}?lines=1-1`)).body]) {
      const changed = DocumentOutput.parse(body);
      assert.equal(changed.createdBy, aliceId, 'the creator stays');
      assert.equal(changed.createdAt, created.createdAt);
      assert.equal(changed.updatedBy, bobId);
      assert.ok(changed.updatedAt >= created.createdAt);
    }
  });

  it('lets viewers read but not write, and strangers neither', async () => {
    const { alice, notebookId, url } = await setup();
    await alice.put(url, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'x' }] } });
    const viewer = client();
    const stranger = client();
    await alice.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: viewer.username, role: 'guest' }],
    });
    assert.equal((await viewer.get(url)).status, 403, 'a guest without a grant cannot read');
    assert.equal((await stranger.get(url)).status, 403);
    assert.equal((await stranger.put(url, { content: { type: 'doc', content: [] } })).status, 403);
  });

  it('renders a drawing block as SVG (bg, scale); other blocks 400, unknown blocks 404', async () => {
    const { alice, notebookId, url } = await setup();
    const strokes = [
      {
        points: [
          [10, 80],
          [95, 10],
          [180, 80],
        ],
        color: '#1f6feb',
        width: 3,
      },
      {
        points: [
          [1, 1],
          [2, 2],
        ],
        color: 'red"/><script>alert(1)</script>',
      },
      { points: 'not points' },
    ];
    const put = await alice.put(url, {
      content: {
        type: 'doc',
        content: [
          { type: 'paragraph', attrs: { id: 'bl_text' }, text: 'caption' },
          { type: 'drawing', attrs: { id: 'bl_draw', width: 400, height: 300, strokes } },
        ],
      },
    });
    assert.equal(put.status, 200, put.text);
    const svgUrl = `${url.replace(/\/document$/, '')}/blocks/bl_draw/svg`;
    const svg = await alice.get(`${svgUrl}?bg=transparent&scale=2`);
    assert.equal(svg.status, 200, svg.text);
    assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(
      svg.text,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 400 300" width="800" height="600">/,
    );
    assert.match(svg.text, /<rect width="100%" height="100%" fill="transparent"\/>/);
    assert.match(svg.text, /<path d="M10 80 L95 10 L180 80" stroke="#1f6feb" fill="none" stroke-width="3"/);
    assert.match(svg.text, /<path d="M1 1 L2 2" stroke="#000000"/, 'an unsafe colour falls back');
    assert.doesNotMatch(svg.text, /script/);
    assert.equal((svg.text.match(/<path /g) ?? []).length, 2, 'malformed strokes are skipped');
    assert.doesNotMatch((await alice.get(svgUrl)).text, /<rect/, 'no background unless asked');

    const text = await alice.get(svgUrl.replace('bl_draw', 'bl_text'));
    assert.equal(text.status, 400);
    assert.equal(envelope(text.body).code, 'bad_request');
    const missing = await alice.get(svgUrl.replace('bl_draw', 'bl_nope'));
    assert.equal(missing.status, 404);
    assert.equal(envelope(missing.body).code, 'not_found');
    for (const query of ['bg=red%22%2F%3E', 'scale=0', 'scale=abc', 'scale=11']) {
      const bad = await alice.get(`${svgUrl}?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal(envelope(bad.body).code, 'bad_request');
    }
    const stranger = client();
    assert.equal((await stranger.get(svgUrl)).status, 403);
    assert.equal((await alice.get(`/notebooks/${notebookId}/nodes/nd_nope/blocks/bl_draw/svg`)).status, 404);
  });

  it('exports HTML only with a valid, short-lived, few-use ticket', async () => {
    const { alice, notebookId, page, url } = await setup();
    await alice.put(url, {
      content: {
        type: 'doc',
        content: [
          { type: 'heading', level: 1, text: 'Title <script>' },
          {
            type: 'paragraph',
            content: [
              {
                type: 'text',
                text: 'link',
                marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }],
              },
            ],
          },
        ],
      },
    });
    await alice.post(`/notebooks/${notebookId}/nodes/${page.id}/comments`, { content: 'Looks <good>' });
    const ticketUrl = `/notebooks/${notebookId}/nodes/${page.id}/export-ticket`;
    const issued = await alice.post<{ ticket: string; expiresAt: string; usesRemaining: number }>(ticketUrl, {
      output: 'html',
      includeComments: 'appendix',
      themeMode: 'light',
      fileName: 'Onboarding.html',
    });
    assert.equal(issued.status, 201);
    assert.equal(issued.body.usesRemaining, 3);
    assert.ok(Date.parse(issued.body.expiresAt) > Date.now());
    const html = await alice.get(`${url}?output=html&ticket=${issued.body.ticket}`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.headers.get('content-disposition') ?? '', /Onboarding\.html/);
    assert.match(html.text, /<h1 id="bl_[^"]+">Title &lt;script&gt;<\/h1>/);
    assert.ok(!html.text.includes('javascript:'), 'unsafe links are dropped');
    assert.match(html.text, /Looks &lt;good&gt;/);
    assert.match(html.text, /data-theme="light"/);
    await alice.get(`${url}?output=html&ticket=${issued.body.ticket}`);
    await alice.get(`${url}?output=html&ticket=${issued.body.ticket}`);
    const spent = await alice.get(`${url}?output=html&ticket=${issued.body.ticket}`);
    assert.equal(spent.status, 403, 'three uses, then the ticket is gone');
    assert.equal(envelope(spent.body).code, 'invalid_ticket');
    const other = client();
    const fresh = await alice.post<{ ticket: string }>(ticketUrl, {});
    assert.equal((await other.get(`${url}?output=html&ticket=${fresh.body.ticket}`)).status, 403);
    assert.equal((await alice.post(ticketUrl, { output: 'pdf' })).status, 400);
    const md = await alice.get(`${url}?output=md&includeComments=appendix`);
    assert.match(md.text, /## Comments\n\n- \*\*[^*]+\*\*: Looks <good>/);
  });
});
