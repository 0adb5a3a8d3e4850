import {
  commands,
  isCommandName,
  type CommandName,
  type CommandOutput,
  type CommandParsedInput,
} from '../../shared/contract';
import { AppError, ErrorCode, toErrorEnvelope, validationError, type Result } from '../../shared/lib/result';
import { parseSafely } from '../../shared/lib/parse-safely';

export interface CallContext {
  /** Stable id of the window / socket that sent the call (for per-window state and echo suppression). */
  senderId: string;
}

export type Handler<N extends CommandName> = (
  input: CommandParsedInput<N>,
  context: CallContext,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

export type Handlers = { [N in CommandName]: Handler<N> };

/**
 * One domain's part of the table, e.g. `satisfies DomainHandlers<typeof nodeCommands>`: a command of that
 * contract slice without a handler fails to compile; `core/handlers.ts` merges the slices into `Handlers`.
 */
export type DomainHandlers<Domain> = { [N in keyof Domain & CommandName]: Handler<N> };

export interface Router {
  dispatch(name: unknown, input: unknown, context: CallContext): Promise<Result<unknown>>;
}

export interface RouterOptions {
  /** Called with unexpected (non-AppError) failures; they reach the caller only as `internal_error`. */
  onInternalError?: (name: string, error: unknown) => void;
}

/**
 * The single entry for every contract call from any transport: unknown names and invalid inputs are
 * answered with a `bad_request` Result naming the field; handlers' AppErrors pass through as envelopes;
 * anything else becomes `internal_error` without leaking internals. Nothing here throws.
 */
export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  return {
    async dispatch(name, input, context) {
      if (!isCommandName(name)) {
        const shown = typeof name === 'string' ? name.slice(0, 64) : typeof name;
        return fail(
          new AppError(ErrorCode.badRequest, `Unknown command: ${shown}`, [
            { path: 'name', message: 'unknown command' },
          ]),
        );
      }
      const parsed = parseSafely(commands[name].input, input ?? {});
      if (!parsed.success) return fail(validationError(parsed.error.issues, 'input'));
      try {
        const handler = handlers[name] as Handler<CommandName>;
        const value = await handler(parsed.data as CommandParsedInput<CommandName>, context);
        return { ok: true, value: value ?? null };
      } catch (error) {
        if (!(error instanceof AppError)) options.onInternalError?.(name, error);
        return fail(error);
      }
    },
  };
}

const fail = (error: unknown): Result<never> => ({ ok: false, error: toErrorEnvelope(error) });
