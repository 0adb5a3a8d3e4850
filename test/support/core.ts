import type { AppCore } from '../../src/main/core/app-core';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import type {
  CommandInput,
  CommandName,
  CommandOutput,
  NodeView,
  NotebookView,
} from '../../src/shared/contract';

/** Calls a command through the router (the path every transport uses) and unwraps the value. */
export async function call<N extends CommandName>(
  core: AppCore,
  name: N,
  input: CommandInput<N>,
  senderId = 'test',
): Promise<CommandOutput<N>> {
  const result = await core.router.dispatch(name, input, { senderId });
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<N>;
}

/** A new page in the Local account's first notebook and section (what a fresh install has). */
export async function createLocalPage(
  core: AppCore,
  name: string,
): Promise<{ notebook: NotebookView; section: NodeView; page: NodeView }> {
  const accountId = LOCAL_ACCOUNT_ID;
  const [notebook] = await call(core, 'notebook.list', { accountId });
  if (!notebook) throw new Error('no notebook');
  const section = (await call(core, 'node.tree', { accountId, notebookId: notebook.id })).find(
    (n) => n.type === 'section',
  );
  if (!section) throw new Error('no section');
  const page = await call(core, 'node.create', {
    accountId,
    notebookId: notebook.id,
    type: 'page',
    parentId: section.id,
    name,
  });
  return { notebook, section, page };
}
