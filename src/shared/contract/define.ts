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

type Merged<T extends readonly object[]> = T extends readonly [
  infer Head,
  ...infer Rest extends readonly object[],
]
  ? Head & Merged<Rest>
  : unknown;

/**
 * The contract's one command (or event) map from the per-domain ones (`src/shared/contract/<domain>.ts`). A name
 * two domains define throws here, at load, instead of one silently replacing the other.
 */
export function mergeDomains<const T extends readonly Record<string, object>[]>(...domains: T): Merged<T> {
  const merged: Record<string, object> = {};
  for (const domain of domains)
    for (const [name, spec] of Object.entries(domain)) {
      if (Object.hasOwn(merged, name)) throw new Error(`The contract defines ${name} twice`);
      merged[name] = spec;
    }
  return merged as Merged<T>;
}
