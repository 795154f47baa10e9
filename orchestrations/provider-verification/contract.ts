export const VERIFICATION = {
  orchestrator: 'providerVerification',
  check: 'providerVerificationCheck',
} as const;
