import { shortTypeName } from '../reference/schema';

/**
 * A small OData `$filter` evaluator for the forms Graph clients use on these endpoints:
 * `isof('microsoft.graph.x')`, comparisons (`eq ne gt ge lt le`) on properties and property paths,
 * `startswith` / `endswith` / `contains`, `any` lambdas on collections, `and` / `or` / `not` and parentheses.
 */
export type Predicate = (item: Record<string, unknown>) => boolean;

export class FilterError extends Error {}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'word'; value: string }
  | { kind: 'punct'; value: '(' | ')' | ',' | ':' };

const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterError('Unterminated string literal.');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', value });
    } else if (DATE_LITERAL.test(text.slice(i))) {
      const word = DATE_LITERAL.exec(text.slice(i))![0];
      tokens.push({ kind: 'word', value: word });
      i += word.length;
    } else if ('(),:'.includes(c)) {
      tokens.push({ kind: 'punct', value: c as '(' | ')' | ',' | ':' });
      i++;
    } else {
      const m = /^[^\s(),:']+/.exec(text.slice(i))!;
      const word = m[0];
      i += word.length;
      if (/^-?\d+(\.\d+)?$/.test(word)) tokens.push({ kind: 'number', value: Number(word) });
      else tokens.push({ kind: 'word', value: word });
    }
  }
  return tokens;
}

type Value = (item: Record<string, unknown>, scope: Map<string, unknown>) => unknown;

export function parseFilter(
  text: string,
  isOfType: (item: Record<string, unknown>, type: string) => boolean,
): Predicate {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new FilterError('Unexpected end of filter expression.');
    return t;
  };
  const expectPunct = (p: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.value !== p) throw new FilterError(`Expected '${p}'.`);
  };
  const isWord = (w: string) => {
    const t = peek();
    return t?.kind === 'word' && t.value.toLowerCase() === w;
  };

  const parseOr = (): Value => {
    let left = parseAnd();
    while (isWord('or')) {
      next();
      const l = left;
      const r = parseAnd();
      left = (item, scope) => Boolean(l(item, scope)) || Boolean(r(item, scope));
    }
    return left;
  };
  const parseAnd = (): Value => {
    let left = parseNot();
    while (isWord('and')) {
      next();
      const l = left;
      const r = parseNot();
      left = (item, scope) => Boolean(l(item, scope)) && Boolean(r(item, scope));
    }
    return left;
  };
  const parseNot = (): Value => {
    if (isWord('not')) {
      next();
      const inner = parseNot();
      return (item, scope) => !inner(item, scope);
    }
    return parseComparison();
  };
  const parseComparison = (): Value => {
    const left = parsePrimary();
    const t = peek();
    if (t?.kind === 'word' && ['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(t.value.toLowerCase())) {
      next();
      const op = t.value.toLowerCase();
      const right = parsePrimary();
      return (item, scope) => compare(op, left(item, scope), right(item, scope));
    }
    return left;
  };
  const parseArgs = (): Value[] => {
    expectPunct('(');
    const args: Value[] = [];
    if (peek()?.kind === 'punct' && (peek() as { value: string }).value === ')') {
      next();
      return args;
    }
    for (;;) {
      args.push(parseOr());
      const t = next();
      if (t.kind === 'punct' && t.value === ')') return args;
      if (!(t.kind === 'punct' && t.value === ',')) throw new FilterError("Expected ',' or ')'.");
    }
  };
  const parsePrimary = (): Value => {
    const t = next();
    if (t.kind === 'string' || t.kind === 'number') return () => t.value;
    if (t.kind === 'punct') {
      if (t.value !== '(') throw new FilterError(`Unexpected '${t.value}'.`);
      const inner = parseOr();
      expectPunct(')');
      return inner;
    }
    const word = t.value;
    const lower = word.toLowerCase();
    if (lower === 'true' || lower === 'false') return () => lower === 'true';
    if (lower === 'null') return () => null;
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(word)) return () => word;
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(word)) return () => word;
    const nextTok = peek();
    if (nextTok?.kind === 'punct' && nextTok.value === '(') {
      const args = parseArgs();
      return fn(lower, args);
    }
    // Property path, possibly with a lambda: tags/any(t: t eq 'x')
    const slash = word.indexOf('/');
    if (slash > 0 && /\/(any|all)$/i.test(word)) {
      const collectionPath = word.slice(0, word.lastIndexOf('/'));
      const all = /all$/i.test(word);
      expectPunct('(');
      const variable = next();
      if (variable.kind !== 'word') throw new FilterError('Expected a lambda variable.');
      expectPunct(':');
      const body = parseOr();
      expectPunct(')');
      return (item, scope) => {
        const list = resolvePath(item, scope, collectionPath);
        if (!Array.isArray(list)) return false;
        const test = (v: unknown) => Boolean(body(item, new Map(scope).set(variable.value, v)));
        return all ? list.every(test) : list.some(test);
      };
    }
    return (item, scope) => resolvePath(item, scope, word);
  };
  const fn = (name: string, args: Value[]): Value => {
    const str = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : String(v ?? '').toLowerCase());
    switch (name) {
      case 'startswith':
        return (item, scope) => str(args[0]?.(item, scope)).startsWith(str(args[1]?.(item, scope)));
      case 'endswith':
        return (item, scope) => str(args[0]?.(item, scope)).endsWith(str(args[1]?.(item, scope)));
      case 'contains':
        return (item, scope) => str(args[0]?.(item, scope)).includes(str(args[1]?.(item, scope)));
      case 'tolower':
        return (item, scope) => str(args[0]?.(item, scope));
      case 'isof': {
        const typeArg = args.length === 1 ? args[0] : args[1];
        return (item, scope) => isOfType(item, shortTypeName(String(typeArg?.(item, scope) ?? '')));
      }
      default:
        throw new FilterError(`An unknown function with name '${name}' was found.`);
    }
  };

  const expr = parseOr();
  if (pos !== tokens.length) throw new FilterError(`Syntax error at position ${pos} in '${text}'.`);
  return (item) => Boolean(expr(item, new Map()));
}

function resolvePath(item: Record<string, unknown>, scope: Map<string, unknown>, path: string): unknown {
  const parts = path.split('/');
  let value: unknown = scope.has(parts[0]!) ? scope.get(parts[0]!) : item[parts[0]!];
  for (const part of parts.slice(1)) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  const x = norm(a);
  const y = norm(b);
  switch (op) {
    case 'eq':
      return x === y || (x === undefined && y === null);
    case 'ne':
      return !(x === y || (x === undefined && y === null));
    default: {
      if (x === null || x === undefined || y === null || y === undefined) return false;
      const [l, r] =
        typeof x === 'string' && typeof y === 'string' ? [Date.parse(x) || x, Date.parse(y) || y] : [x, y];
      if (op === 'gt') return (l as number) > (r as number);
      if (op === 'ge') return (l as number) >= (r as number);
      if (op === 'lt') return (l as number) < (r as number);
      return (l as number) <= (r as number);
    }
  }
}
