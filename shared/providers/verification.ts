import {
  GRAPH_FEATURES,
  GRAPH_PERMISSIONS,
  type GraphFeatureId,
  type GraphPermission,
} from './graph-permissions';

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface VerificationReport {
  granted: string[];
  features: Record<GraphFeatureId, { title: string; ready: boolean; missing: GraphPermission[] }>;
}

/**
 * What each feature still needs, given the application permissions the tenant granted. A permission
 * counts as granted when it or a broader one covering it (`satisfiedBy`) is granted, so admins are
 * never asked for something they already gave.
 */
export function verifyPermissions(granted: readonly string[]): VerificationReport {
  const has = new Set(granted);
  const covered = (permission: GraphPermission) =>
    has.has(permission) || GRAPH_PERMISSIONS[permission].satisfiedBy.some((p) => has.has(p));
  const features = Object.fromEntries(
    Object.entries(GRAPH_FEATURES).map(([id, feature]) => {
      const missing = (feature.permissions as readonly GraphPermission[]).filter((p) => !covered(p));
      return [id, { title: feature.title, ready: missing.length === 0, missing }];
    }),
  ) as VerificationReport['features'];
  return { granted: [...has].sort(), features };
}
