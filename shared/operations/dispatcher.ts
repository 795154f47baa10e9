/** How runs reach the orchestration engine (the Durable client in Functions); a port, so the domain stays framework-free. */
export interface Dispatcher {
  start(orchestrator: string, instanceId: string, input: { runId: string }): Promise<void>;
  terminate(instanceId: string, reason: string): Promise<void>;
  /**
   * Whether an orchestration instance with this id exists in any state. Starting an id whose instance
   * has finished silently restarts it (Durable's startNew), so a start that must happen at most once
   * ever asks this first.
   */
  exists(instanceId: string): Promise<boolean>;
}
