import type { Container, ItemDefinition } from '@azure/cosmos';

/** A checkpoint as read from the lease container, with the ETag a later write must match. */
export interface Lease<S> {
  state: S;
  etag: string;
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * One lease document (`{ id: leaseId, ...state }`) in a container partitioned by /id. Every write is
 * conditional, so two instances of the same trigger cannot overwrite each other's checkpoint unnoticed:
 * create answers 409 when the lease already exists, replace answers 412 when it changed since it was read.
 */
export class LeaseStore<S extends object> {
  constructor(
    private readonly container: Container,
    private readonly leaseId: string,
  ) {}

  async read(): Promise<Lease<S> | undefined> {
    try {
      const { resource } = await this.container.item(this.leaseId, this.leaseId).read<ItemDefinition>();
      return resource ? this.toLease(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The new lease, or undefined when another instance created it first (409). */
  async create(state: S): Promise<Lease<S> | undefined> {
    try {
      const { resource } = await this.container.items.create({ ...state, id: this.leaseId });
      return this.toLease(this.required(resource));
    } catch (error) {
      if (statusOf(error) === 409) return undefined;
      throw error;
    }
  }

  /** The updated lease, or undefined when it changed since `etag` was read (412): the caller re-reads. */
  async replace(state: S, etag: string): Promise<Lease<S> | undefined> {
    try {
      const { resource } = await this.container
        .item(this.leaseId, this.leaseId)
        .replace({ ...state, id: this.leaseId }, { accessCondition: { type: 'IfMatch', condition: etag } });
      return this.toLease(this.required(resource));
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private required(resource: ItemDefinition | undefined): ItemDefinition {
    if (!resource) throw new Error(`Lease ${this.leaseId}: the write returned no document`);
    return resource;
  }

  private toLease(resource: ItemDefinition): Lease<S> {
    const { id: _id, _rid, _self, _etag, _ts, _attachments, ...state } = resource;
    return { state: state as S, etag: String(_etag) };
  }
}
