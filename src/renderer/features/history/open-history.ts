/** Window event that opens the shown page's History panel (the palette, Mod+Alt+H, the application menu). */
export const OPEN_HISTORY_EVENT = 'hoody:open-history';
