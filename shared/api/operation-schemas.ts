import { z } from 'zod';
import { runSchema, runOutcomeSchema, runStatusSchema } from '../operations/model';
import { idSchema, pageQuery } from './schemas';

export const runParams = z.object({ runId: idSchema });

export const startOperationBody = z
  .looseObject({ type: z.string().min(1).max(100) })
  .describe('`type` plus the input of that operation type (e.g. `connectionId`, `selection`).');

export const startOperationResponse = z.object({ run: runSchema, deduplicated: z.boolean() });

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
