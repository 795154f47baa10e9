import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Settings of the local cloud itself (not of the app): ports and where state lives. */
const localCloudSettingsSchema = z.object({
  LOCAL_FUNCTIONS_PORT: z.coerce.number().int().min(0).max(65535).default(7071),
  LOCAL_COSMOS_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  LOCAL_SIGNALR_PORT: z.coerce.number().int().min(0).max(65535).default(8888),
  LOCAL_MICROSOFT_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  /** Extra entry files (glob, relative to the app root) loaded after package.json `main`: test-only functions. */
  LOCAL_EXTRA_ENTRY_FILES: z.string().optional(),
  /** Allowed browser origins for the API and SignalR negotiate; `*` reflects any origin. */
  LOCAL_CORS_ORIGINS: z.string().default('*'),
  /**
   * More generated Microsoft tenants, comma-separated `name:objects:seed[:groups]` (e.g. `bench:10000:7`
   * for the inventory benchmark, `dir:200:5:100000` for a directory of 100,000 more groups), added to the
   * default ones.
   */
  LOCAL_MICROSOFT_EXTRA_TENANTS: z
    .string()
    .regex(
      /^([a-z][a-z0-9-]*:\d+:\d+(:\d+)?)(,[a-z][a-z0-9-]*:\d+:\d+(:\d+)?)*$/,
      'name:objects:seed[:groups][,…]',
    )
    .optional(),
});

/** The generated tenants named by LOCAL_MICROSOFT_EXTRA_TENANTS. */
export function extraMicrosoftTenants(
  settings: LocalCloudSettings,
): Array<{ name: string; generated: { objects: number; seed: number; groups?: number } }> {
  return (settings.LOCAL_MICROSOFT_EXTRA_TENANTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      const [name, objects, seed, groups] = entry.split(':');
      return {
        name: name!,
        generated: {
          objects: Number(objects),
          seed: Number(seed),
          ...(groups !== undefined && { groups: Number(groups) }),
        },
      };
    });
}

export type LocalCloudSettings = z.infer<typeof localCloudSettingsSchema>;

export function readLocalCloudSettings(env: Record<string, string | undefined>): LocalCloudSettings {
  const result = localCloudSettingsSchema.safeParse(env);
  if (!result.success) {
    throw new Error(
      `Invalid local cloud settings: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return result.data;
}

/**
 * `local.settings.json` `Values`, as the Core Tools apply them: they fill the environment but never
 * override a variable that is already set.
 */
export function applyLocalSettingsFile(appRoot: string, env: Record<string, string | undefined>): void {
  const file = path.join(appRoot, 'local.settings.json');
  if (!existsSync(file)) return;
  const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, string> }).Values ?? {};
  for (const [name, value] of Object.entries(values)) if (env[name] === undefined) env[name] = String(value);
}
