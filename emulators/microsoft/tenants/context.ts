import { stableGuid } from '../ids';
import { Prng } from '../prng';
import type { GraphReference } from '../reference/load';
import type { Schema } from '../reference/schema';
import { odataType, parseTypeRef } from '../reference/schema';
import { realizeSample, realizeValue, type RealizeHooks } from './realize';

const PASSTHROUGH: RealizeHooks = {
  placeholder: () => undefined,
  timestamp: () => undefined,
  guid: () => undefined,
};
import { childMap, newNode, type EntityNode, type TenantStore } from './store';

export interface GroupRef {
  id: string;
  displayName: string;
}

export interface TenantProfile {
  name: string;
  tenantId: string;
  orgName: string;
  domain: string;
  /** Seed of the content (object ids, names, dates). */
  seed: number;
  /** Appends a running number to display names (generated tenants, where names repeat). */
  numberedNames: boolean;
}

/** Well-known assignment target ids Intune uses for the virtual groups. */
export const ALL_LICENSED_USERS_ID = 'acacacac-9df4-4c7d-9d50-4ef0226f57a9';
export const ALL_DEVICES_ID = 'adadadad-808e-44e2-905a-0b7873a8a531';

const BASE_TIME = Date.UTC(2023, 0, 9, 8, 0, 0);
const SPAN_MS = 900 * 24 * 3600 * 1000;

/**
 * Shared state while a tenant is seeded: deterministic ids, names and timestamps, the pools of groups,
 * filters and scope tags that assignments point at, and helpers to build nodes from samples.
 */
export class BuildContext {
  readonly prng: Prng;
  readonly groups: GroupRef[] = [];
  readonly filters: Array<{ id: string; platform: string }> = [];
  readonly scopeTagIds: string[] = ['0'];
  readonly notificationTemplateIds: string[] = [];
  readonly mobileAppIds: Array<{ id: string; type: string }> = [];
  private counter = 0;
  private nameCounters = new Map<string, number>();

  constructor(
    readonly profile: TenantProfile,
    readonly reference: GraphReference,
    readonly schema: Schema,
    readonly store: TenantStore,
  ) {
    this.prng = new Prng(`${profile.name}:${profile.seed}`);
  }

  id(kind: string): string {
    return stableGuid(this.profile.tenantId, this.profile.seed, kind, ++this.counter);
  }

  /** An Intune-style UTC timestamp (7 fractional digits) somewhere in 2023–2025. */
  timestamp(after?: string): string {
    const start = after ? Date.parse(after) : BASE_TIME;
    const t = start + this.prng.int(after ? 120 * 24 * 3600 * 1000 : SPAN_MS);
    const frac = String(this.prng.int(10_000_000)).padStart(7, '0');
    return new Date(t).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
  }

  /** createdDateTime / lastModifiedDateTime pair. */
  times(): { createdDateTime: string; lastModifiedDateTime: string } {
    const createdDateTime = this.timestamp();
    return { createdDateTime, lastModifiedDateTime: this.timestamp(createdDateTime) };
  }

  /** A display name; repeats get a number (" (2)", or " 0002" in generated tenants) so names stay distinct. */
  name(base: string): string {
    const n = (this.nameCounters.get(base) ?? 0) + 1;
    this.nameCounters.set(base, n);
    if (n === 1) return base;
    return this.profile.numberedNames ? `${base} ${String(n).padStart(4, '0')}` : `${base} (${n})`;
  }

  hooks(displayName: string, description: string): RealizeHooks {
    return {
      placeholder: (prop) => this.placeholder(prop, displayName, description),
      timestamp: () => this.timestamp(),
      guid: () => this.id('guid'),
    };
  }

  private placeholder(prop: string, displayName: string, description: string): unknown {
    const p = prop.toLowerCase();
    if (p === 'displayname' || p === 'name') return displayName;
    if (p === 'description') return description;
    if (p.endsWith('url') || p.endsWith('uri'))
      return `https://www.${this.profile.domain.replace('.onmicrosoft.com', '.com')}/`;
    if (p.includes('email') || p.includes('mail')) return `it-support@${this.profile.domain}`;
    if (p.includes('phone')) return '+1 425 555 0100';
    if (p.includes('version')) return '1.0';
    if (p.endsWith('id')) return this.id(prop);
    if (p.includes('publisher')) return this.profile.orgName;
    return prop.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
  }

  /** A realized sample of `type` with the given members on top (undefined members are removed). */
  payload(type: string, displayName: string, overrides: Record<string, unknown> = {}, description?: string) {
    const desc = description ?? `${displayName} (managed by ${this.profile.orgName} IT)`;
    const data = realizeSample(this.reference, this.schema, type, this.hooks(displayName, desc));
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete data[k];
      else data[k] = v;
    }
    // Second pass over the hand-written members: same schema rules, values kept as written.
    return (
      (realizeValue(this.schema, type, data, PASSTHROUGH) as Record<string, unknown> | undefined) ?? data
    );
  }

  /** Creates, stores and returns an entity node from a sample. */
  add(
    collection: string,
    type: string,
    displayName: string,
    overrides: Record<string, unknown> = {},
  ): EntityNode {
    const { properties } = this.schema.members(type);
    const base: Record<string, unknown> = { id: this.id(collection) };
    const times = this.times();
    if (properties.has('createdDateTime')) base.createdDateTime = times.createdDateTime;
    if (properties.has('lastModifiedDateTime')) base.lastModifiedDateTime = times.lastModifiedDateTime;
    if (properties.has('modifiedDateTime')) base.modifiedDateTime = times.lastModifiedDateTime;
    if (properties.has('roleScopeTagIds')) base.roleScopeTagIds = this.scopeTags();
    const nameKey = properties.has('displayName')
      ? 'displayName'
      : properties.has('name')
        ? 'name'
        : undefined;
    if (nameKey) base[nameKey] = displayName;
    const node = newNode(type, this.payload(type, displayName, { ...base, ...overrides }));
    return this.store.add(collection, node);
  }

  /** Adds a contained child (settings, values, localized messages …) built from the child type's sample. */
  child(parent: EntityNode, nav: string, type: string, overrides: Record<string, unknown> = {}): EntityNode {
    const node = newNode(
      type,
      this.payload(type, String(overrides.displayName ?? ''), { id: this.id(nav), ...overrides }),
    );
    childMap(parent, nav).set(node.id, node);
    return node;
  }

  scopeTags(): string[] {
    if (this.scopeTagIds.length === 1 || this.prng.chance(0.6)) return ['0'];
    return ['0', this.prng.pick(this.scopeTagIds.slice(1))];
  }

  /**
   * Assignments for a policy: include groups (some with an assignment filter), sometimes an exclusion
   * group, sometimes all devices / all licensed users. The shape follows the assignment type's `target`.
   */
  assign(
    parent: EntityNode,
    nav = 'assignments',
    extra: (i: number) => Record<string, unknown> = () => ({}),
  ): void {
    const navDecl = this.schema.navigation(parent.type, nav);
    if (!navDecl) return;
    const assignmentType = parseTypeRef(navDecl.type).type;
    const targetDecl = this.schema.property(assignmentType, 'target');
    const count = this.prng.int(4);
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const target = this.target(
        targetDecl ? parseTypeRef(targetDecl.type).type : 'deviceAndAppManagementAssignmentTarget',
        i,
      );
      const key = String(target.groupId ?? target['@odata.type']);
      if (used.has(key)) continue;
      used.add(key);
      const overrides: Record<string, unknown> = {
        id: `${parent.id}_${key.startsWith('#') ? i : key}`,
        target,
        ...extra(i),
      };
      const { properties } = this.schema.members(assignmentType);
      if (properties.has('source')) overrides.source = 'direct';
      if (properties.has('sourceId')) overrides.sourceId = parent.id;
      if (properties.has('lastModifiedDateTime')) overrides.lastModifiedDateTime = this.timestamp();
      const node = newNode(assignmentType, this.payload(assignmentType, '', overrides));
      if (!('settings' in overrides)) delete node.data.settings;
      childMap(parent, nav).set(node.id, node);
    }
  }

  private target(declared: string, index: number): Record<string, unknown> {
    const withFilter = (t: Record<string, unknown>) => {
      if (
        !this.schema.property(
          String(t['@odata.type']).replace('#microsoft.graph.', ''),
          'deviceAndAppManagementAssignmentFilterId',
        )
      )
        return t;
      const filter =
        this.filters.length > 0 && this.prng.chance(0.3) ? this.prng.pick(this.filters) : undefined;
      return {
        ...t,
        deviceAndAppManagementAssignmentFilterId: filter?.id ?? null,
        deviceAndAppManagementAssignmentFilterType: filter ? this.prng.pick(['include', 'exclude']) : 'none',
      };
    };
    if (this.schema.isDerivedFrom('groupAssignmentTarget', declared)) {
      const roll = this.prng.next();
      if (index > 0 && roll < 0.2 && this.groups.length > 0) {
        return withFilter({
          '@odata.type': odataType('exclusionGroupAssignmentTarget'),
          groupId: this.prng.pick(this.groups).id,
        });
      }
      if (roll < 0.3) return withFilter({ '@odata.type': odataType('allDevicesAssignmentTarget') });
      if (roll < 0.4) return withFilter({ '@odata.type': odataType('allLicensedUsersAssignmentTarget') });
      if (this.groups.length === 0)
        return withFilter({ '@odata.type': odataType('allDevicesAssignmentTarget') });
      return withFilter({
        '@odata.type': odataType('groupAssignmentTarget'),
        groupId: this.prng.pick(this.groups).id,
      });
    }
    const concrete = [declared, ...this.schema.derivedTypes(declared)].find(
      (t) => !this.schema.isAbstract(t) && this.schema.property(t, 'groupId'),
    );
    if (!concrete) return { '@odata.type': odataType(declared) };
    return {
      '@odata.type': odataType(concrete),
      groupId: this.groups.length > 0 ? this.prng.pick(this.groups).id : ALL_DEVICES_ID,
    };
  }
}

/** Base64 of a UTF-8 text (script content, XML payloads). */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
