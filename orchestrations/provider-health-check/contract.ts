export const HEALTH_CHECK = {
  orchestrator: 'providerHealthCheck',
  probe: 'providerHealthCheckProbe',
} as const;
