/** Nesting depth of plain JSON, stopping once past `limit` (a hostile body can be very deep). */
export function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, level] = stack.pop()!;
    if (level > max) max = level;
    if (max > limit) return max;
    if (typeof item === 'object' && item !== null)
      for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return max;
}
