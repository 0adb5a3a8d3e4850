import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  insertMention,
  matchMembers,
  mentionAt,
  mentionParts,
  mentions,
} from '../../src/renderer/features/comments/mentions';

const bob = { userId: 'usr_b', username: 'bob', name: 'Bob Marley' };
const cy = { userId: 'usr_c', username: 'cy.lee', name: 'Cyrielle Édouard' };
const bea = { userId: 'usr_e', username: 'bea', name: 'Beatrix Bobson' };

describe('comment @mentions', () => {
  it('finds the mention being typed at the caret, not an email address or a finished word', () => {
    assert.deepEqual(mentionAt('Ask @bo', 7), { start: 4, query: 'bo' });
    assert.deepEqual(mentionAt('@', 1), { start: 0, query: '' });
    assert.deepEqual(mentionAt('(@cy.l', 6), { start: 1, query: 'cy.l' });
    assert.equal(mentionAt('mail ann@example', 16), null);
    assert.equal(mentionAt('Ask @bob now', 12), null);
    assert.equal(mentionAt('no at here', 5), null);
  });

  it('inserts the chosen username with one space after it, keeping the rest', () => {
    const text = 'Ask @bo about it';
    const mention = mentionAt(text, 7)!;
    assert.deepEqual(insertMention(text, mention, 7, 'bob'), { text: 'Ask @bob about it', caret: 9 });
    assert.deepEqual(insertMention('@c', { start: 0, query: 'c' }, 2, 'cy.lee'), {
      text: '@cy.lee ',
      caret: 8,
    });
  });

  it('offers members by username first, then by a word of their name, accents and case folded', () => {
    assert.deepEqual(
      matchMembers([bob, cy, bea], 'b').map((m) => m.username),
      ['bea', 'bob'],
    );
    assert.deepEqual(
      matchMembers([bob, cy, bea], 'bob').map((m) => m.username),
      ['bob', 'bea'],
    );
    assert.deepEqual(
      matchMembers([bob, cy, bea], 'edou').map((m) => m.username),
      ['cy.lee'],
    );
    assert.deepEqual(matchMembers([bob, cy], 'zz'), []);
    assert.equal(matchMembers([bob, cy, bea], '').length, 3);
  });

  it('cuts a comment into text and mentions of known members only', () => {
    assert.deepEqual(mentionParts('Thanks @bob. And @nobody, @CY.LEE!', [bob, cy]), [
      { text: 'Thanks ' },
      { text: '@bob', member: bob },
      { text: '. And @nobody, ' },
      { text: '@CY.LEE', member: cy },
      { text: '!' },
    ]);
    assert.deepEqual(mentionParts('write to ann@bob.com', [bob]), [{ text: 'write to ann@bob.com' }]);
    assert.ok(mentions('cc @bob', 'bob'));
    assert.ok(!mentions('cc @bobby', 'bob'));
  });
});
