import { ORCHESTRATORS } from '../../shared/operations/orchestrators';

export const VERIFICATION = {
  orchestrator: ORCHESTRATORS.providerVerification,
  check: 'providerVerificationCheck',
} as const;
