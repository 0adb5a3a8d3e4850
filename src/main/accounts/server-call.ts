import { AppError, ErrorCode } from '../../shared/lib/result';
import { ServerFailure, ServerRequestError } from './server-client';

/**
 * A REST call the user asked for that only the server can do (notebooks, members): nothing is changed here
 * unless it succeeds, so unreachable says exactly that, and a refusal carries the server's own message.
 */
export async function serverCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ServerRequestError)) throw error;
    if (error.transient)
      throw new AppError(
        ErrorCode.unavailable,
        `The server cannot be reached, so nothing was changed: try again when you are online (${error.message})`,
      );
    const code =
      error.failure === ServerFailure.rejected && error.status === 403
        ? ErrorCode.forbidden
        : ErrorCode.badRequest;
    throw new AppError(code, error.message);
  }
}
