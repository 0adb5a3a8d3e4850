import type * as z from 'zod';

/**
 * The contract's building blocks. A command pairs a runtime input schema (validated in main) with a
 * compile-time output type; an event is a compile-time payload type. Renderer, preload and main all derive
 * their types from the one `contract` object, so a renamed field fails to compile everywhere at once.
 */
export interface CommandSpec<I extends z.ZodType, O> {
  /** Built on first read (decision 0009): start-up constructs only the validators of the commands it runs. */
  readonly input: I;
  /** Phantom: carries the output type, never read at run time. */
  output?: O;
}

/**
 * `command<Output>()(() => inputSchema)`: the schema is built the first time `input` is read (the router's
 * first call of that command) and kept, so loading the contract costs no schema construction.
 */
export const command =
  <O>() =>
  <I extends z.ZodType>(build: () => I): CommandSpec<I, O> => {
    let schema: I | undefined;
    return {
      get input(): I {
        return (schema ??= build());
      },
    };
  };

export interface EventSpec<P> {
  payload?: P;
}
export const event = <P>(): EventSpec<P> => ({});
