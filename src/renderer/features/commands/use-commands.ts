import { useEffect, useRef } from 'react';
import { commandForKey, type CommandId } from '../../../shared/commands';
import { useApi } from '../../lib/client';
import { isMac } from '../../lib/platform';

/** What each registry command does in this window; a command without a handler is not offered here. */
export type CommandHandlers = Partial<Record<CommandId, () => void>>;

const isCommandId = (handlers: CommandHandlers, id: string): id is CommandId => Object.hasOwn(handlers, id);

/**
 * Binds the registry's shortcuts (one window listener) and the application menu (`ui.command` events from
 * main) to `handlers`. A key the focused control already handled (`defaultPrevented`, e.g. Mod+K on a text
 * selection in the editor edits the link) is left alone.
 */
export function useCommandBindings(handlers: CommandHandlers): void {
  const api = useApi();
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const command = commandForKey(event, isMac);
      if (!command || !isCommandId(current.current, command.id)) return;
      const run = current.current[command.id];
      if (!run) return;
      event.preventDefault();
      if (!event.repeat) run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  useEffect(
    () =>
      api.subscribe('ui.command', ({ commandId }) => {
        if (isCommandId(current.current, commandId)) current.current[commandId]?.();
      }),
    [api],
  );
}
