import { z } from 'zod';
import { idSchema } from '../api/schemas';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { defineRunType, runTypeList } from '../operations/run-type';

const connectionInput = z.object({ connectionId: idSchema.optional() }).strict();

export const providerHealthCheck = defineRunType({
  type: 'provider.health_check',
  summary: 'Acquire a token with the connection and make one cheap Graph read',
  capability: 'operations.start',
  input: connectionInput,
  identity: (input) => ({ connectionId: input.connectionId ?? 'default' }),
  orchestrator: ORCHESTRATORS.providerHealthCheck,
  staleAfterMs: 2 * 60_000,
  touchesGraph: true,
});

export const providerVerification = defineRunType({
  type: 'provider.verification',
  summary: "Compare the app's granted Graph permissions with what each feature needs",
  capability: 'operations.start',
  input: connectionInput,
  identity: (input) => ({ connectionId: input.connectionId ?? 'default' }),
  orchestrator: ORCHESTRATORS.providerVerification,
  staleAfterMs: 2 * 60_000,
  touchesGraph: true,
});

/** The provider feature's entries of the operation catalog. */
export const providerRunTypes = runTypeList(providerHealthCheck, providerVerification);
