import type { Result } from '../lib/result';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from './index';

/** What the preload exposes on `window.hoody` and what the browser-mode socket client implements. */
export interface Bridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** The typed view of a Bridge that renderer code uses. */
export interface Api {
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<Result<CommandOutput<N>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export const BRIDGE_GLOBAL = 'hoody';
export const IPC_INVOKE_CHANNEL = 'hoody:invoke';
export const IPC_EVENT_CHANNEL = 'hoody:event';
