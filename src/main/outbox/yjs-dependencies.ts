import * as Y from 'yjs';

/**
 * Which Yjs structs an update needs its receiver to have already. A receiver missing one of them keeps the
 * update aside (Yjs "pending structs") without showing any of it — so an update that builds on a change the
 * server refused is accepted by the server (200) and yet never appears anywhere, on the server or on other
 * devices, until that refused change arrives. Every later edit made in the same editor builds on it: its
 * first struct follows the refused ones in that client's clock; typing next to refused text also names them
 * as origins, and deleting refused text names them in the delete set.
 */

/** A run of struct clocks of one client: `[clock, clock + length)`. */
export interface ClockRange {
  client: number;
  clock: number;
  length: number;
}

/** The struct ranges an update adds, per client: `[from, to)`. */
export function addedRanges(update: Uint8Array): Map<number, { from: number; to: number }> {
  const { from, to } = Y.parseUpdateMeta(update);
  const ranges = new Map<number, { from: number; to: number }>();
  for (const [client, end] of to) {
    const start = from.get(client) ?? 0;
    if (end > start) ranges.set(client, { from: start, to: end });
  }
  return ranges;
}

/**
 * The structs `update` refers to without carrying them: the clock before each client's first struct, the
 * origins, right origins and parents of its items (outside its own ranges), and the ranges it deletes.
 */
export function neededRanges(update: Uint8Array): ClockRange[] {
  const { structs, ds } = Y.decodeUpdate(update);
  const own = addedRanges(update);
  const carried = (id: Y.ID): boolean => {
    const range = own.get(id.client);
    return range !== undefined && id.clock >= range.from && id.clock < range.to;
  };
  const needed: ClockRange[] = [];
  const need = (id: Y.ID | null | undefined): void => {
    if (id instanceof Y.ID && !carried(id)) needed.push({ client: id.client, clock: id.clock, length: 1 });
  };
  for (const [client, range] of own)
    if (range.from > 0) needed.push({ client, clock: range.from - 1, length: 1 });
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    need(struct.origin);
    need(struct.rightOrigin);
    if (struct.parent instanceof Y.ID) need(struct.parent);
  }
  for (const [client, deletions] of ds.clients)
    for (const deletion of deletions) needed.push({ client, clock: deletion.clock, length: deletion.len });
  return needed;
}

/** Whether any of `needed` falls inside structs `ranges` adds. */
export function overlaps(
  needed: readonly ClockRange[],
  ranges: ReadonlyMap<number, { from: number; to: number }>,
): boolean {
  return needed.some((want) => {
    const range = ranges.get(want.client);
    return range !== undefined && want.clock < range.to && want.clock + want.length > range.from;
  });
}

/** One waiting Yjs update of an object, in outbox order. */
export interface WaitingUpdate {
  seq: number;
  update: Uint8Array;
}

/**
 * The refused updates that `later` needs, directly or through one another (a refused update may itself
 * build on an earlier refused one). Only updates of the same object can be needed: each Yjs doc is its own.
 */
export function neededRefused(
  later: readonly WaitingUpdate[],
  refused: readonly WaitingUpdate[],
): WaitingUpdate[] {
  const found = new Set<WaitingUpdate>();
  const ranges = new Map(refused.map((row) => [row, addedRanges(row.update)]));
  let frontier = later.map((row) => ({ seq: row.seq, needed: neededRanges(row.update) }));
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { seq, needed } of frontier) {
      for (const candidate of refused) {
        if (found.has(candidate) || candidate.seq >= seq) continue;
        if (!overlaps(needed, ranges.get(candidate)!)) continue;
        found.add(candidate);
        next.push({ seq: candidate.seq, needed: neededRanges(candidate.update) });
      }
    }
    frontier = next;
  }
  return refused.filter((row) => found.has(row));
}

/** The refused updates that build on `discarded` (directly or through one another): they can never apply without it. */
export function buildingOn(discarded: WaitingUpdate, later: readonly WaitingUpdate[]): WaitingUpdate[] {
  const gone: WaitingUpdate[] = [discarded];
  const ranges = [addedRanges(discarded.update)];
  for (const row of [...later].sort((x, y) => x.seq - y.seq)) {
    if (row.seq <= discarded.seq) continue;
    const needed = neededRanges(row.update);
    if (!ranges.some((range) => overlaps(needed, range))) continue;
    gone.push(row);
    ranges.push(addedRanges(row.update));
  }
  return gone.slice(1);
}
