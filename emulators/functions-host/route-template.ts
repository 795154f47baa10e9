/**
 * ASP.NET-style route templates as Azure Functions HTTP triggers use them:
 * `workspaces/{workspaceId}/tenants/{tenantId?}`, constraints such as `{id:int}` or `{id:guid}`,
 * and a catch-all `{*rest}`. Literal segments outrank parameters, as in ASP.NET routing.
 */
export interface CompiledRoute {
  template: string;
  /** Higher wins when several routes match. */
  precedence: number;
  match(path: string): Record<string, string> | undefined;
}

interface Segment {
  literal?: string;
  param?: { name: string; optional: boolean; catchAll: boolean; constraint?: string };
}

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  guid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bool: /^(true|false)$/i,
  alpha: /^[a-z]+$/i,
};

export function compileRoute(template: string): CompiledRoute {
  const segments: Segment[] = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter((s) => s.length > 0)
    .map(parseSegment);
  const precedence = segments.reduce(
    (score, s, i) =>
      score + (s.literal !== undefined ? 3 : s.param!.catchAll ? 0 : s.param!.constraint ? 2 : 1) * 10 ** -i,
    segments.length * 100,
  );
  return {
    template,
    precedence,
    match(path) {
      const parts = path
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .filter((s) => s.length > 0);
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i];
        if (segment.literal !== undefined) {
          if (part === undefined || part.toLowerCase() !== segment.literal.toLowerCase()) return undefined;
          continue;
        }
        const param = segment.param!;
        if (param.catchAll) {
          if (parts.length > i) params[param.name] = parts.slice(i).map(decode).join('/');
          return params;
        }
        if (part === undefined) return param.optional && i === segments.length - 1 ? params : undefined;
        const value = decode(part);
        const constraint = param.constraint ? CONSTRAINTS[param.constraint] : undefined;
        if (constraint && !constraint.test(value)) return undefined;
        params[param.name] = value;
      }
      return parts.length === segments.length ? params : undefined;
    },
  };
}

function parseSegment(text: string): Segment {
  const match = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/.exec(text);
  if (!match) {
    if (text.includes('{')) throw new Error(`Unsupported route segment "${text}"`);
    return { literal: text };
  }
  const [, star, name, constraint, optional] = match;
  if (constraint && !CONSTRAINTS[constraint]) throw new Error(`Unsupported route constraint "${constraint}"`);
  return { param: { name: name!, optional: Boolean(optional), catchAll: Boolean(star), constraint } };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
