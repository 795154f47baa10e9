import { describe, expect, it } from 'vitest';
import { setsToPrune } from '../../shared/backup/retention';

const NOW = new Date('2025-06-15T12:00:00Z');
const DAY = 86_400_000;

function set(
  id: string,
  ageDays: number,
  extra: { pinned?: boolean; status?: 'in_progress' | 'complete' | 'partial' } = {},
) {
  return {
    id,
    createdAt: new Date(NOW.getTime() - ageDays * DAY).toISOString(),
    pinned: extra.pinned ?? false,
    status: extra.status ?? ('complete' as const),
  };
}

describe('retention: which backup sets of a schedule are pruned', () => {
  it('keepLast keeps the newest N unpinned sets; pinned sets neither count nor go', () => {
    const sets = [set('s1', 5), set('s2', 4), set('s3', 3, { pinned: true }), set('s4', 2), set('s5', 1)];
    expect(setsToPrune(sets, { keepLast: 2 }, NOW).sort()).toEqual(['s1', 's2']);
  });

  it('keepDays keeps sets younger than D days; exactly D days old is pruned', () => {
    const sets = [set('a', 1), set('b', 6.9), set('c', 7), set('d', 10), set('e', 30, { pinned: true })];
    expect(setsToPrune(sets, { keepDays: 7 }, NOW).sort()).toEqual(['c', 'd']);
  });

  it('with both rules a set is kept when either keeps it', () => {
    const sets = [set('a', 1), set('b', 3), set('c', 8), set('d', 10)];
    expect(setsToPrune(sets, { keepLast: 1, keepDays: 7 }, NOW).sort()).toEqual(['c', 'd']);
    expect(setsToPrune(sets, { keepLast: 3, keepDays: 2 }, NOW)).toEqual(['d']);
  });

  it('never touches a set in progress, and prunes partial sets like complete ones', () => {
    const sets = [set('new', 0, { status: 'in_progress' }), set('p', 1, { status: 'partial' }), set('c', 2)];
    expect(setsToPrune(sets, { keepLast: 1 }, NOW)).toEqual(['c']);
  });

  it('does not depend on the order the sets are listed in', () => {
    const sets = [set('s4', 2), set('s1', 5), set('s5', 1), set('s2', 4)];
    expect(setsToPrune(sets, { keepLast: 3 }, NOW)).toEqual(['s1']);
  });
});
