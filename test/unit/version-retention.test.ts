import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionsToPrune } from '../../src/shared/model/version-retention';

const HOUR = 3_600_000;
const now = Date.parse('2026-06-01T12:00:00.000Z');
const at = (msAgo: number) => new Date(now - msAgo).toISOString();

describe('version retention', () => {
  it('keeps all of the last day, the newest per hour for a week, per day for a month, then none', () => {
    const versions = [
      // within the day: all kept
      { id: 'd1', kind: 'auto', createdAt: at(5 * 60_000) },
      { id: 'd2', kind: 'auto', createdAt: at(6 * 60_000) },
      { id: 'd3', kind: 'auto', createdAt: at(23 * HOUR) },
      // two days ago, same hour: the newer kept
      { id: 'h1', kind: 'auto', createdAt: at(48 * HOUR + 10 * 60_000) },
      { id: 'h2', kind: 'restore', createdAt: at(48 * HOUR + 20 * 60_000) },
      // ten days ago, same day, different hours: the newest kept
      { id: 'w1', kind: 'auto', createdAt: new Date(Date.parse('2026-05-22T15:00:00Z')).toISOString() },
      { id: 'w2', kind: 'import', createdAt: new Date(Date.parse('2026-05-22T09:00:00Z')).toISOString() },
      // two months ago: gone, unless saved on purpose
      { id: 'old', kind: 'auto', createdAt: at(60 * 24 * HOUR) },
      { id: 'named', kind: 'manual', createdAt: at(400 * 24 * HOUR) },
    ];
    assert.deepEqual(versionsToPrune(versions, now).sort(), ['h2', 'old', 'w2']);
  });

  it('always keeps the newest automatic version, however old', () => {
    const versions = [
      { id: 'a', kind: 'auto', createdAt: at(90 * 24 * HOUR) },
      { id: 'b', kind: 'auto', createdAt: at(91 * 24 * HOUR) },
    ];
    assert.deepEqual(versionsToPrune(versions, now), ['b']);
  });

  it('stays bounded: a year of hourly snapshots (the most idle snapshots make) leaves under 200', () => {
    const versions = Array.from({ length: 365 * 24 }, (_, i) => ({
      id: `v${i}`,
      kind: 'auto',
      createdAt: at(i * HOUR),
    }));
    const kept = versions.length - versionsToPrune(versions, now).length;
    assert.ok(kept < 200 && kept > 24 * 7, `kept ${kept}`);
  });
});
