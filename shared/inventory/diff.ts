export interface JsonChange {
  op: 'add' | 'remove' | 'replace';
  /** JSON pointer; elements of arrays whose items all carry an `id` are addressed by that id. */
  path: string;
  before?: unknown;
  after?: unknown;
}

type Record_ = Record<string, unknown>;

const isObject = (value: unknown): value is Record_ =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function keyedById(items: unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of items) {
    if (!isObject(item) || typeof item.id !== 'string' || map.has(item.id)) return undefined;
    map.set(item.id, item);
  }
  return map;
}

/**
 * The changes that turn `before` into `after`. Arrays of objects with ids (assignments, settings) are
 * compared by id, so Graph returning them in another order is not a change; other arrays by position.
 */
export function diffJson(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyedById(before);
    const b = keyedById(after);
    if (a && b && (a.size > 0 || b.size > 0)) {
      const changes: JsonChange[] = [];
      for (const [id, value] of a) {
        const at = `${path}/${escape(id)}`;
        if (!b.has(id)) changes.push({ op: 'remove', path: at, before: value });
        else changes.push(...diffJson(value, b.get(id), at));
      }
      for (const [id, value] of b)
        if (!a.has(id)) changes.push({ op: 'add', path: `${path}/${escape(id)}`, after: value });
      return changes;
    }
    const changes: JsonChange[] = [];
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      const at = `${path}/${index}`;
      if (index >= after.length) changes.push({ op: 'remove', path: at, before: before[index] });
      else if (index >= before.length) changes.push({ op: 'add', path: at, after: after[index] });
      else changes.push(...diffJson(before[index], after[index], at));
    }
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const changes: JsonChange[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = `${path}/${escape(key)}`;
      if (!(key in after)) changes.push({ op: 'remove', path: at, before: before[key] });
      else if (!(key in before)) changes.push({ op: 'add', path: at, after: after[key] });
      else changes.push(...diffJson(before[key], after[key], at));
    }
    return changes;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ op: 'replace', path: path || '/', before, after }];
}
