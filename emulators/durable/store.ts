import type { Container } from '@azure/cosmos';
import type { InstanceState } from './instance';

/** Orchestration state in the local Cosmos DB, so a restart of the local cloud resumes running instances. */
export class InstanceStore {
  constructor(private readonly container: Container) {}

  async loadAll(): Promise<InstanceState[]> {
    const { resources } = await this.container.items.query<InstanceState>('SELECT * FROM c').fetchAll();
    return resources.map((doc) => stripSystemFields(doc as InstanceState & Record<string, unknown>));
  }

  async save(state: InstanceState): Promise<void> {
    await this.container.items.upsert(state);
  }

  async delete(id: string): Promise<void> {
    await this.container.item(id, id).delete();
  }
}

function stripSystemFields(doc: InstanceState & Record<string, unknown>): InstanceState {
  const { _rid: _r, _self: _s, _etag: _e, _attachments: _a, _ts: _t, ...state } = doc;
  return state as InstanceState;
}
