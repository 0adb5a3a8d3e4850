/**
 * Which versions of a page to keep (docs/decisions/0011-version-history.md). Versions someone saved on purpose
 * (`manual`, with or without a name) are kept until deleted. Automatic ones (`auto`, and the `restore`/`import`
 * snapshots taken before content is replaced) are thinned by age: all of the last day, the newest of each hour
 * for a week, the newest of each day for a month, then none — except that the newest automatic version is always
 * kept, so a page left alone still has its last snapshot. The Local account applies it in its replica, the server
 * to its own versions; both call this one function.
 */
export const RETENTION = {
  keepAllForMs: 24 * 3_600_000,
  hourlyForMs: 7 * 24 * 3_600_000,
  dailyForMs: 30 * 24 * 3_600_000,
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface RetainedVersion {
  id: string;
  kind: string;
  createdAt: string;
}

/** The ids to delete, given one page's versions (any order) and the time now. */
export function versionsToPrune(versions: readonly RetainedVersion[], now: number): string[] {
  const automatic = versions
    .filter((v) => v.kind !== 'manual')
    .map((v) => ({ id: v.id, at: Date.parse(v.createdAt) }))
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
  const prune: string[] = [];
  const seenBuckets = new Set<string>();
  automatic.forEach((version, index) => {
    const age = now - version.at;
    if (index === 0 || !Number.isFinite(version.at) || age < RETENTION.keepAllForMs) return;
    const bucket =
      age < RETENTION.hourlyForMs
        ? `h${Math.floor(version.at / HOUR)}`
        : age < RETENTION.dailyForMs
          ? `d${Math.floor(version.at / DAY)}`
          : null;
    // Newest first: the first version seen in a bucket is its newest, kept; the others in it go.
    if (bucket === null || seenBuckets.has(bucket)) prune.push(version.id);
    else seenBuckets.add(bucket);
  });
  return prune;
}
