/**
 * Resolves binding expressions such as `{headers.x-ms-client-principal-id}` or `{query.userId}` against
 * the invocation's data, as the host does for binding properties. Header names are case-insensitive.
 */
export function resolveBindingExpression(
  template: unknown,
  data: Record<string, unknown>,
): string | undefined {
  if (typeof template !== 'string') return undefined;
  let missing = false;
  const value = template.replace(/\{([^{}]+)\}/g, (_match, expression: string) => {
    const resolved = lookup(data, expression.split('.'));
    if (resolved === undefined || resolved === null) missing = true;
    return resolved === undefined || resolved === null ? '' : String(resolved);
  });
  return missing ? undefined : value;
}

function lookup(data: unknown, path: string[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const match = Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
    current = match === undefined ? undefined : record[match];
  }
  return current;
}

/** `%Setting%` placeholders in binding properties (schedules, names) come from app settings. */
export function resolveAppSettings(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/%([^%]+)%/g, (_match, name: string) => {
    const setting = env[name];
    if (setting === undefined) throw new Error(`App setting "${name}" referenced as %${name}% is not set.`);
    return setting;
  });
}
