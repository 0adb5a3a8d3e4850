import { createHash } from 'node:crypto';
import type { ServerContext } from '../context';
import { badRequest } from '../http/errors';
import type { AccountRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { write } from './notebooks';

/**
 * `Idempotency-Key`: the first request's answer is stored with the write in one transaction; a retry with the
 * same key and body gets that answer again, a different body with the same key is a 400.
 */
export function idempotentWrite<T>(
  ctx: ServerContext,
  user: AccountRow,
  key: string | undefined,
  scope: string,
  body: unknown,
  fn: (changes: Change[]) => T,
): T {
  if (key === undefined) return write(ctx, fn);
  if (key.length === 0 || key.length > 200) {
    throw badRequest('Invalid Idempotency-Key.', [
      { path: 'headers.idempotency-key', message: '1-200 characters' },
    ]);
  }
  const requestHash = createHash('sha256')
    .update(`${scope}\n${JSON.stringify(body)}`)
    .digest('hex');
  return write(ctx, (changes) => {
    const previous = ctx.repo.getIdempotency(user.id, key);
    if (previous) {
      if (previous.requestHash !== requestHash) throw badRequest('Idempotency key conflict.');
      return JSON.parse(previous.response) as T;
    }
    const result = fn(changes);
    ctx.repo.insertIdempotency({
      userId: user.id,
      key,
      requestHash,
      status: 200,
      response: JSON.stringify(result),
      createdAt: ctx.now(),
    });
    return result;
  });
}
