/** How runs reach the orchestration engine (the Durable client in Functions); a port, so the domain stays framework-free. */
export interface Dispatcher {
  start(orchestrator: string, instanceId: string, input: { runId: string }): Promise<void>;
  terminate(instanceId: string, reason: string): Promise<void>;
}
