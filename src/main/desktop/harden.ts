import { shell, type WebContents } from 'electron';
import { decideWindowOpen, isNavigationAllowed } from '../security/window-policy';

/** The per-window security handlers every window gets (the decisions are plain functions in security/). */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    // Only http(s)/mailto links that passed isExternalUrlAllowed (≥ 200-URL corpus in security.test.ts).
    if (decision.openExternally) void shell.openExternal(decision.openExternally); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: decision.action };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
}
