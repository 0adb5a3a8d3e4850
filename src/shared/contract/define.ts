import type * as z from 'zod';

/**
 * The contract's building blocks. A command pairs a runtime input schema (validated in main) with a
 * compile-time output type; an event is a compile-time payload type. Renderer, preload and main all derive
 * their types from the one `contract` object, so a renamed field fails to compile everywhere at once.
 */
export interface CommandSpec<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type, never read at run time. */
  output?: O;
}

export const command =
  <O>() =>
  <I extends z.ZodType>(input: I): CommandSpec<I, O> => ({ input });

export interface EventSpec<P> {
  payload?: P;
}
export const event = <P>(): EventSpec<P> => ({});
