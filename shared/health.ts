/** A dependency probe: resolves when the dependency answers, rejects with why it does not. */
export type Probe = () => Promise<string | void>;

export interface DependencyStatus {
  status: 'ok' | 'unavailable';
  latencyMs: number;
  detail?: string;
}

export interface HealthReport {
  status: 'healthy' | 'degraded';
  checks: Record<string, DependencyStatus>;
  version: string;
}

/** Runs every probe in parallel with a timeout, so one slow dependency cannot hang the health check. */
export async function checkHealth(
  probes: Record<string, Probe>,
  version: string,
  timeoutMs = 5000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, DependencyStatus]> => {
      const started = performance.now();
      try {
        const detail = await withTimeout(probe(), timeoutMs);
        return [
          name,
          { status: 'ok', latencyMs: Math.round(performance.now() - started), ...(detail && { detail }) },
        ];
      } catch (error) {
        return [
          name,
          {
            status: 'unavailable',
            latencyMs: Math.round(performance.now() - started),
            detail: describeFailure(error),
          },
        ];
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return {
    status: entries.every(([, check]) => check.status === 'ok') ? 'healthy' : 'degraded',
    checks,
    version,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

/** Only the error's class and code: health is public, so no connection strings or hostnames. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code !== undefined ? `${error.name} (${String(code)})` : error.name;
  }
  return 'unknown error';
}

/**
 * A probe for a dependency reached through a Functions binding: the host connects, so the app can
 * only check that the connection setting exists (as a connection string or identity-based form).
 */
export function settingProbe(
  setting: string,
  suffixes: string[],
  options: { optional?: boolean } = {},
): Probe {
  return async () => {
    const configured = suffixes.some((suffix) => Boolean(process.env[`${setting}${suffix}`]));
    if (configured) return 'configured';
    if (options.optional) return 'not configured';
    throw Object.assign(new Error(`${setting} is not set`), { name: 'NotConfigured' });
  };
}
