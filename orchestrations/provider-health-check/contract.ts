import { ORCHESTRATORS } from '../../shared/operations/orchestrators';

export const HEALTH_CHECK = {
  orchestrator: ORCHESTRATORS.providerHealthCheck,
  probe: 'providerHealthCheckProbe',
} as const;
