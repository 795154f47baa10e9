import { z } from 'zod';
import { idSchema } from '../api/schemas';
import { registerRunType } from './run-types';

const connectionInput = z.object({ connectionId: idSchema.optional() }).strict();

export const providerHealthCheck = registerRunType({
  type: 'provider.health_check',
  summary: 'Acquire a token with the connection and make one cheap Graph read',
  capability: 'operations.start',
  input: connectionInput,
  identity: (input) => ({ connectionId: input.connectionId ?? 'default' }),
  orchestrator: 'providerHealthCheck',
  staleAfterMs: 2 * 60_000,
  touchesGraph: true,
});

export const providerVerification = registerRunType({
  type: 'provider.verification',
  summary: "Compare the app's granted Graph permissions with what each feature needs",
  capability: 'operations.start',
  input: connectionInput,
  identity: (input) => ({ connectionId: input.connectionId ?? 'default' }),
  orchestrator: 'providerVerification',
  staleAfterMs: 2 * 60_000,
  touchesGraph: true,
});
