/** For values the code's own logic guarantees (a row just written, a regex group that matched). */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`invariant: missing ${what}`);
  return value;
}
