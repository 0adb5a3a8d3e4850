import * as z from 'zod';

/**
 * `schema.safeParse(value)` that never throws. zod 4's length checks (`.min`, `.max`, `.length`) run even
 * after the type check failed, on anything with a `length`, and compare that `length` with a number: a
 * hostile value such as `{"length":[{"toString":0,"valueOf":0}]}` (plain JSON) makes the comparison throw
 * a TypeError out of `safeParse`. Such a value is bad input (a 4xx, a refused frame), not an internal error.
 */
export function parseSafely<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(value);
  } catch {
    const issue = { code: 'custom' as const, path: [], message: 'Unreadable value', input: value };
    return { success: false, error: new z.ZodError([issue]) as z.ZodError<z.output<S>> };
  }
}
