import { z } from 'zod';
import { idSchema } from '../api/schemas';
import { cancelDetail, count, failureDetail, resultNumber } from '../operations/run-text';
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
  text: {
    label: 'Connection health check',
    ended: {
      succeeded: (run) => `Microsoft Graph answered in ${resultNumber(run, 'latencyMs')} ms`,
      partially_succeeded: failureDetail,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
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
  text: {
    label: 'Permission check',
    ended: {
      succeeded: (run) => {
        const features = Object.values((run.result?.features ?? {}) as Record<string, { ready?: boolean }>);
        const ready = features.filter((f) => f.ready).length;
        return ready === features.length
          ? `all ${count(features.length, 'feature')} ready`
          : `${ready} of ${count(features.length, 'feature')} ready; the others need permissions granted`;
      },
      partially_succeeded: failureDetail,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
});

/** The provider feature's entries of the operation catalog. */
export const providerRunTypes = runTypeList(providerHealthCheck, providerVerification);
