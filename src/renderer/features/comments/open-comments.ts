/** Window event that opens the shown page's comments (the palette, Mod+Alt+M, the application menu). */
export const OPEN_COMMENTS_EVENT = 'hoody:open-comments';
