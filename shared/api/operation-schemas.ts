import { z } from 'zod';
import { runSchema, runOutcomeSchema, runStatusSchema } from '../operations/model';
import { idSchema, pageQuery } from './schemas';

export const runParams = z.object({ runId: idSchema });

export const startOperationBody = z
  .looseObject({ type: z.string().min(1).max(100) })
  .describe('`type` plus the input of that operation type (e.g. `connectionId`, `selection`).');

/** A run as the API shows it: the document plus how people read it (from its run type's text). */
export const runViewSchema = runSchema.extend({
  label: z.string().describe('What the run is: "Inventory sync".'),
  summary: z
    .string()
    .describe('One line for people: "Inventory sync of Contoso finished — 239 objects, 2 changed".'),
});

export const startOperationResponse = z.object({ run: runViewSchema, deduplicated: z.boolean() });

export const listOperationsQuery = pageQuery.extend({
  workspaceId: idSchema,
  tenantId: idSchema.optional(),
  type: z.string().max(100).optional(),
  status: runStatusSchema.optional(),
  outcome: runOutcomeSchema.optional(),
  initiator: idSchema.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
