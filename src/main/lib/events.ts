import type { EventName, EventPayload } from '../../shared/contract';

export interface EmittedEvent<E extends EventName = EventName> {
  name: E;
  payload: EventPayload<E>;
  /** The IPC sender that caused it, so transports can skip echoing an update back to its author. */
  originSenderId: string | null;
  /**
   * Only this IPC sender (window, browser tab) gets it; `null`: every window. For payloads that differ per
   * window, e.g. `presence.changed` (a window is never told about its own caret).
   */
  targetSenderId: string | null;
}

type Listener = (event: EmittedEvent) => void;

/** In-process fan-out of contract events to the transports (Electron windows, browser-mode sockets). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>, originSenderId: string | null = null): void {
    this.dispatch({ name, payload, originSenderId, targetSenderId: null } as EmittedEvent);
  }

  /** An event for one window only (transports drop it for every other sender). */
  emitTo<E extends EventName>(targetSenderId: string, name: E, payload: EventPayload<E>): void {
    this.dispatch({ name, payload, originSenderId: null, targetSenderId } as EmittedEvent);
  }

  private dispatch(event: EmittedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Narrows an event to one name so its payload is typed. */
export const isEvent = <E extends EventName>(event: EmittedEvent, name: E): event is EmittedEvent<E> =>
  event.name === name;

/** Whether a transport delivers `event` to `senderId` (targeted events go to their window only; no echoes). */
export function deliversTo(event: EmittedEvent, senderId: string): boolean {
  if (event.targetSenderId !== null && event.targetSenderId !== senderId) return false;
  return !(event.name === 'document.updated' && event.originSenderId === senderId);
}
