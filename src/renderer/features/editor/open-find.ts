/** Window event that opens (or focuses) the shown page's find bar: Mod+F, the palette, the application menu. */
export const OPEN_FIND_EVENT = 'hoody:open-find';
