import type { EditorState, Transaction } from '@tiptap/pm/state';

type PluginView = { update?(view: HeadlessView, prev: EditorState): void; destroy?(): void };

/** What y-tiptap's binding needs of an EditorView: its state, dispatch, plugin views, focus, the root. */
export class HeadlessView {
  state: EditorState;
  readonly _root = { getSelection: () => null };
  private readonly views: PluginView[] = [];
  constructor(state: EditorState) {
    this.state = state;
    for (const plugin of state.plugins) {
      const view = plugin.spec.view?.(this as never) as PluginView | undefined;
      if (view) this.views.push(view);
    }
  }
  hasFocus(): boolean {
    return false;
  }
  dispatch(tr: Transaction): void {
    const prev = this.state;
    this.state = this.state.apply(tr);
    for (const view of this.views) view.update?.(this, prev);
  }
  destroy(): void {
    for (const view of this.views) view.destroy?.();
  }
}
