export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform random wait up to min(max, base·2^attempt), so many clients
 * coming back after an outage do not retry in lockstep. A server's `Retry-After` is a floor, never ignored.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs: number | null = null,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = random() * ceiling;
  return retryAfterMs === null ? jittered : Math.max(jittered, retryAfterMs);
}
