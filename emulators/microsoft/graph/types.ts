import type { AppRegistration, EntraDirectory, EntraTenant } from '../entra/directory';
import type { SigningKey } from '../entra/keys';
import type { Prng } from '../prng';
import type { FaultInjector } from '../realism/faults';
import type { RateLimiter } from '../realism/rate-limiter';
import type { RequestLog } from '../realism/request-log';
import type { RealismSettings } from '../realism/settings';
import type { Catalogue } from '../reference/catalogue';
import type { ApiVersion, GraphReference } from '../reference/load';
import type { Schema } from '../reference/schema';
import type { SeedPlan } from '../tenants/build';
import type { EntityNode, TenantStore } from '../tenants/store';
import type { RequestIds } from './errors';

/** One simulated tenant at run time: its directory entry, Graph objects and realism controls. */
export interface TenantState {
  name: string;
  entra: EntraTenant;
  store: TenantStore;
  plan: SeedPlan;
  realism: RealismSettings;
  faults: FaultInjector;
  jitter: Prng;
  initial: Map<string, Map<string, EntityNode>>;
}

export interface GraphDeps {
  reference: GraphReference;
  schemas: Record<ApiVersion, Schema>;
  catalogue: Catalogue;
  directory: EntraDirectory;
  tenants: Map<string, TenantState>;
  signingKey: SigningKey;
  graphBaseUrl: string;
  log: RequestLog;
  limiter: RateLimiter;
}

export interface Principal {
  tenant: TenantState;
  app: AppRegistration;
  /** Roles in the access token. */
  tokenRoles: string[];
}

export interface GraphCall {
  method: string;
  version: ApiVersion;
  /** Resource path below the version, e.g. /deviceManagement/deviceConfigurations/{id}. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  ids: RequestIds;
  principal: Principal;
  /** The full URL as received (for error messages). */
  url: string;
}

/** What a handled call reports to the logger besides its response. */
export interface CallMeta {
  /** Path template with ids replaced, e.g. /deviceManagement/deviceConfigurations/{id}/assignments. */
  template: string;
  write: boolean;
}
