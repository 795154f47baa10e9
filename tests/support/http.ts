import { inject } from 'vitest';

export function cloud() {
  return inject('cloud');
}

/** fetch against the shared local cloud's Functions host; JSON in, JSON (or text) out. */
export async function call(
  method: string,
  pathAndQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${cloud().functions.baseUrl}${pathAndQuery}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert response fields one by one
  return { status: response.status, headers: response.headers, text, json: json as any };
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Condition not met within ${timeoutMs} ms`);
}
