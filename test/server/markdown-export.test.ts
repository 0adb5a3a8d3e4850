import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CORPUS, referenceTree, simpleTree, canonical } from '../support/markdown-corpus';
import { useServer } from './helpers';

/**
 * The server's `output=md` is the app's Markdown export (src/shared/markdown): each of the bugs the issue found
 * in the old hand-written one, read back by the CommonMark reference parser.
 */
describe('server Markdown export (output=md)', () => {
  const { client } = useServer();

  async function exported(content: unknown): Promise<string> {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id, { name: 'Doc' });
    const url = `/notebooks/${notebookId}/nodes/${page.id}/document`;
    assert.equal((await alice.put(url, { content })).status, 200);
    const md = await alice.get(`${url}?output=md`);
    assert.equal(md.status, 200);
    return md.text;
  }

  const bugs = [
    'the issue: a paragraph that reads "1. not a list"',
    'the issue: a code span containing a backtick',
    'the issue: a list nested under "1."',
    'the issue: two paragraphs in one list item',
    'the issue: a code block that contains a fence',
  ];
  for (const name of bugs) {
    it(`${name.replace('the issue: ', '')}: reads back as the same document`, async () => {
      const entry = CORPUS.find((e) => e.name === name);
      assert.ok(entry, name);
      const md = await exported(entry.doc);
      assert.deepEqual(referenceTree(md), simpleTree(canonical(entry.doc)), `output=md was:\n${md}`);
    });
  }
});
