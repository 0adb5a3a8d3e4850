import * as z from 'zod';

/** Input schemas the domains share. */

export const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
export const name = z.string().trim().min(1, 'must not be empty').max(256);
export const accountId = id;
export const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be bytes');
