import type { Retention } from '../schedules/model';
import type { BackupSet } from './model';

const DAY_MS = 86_400_000;

/**
 * The sets of one schedule that its retention prunes. Pinned sets are outside retention: never pruned,
 * and not counted in "the last N". A set is kept when either rule keeps it (the newest `keepLast`, or
 * younger than `keepDays`), so a schedule with both rules never loses more than either alone would
 * take. Sets still in progress are never touched.
 */
export function setsToPrune(
  sets: ReadonlyArray<Pick<BackupSet, 'id' | 'createdAt' | 'pinned' | 'status'>>,
  retention: Retention,
  now: Date,
): string[] {
  const cutoff = retention.keepDays === undefined ? undefined : now.getTime() - retention.keepDays * DAY_MS;
  return sets
    .filter((set) => !set.pinned && set.status !== 'in_progress')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .filter((set, newestFirst) => {
      const keptByCount = retention.keepLast !== undefined && newestFirst < retention.keepLast;
      const keptByAge = cutoff !== undefined && Date.parse(set.createdAt) > cutoff;
      return !keptByCount && !keptByAge;
    })
    .map((set) => set.id);
}
