/** Notebook roles, strongest first. `none` means removed. */
export const NotebookRole = ['owner', 'admin', 'collaborator', 'guest', 'none'] as const;
export type NotebookRole = (typeof NotebookRole)[number];

/** Node roles on sections, pages and databases, strongest first; inherited down the tree. */
export const NodeRole = ['admin', 'editor', 'collaborator', 'viewer'] as const;
export type NodeRole = (typeof NodeRole)[number];

export const NotebookStatus = { active: 1, inactive: 2, readonly: 3 } as const;
export type NotebookStatus = (typeof NotebookStatus)[keyof typeof NotebookStatus];

const rank = <T extends string>(order: readonly T[], role: T): number => order.length - order.indexOf(role);

export const notebookRoleAtLeast = (role: NotebookRole, min: NotebookRole): boolean =>
  rank(NotebookRole, role) >= rank(NotebookRole, min);

export const nodeRoleAtLeast = (role: NodeRole, min: NodeRole): boolean =>
  rank(NodeRole, role) >= rank(NodeRole, min);
