import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { isConflict, readItem, updateWithEtag, withoutSystemFields } from '../store/documents';

/**
 * The tenants a golden tenant's group rename has still to reach (docs/drift.md): the rename evaluates
 * the baseline objects naming the group in the baseline's first tenants itself, and leaves the rest in
 * this marker; the marker comes back through the drift container's feed, which evaluates the next
 * tenants and removes them from it — so no invocation runs long however many tenants the baseline has,
 * as with a baseline change (`evaluationPending`).
 */
export const goldenRenamePendingSchema = z.object({
  id: z.string(),
  docType: z.literal('goldenRenamePending'),
  workspaceId: z.string(),
  baselineId: z.string(),
  /** The baseline objects to evaluate (every rename's since the marker was last empty). */
  objectKeys: z.array(z.string()),
  /** The tenants not evaluated yet, in order. */
  tenantIds: z.array(z.string()),
  /** Counts the renames merged in: tenants are removed only by an invocation that read the same count. */
  revision: z.number(),
  at: z.string(),
});
export type GoldenRenamePending = z.infer<typeof goldenRenamePendingSchema>;

export const goldenRenamePendingIdOf = (baselineId: string) => `golden-rename-pending-${baselineId}`;

export class GoldenRenames {
  constructor(private readonly container: Container) {}

  async pending(workspaceId: string, baselineId: string): Promise<GoldenRenamePending | undefined> {
    const doc = await readItem(this.container, goldenRenamePendingIdOf(baselineId), workspaceId);
    const parsed = goldenRenamePendingSchema.safeParse(doc && withoutSystemFields(doc));
    return parsed.success ? parsed.data : undefined;
  }

  /** Leaves tenants to evaluate for these objects: a new marker, or merged into the one there. */
  async add(
    marker: Pick<GoldenRenamePending, 'workspaceId' | 'baselineId' | 'objectKeys' | 'tenantIds' | 'at'>,
  ): Promise<void> {
    const id = goldenRenamePendingIdOf(marker.baselineId);
    const created: GoldenRenamePending = { ...marker, id, docType: 'goldenRenamePending', revision: 1 };
    try {
      await this.container.items.create(created);
      return;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    await updateWithEtag<GoldenRenamePending>(this.container, id, marker.workspaceId, (current) => ({
      ...current,
      // An empty marker's objects were all evaluated: only the new rename's are left.
      objectKeys:
        current.tenantIds.length === 0 ? marker.objectKeys : union(current.objectKeys, marker.objectKeys),
      tenantIds: union(current.tenantIds, marker.tenantIds),
      revision: current.revision + 1,
      at: marker.at,
    }));
  }

  /**
   * Removes tenants an invocation evaluated — unless a rename was merged in since it read the marker:
   * then they stay, and the next invocation evaluates them again with every object (an evaluation that
   * changes nothing writes nothing). The marker stays when empty: a rename racing a delete would be lost.
   */
  async evaluated(marker: GoldenRenamePending, tenantIds: readonly string[]): Promise<void> {
    const done = new Set(tenantIds);
    try {
      await updateWithEtag<GoldenRenamePending>(this.container, marker.id, marker.workspaceId, (current) =>
        current.revision !== marker.revision
          ? undefined
          : { ...current, tenantIds: current.tenantIds.filter((id) => !done.has(id)) },
      );
    } catch (error) {
      // Deleted with its baseline meanwhile: nothing is left to evaluate.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
