import * as z from 'zod';
import { NODE_TYPES, NodeAlias } from '../model/nodes';
import { ApiId, Pagination } from './common';

export const NodeTypeInput = z.enum(NODE_TYPES, {
  error: (issue) => `Unsupported type '${String(issue.input)}'`,
});

/** Page aliases (`onboarding`, `q4-plan`); the rule lives with the node attributes in the model. */
export { NodeAlias };

/** Attribute objects are validated against the node type's schema (src/shared/model/nodes.ts) by the server. */
const AttributesInput = z.record(z.string().max(64), z.unknown());

export const NodeCreateBody = z.object({
  id: ApiId.optional(),
  type: NodeTypeInput,
  parentId: ApiId.nullable().optional(),
  attributes: AttributesInput,
});

export const NodeUpdateBody = z.object({ attributes: AttributesInput });

export const NodeListQuery = Pagination.extend({
  type: NodeTypeInput.optional(),
  parentId: ApiId.optional(),
  rootId: ApiId.optional(),
});

export const AliasParams = z.object({ notebookId: ApiId, alias: z.string().max(256) });

/**
 * A node as REST returns it: its attributes flattened onto the object (as in the reference's examples, so
 * `name`, `icon`, `alias` read directly) and also kept whole under `attributes`.
 */
export const NodeOutput = z
  .object({
    id: z.string(),
    type: z.enum(NODE_TYPES),
    parentId: z.string().nullable(),
    rootId: z.string(),
    name: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    revision: z.string(),
  })
  .loose();
export type NodeOutput = z.infer<typeof NodeOutput>;

export const NodeList = z.object({ nodes: z.array(NodeOutput), total: z.number().int() });
