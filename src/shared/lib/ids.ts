/**
 * Identifiers: `<prefix>_<10 time chars><14 random chars>`, lowercase Crockford base32.
 * Time-prefixed so ids sort roughly by creation (handy in logs and SQLite b-trees), random enough that two
 * devices never collide, and at most 30 characters (the server keeps ids in short columns).
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export const IdPrefix = {
  notebook: 'nb',
  user: 'usr',
  node: 'nd',
  update: 'up',
  mutation: 'mu',
  block: 'bl',
  comment: 'cm',
  version: 'vr',
  file: 'fl',
  socket: 'sk',
  token: 'tk',
  avatar: 'av',
  ticket: 'xt',
  account: 'ac',
  notice: 'nt',
  field: 'fd',
  option: 'op',
  view: 'vw',
  /** A Markdown import run (renderer-chosen, never stored). */
  importRun: 'im',
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * Random bytes drawn from one pool refilled 4 KB at a time: a getRandomValues call per id cost more than the
 * rest of making the id (an import of 1,000 pages makes ~10,000 ids). Each byte is used once.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

function randomChars(count: number): string {
  if (poolAt + count > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  let out = '';
  for (let i = 0; i < count; i++) out += ALPHABET.charAt(pool[poolAt++]! & 31);
  return out;
}

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${randomChars(14)}`;
}

/** Ids we accept from clients and servers: short, printable, no separators that could break a path. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
