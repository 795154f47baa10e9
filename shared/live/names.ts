import { HOST_CONNECTION_SETTINGS } from '../config';

/**
 * Names the fan-out, the negotiate and subscribe routes, clients and infra must agree on. Keep them
 * here, not as string literals at the call sites.
 */

/** Service Bus topic of run lifecycle events (infra/main.bicep creates it with duplicate detection). */
export const OPERATION_EVENTS_TOPIC = 'operation-events';

/** The hub in binding metadata: the host resolves it from the SIGNALR_HUB app setting (shared/config.ts). */
export const SIGNALR_HUB_BINDING = '%SIGNALR_HUB%';

export const SIGNALR_CONNECTION = HOST_CONNECTION_SETTINGS.signalR;
export const SERVICE_BUS_CONNECTION = HOST_CONNECTION_SETTINGS.serviceBus;

/** Client-side method names (`connection.on(name, …)`) of the pushes. */
export const HUB_METHODS = {
  /** A run the user started changed: sent to the initiator's connections. */
  runUpdated: 'runUpdated',
  /** A run on a tenant the user subscribed to changed: sent to the tenant's group. */
  tenantRunUpdated: 'tenantRunUpdated',
} as const;

/** The group of everyone watching a tenant (joined through the subscribe route, authorization checked). */
export function tenantGroup(tenantId: string): string {
  return `tenant.${tenantId}`;
}
