import type { EventName, EventPayload } from '../../shared/contract';

export interface EmittedEvent<E extends EventName = EventName> {
  name: E;
  payload: EventPayload<E>;
  /** The IPC sender that caused it, so transports can skip echoing an update back to its author. */
  originSenderId: string | null;
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
    const event = { name, payload, originSenderId } as EmittedEvent;
    for (const listener of this.listeners) listener(event);
  }
}

/** Narrows an event to one name so its payload is typed. */
export const isEvent = <E extends EventName>(event: EmittedEvent, name: E): event is EmittedEvent<E> =>
  event.name === name;
