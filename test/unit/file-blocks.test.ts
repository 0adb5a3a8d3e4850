import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Parser } from 'commonmark';
import {
  documentToYDoc,
  normalizeDocument,
  readDocument,
  type TiptapDoc,
} from '../../src/shared/crdt/document';
import {
  fileBlockHtml,
  fileBlockMarkdown,
  fileIdsOf,
  imageBlockAttrs,
} from '../../src/shared/editor/file-blocks';
import { toHtmlPage } from '../../src/shared/markdown/to-html';
import { toMarkdown } from '../../src/shared/markdown/to-markdown';

const image = {
  type: 'image',
  attrs: {
    id: 'bl_image1',
    fileId: 'fl_abc123',
    name: 'whiteboard.png',
    mimeType: 'image/png',
    size: 482104,
    alt: 'The whiteboard after the meeting',
    caption: 'Tuesday planning',
    width: 320,
  },
};
const attachment = {
  type: 'fileAttachment',
  attrs: {
    id: 'bl_file1',
    fileId: 'fl_pdf999',
    name: 'minutes.pdf',
    mimeType: 'application/pdf',
    size: 2048,
  },
};
const href = (fileId: string, name: string) => `/files/${fileId}/${encodeURIComponent(name)}`;

describe('image and file blocks in the shared schema', () => {
  it('survive the server path (normalise, Yjs, read back) with every attribute', () => {
    const doc = normalizeDocument({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Before' }] }, image, attachment],
    });
    const back = readDocument(documentToYDoc(doc));
    const blocks = back.content ?? [];
    assert.deepEqual(blocks[1], {
      type: 'image',
      attrs: { ...image.attrs, src: null },
    });
    assert.deepEqual(blocks[2], attachment);
    assert.deepEqual(fileIdsOf(back).sort(), ['fl_abc123', 'fl_pdf999']);
  });

  it('get block ids, and a nested block is found by fileIdsOf', () => {
    const doc = normalizeDocument({
      type: 'doc',
      content: [
        { type: 'blockquote', content: [{ type: 'image', attrs: { fileId: 'fl_nested', name: 'n.png' } }] },
      ],
    });
    const nested = doc.content?.[0]?.content?.[0];
    assert.match(String(nested?.attrs?.id), /^bl_/);
    assert.deepEqual(fileIdsOf(doc), ['fl_nested']);
  });

  it('read hostile attributes defensively', () => {
    const attrs = imageBlockAttrs({ fileId: '../../etc/passwd', size: -5, width: 1e9, alt: 7 });
    assert.equal(attrs.fileId, null, 'a path is not a file id');
    assert.equal(attrs.size, 0);
    assert.equal(attrs.width, 4096);
    assert.equal(attrs.alt, '');
  });

  it('render as escaped HTML: an <img> with alt and caption, a download link with name and size', () => {
    assert.equal(
      fileBlockHtml(image, href),
      '<figure id="bl_image1" class="image"><img src="/files/fl_abc123/whiteboard.png" alt="The whiteboard after the meeting" width="320"><figcaption>Tuesday planning</figcaption></figure>',
    );
    assert.equal(
      fileBlockHtml(attachment, href),
      '<p id="bl_file1" class="file">📎 <a href="/files/fl_pdf999/minutes.pdf" download="minutes.pdf">minutes.pdf <small>(2.0 KB)</small></a></p>',
    );
    const hostile = fileBlockHtml(
      {
        type: 'image',
        attrs: { ...image.attrs, alt: '"><script>alert(1)</script>', caption: '<img onerror=x>' },
      },
      href,
    );
    assert.ok(hostile && !hostile.includes('<script') && !hostile.includes('<img onerror'), hostile ?? '');
    assert.equal(
      fileBlockHtml({ type: 'image', attrs: { name: 'lost.png' } }, href),
      '<figure class="image"><span class="missing-image">lost.png</span></figure>',
    );
    assert.equal(fileBlockHtml({ type: 'paragraph' }, href), null);
  });

  it('render as Markdown: an image with its caption as title, a file as a link; brackets escaped', () => {
    assert.equal(
      fileBlockMarkdown(image, href),
      '![The whiteboard after the meeting](</files/fl_abc123/whiteboard.png> "Tuesday planning")',
    );
    assert.equal(
      fileBlockMarkdown(attachment, href),
      '[📎 minutes.pdf (2.0 KB)](</files/fl_pdf999/minutes.pdf>)',
    );
    assert.equal(
      fileBlockMarkdown(
        { type: 'image', attrs: { ...image.attrs, alt: 'a](javascript:x)', caption: 'say "hi"' } },
        href,
      ),
      '![a\\](javascript:x)](</files/fl_abc123/whiteboard.png> "say \\"hi\\"")',
    );
  });

  it("appear in the server's html and md exports, pointing at the download route", () => {
    const doc: TiptapDoc = { type: 'doc', content: [image, attachment] };
    const api = (id: string) => `/api/v1/notes/notebooks/nb_1/files/${id}`;
    const md = toMarkdown(doc, api);
    assert.match(
      md,
      /!\[The whiteboard after the meeting\]\(<\/api\/v1\/notes\/notebooks\/nb_1\/files\/fl_abc123>/,
    );
    assert.match(
      md,
      /\[📎 minutes\.pdf \(2\.0 KB\)\]\(<\/api\/v1\/notes\/notebooks\/nb_1\/files\/fl_pdf999>\)/,
    );
    const html = toHtmlPage(doc, { title: 'T', themeMode: 'light', includeBackground: false, fileHref: api });
    assert.match(html, /<img src="\/api\/v1\/notes\/notebooks\/nb_1\/files\/fl_abc123" alt="The whiteboard/);
    assert.match(html, /<figcaption>Tuesday planning<\/figcaption>/);
    assert.match(html, /<a href="\/api\/v1\/notes\/notebooks\/nb_1\/files\/fl_pdf999" download="[^"]+">/);
  });

  it('read back by a CommonMark parser as an image (alt, destination, title) and a link', () => {
    const doc: TiptapDoc = {
      type: 'doc',
      content: [
        { type: 'image', attrs: { ...image.attrs, alt: 'a [tricky] *alt*', caption: 'say "hi"' } },
        { type: 'fileAttachment', attrs: { ...attachment.attrs, name: 'notes (v2) <final>.pdf' } },
      ],
    };
    const tree = new Parser().parse(toMarkdown(doc, href));
    const found: { type: string; destination: string | null; title: string | null; text: string }[] = [];
    const walker = tree.walker();
    for (let step = walker.next(); step; step = walker.next()) {
      if (!step.entering || (step.node.type !== 'image' && step.node.type !== 'link')) continue;
      let text = '';
      for (let child = step.node.firstChild; child; child = child.next) text += child.literal ?? '';
      found.push({ type: step.node.type, destination: step.node.destination, title: step.node.title, text });
    }
    assert.deepEqual(found, [
      {
        type: 'image',
        destination: '/files/fl_abc123/whiteboard.png',
        title: 'say "hi"',
        text: 'a [tricky] *alt*',
      },
      {
        type: 'link',
        destination: '/files/fl_pdf999/notes%20(v2)%20%3Cfinal%3E.pdf',
        title: '',
        text: '📎 notes (v2) <final>.pdf (2.0 KB)',
      },
    ]);
  });
});
