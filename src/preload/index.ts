import { contextBridge, ipcRenderer } from 'electron';
import {
  BRIDGE_GLOBAL,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type Bridge,
} from '../shared/contract/transport';

/** A generic bridge: invoke a contract command, subscribe to a contract event. No feature code here. */
const bridge: Bridge = {
  invoke: (name, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input),
  subscribe: (event, listener) => {
    const handler = (_: unknown, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
