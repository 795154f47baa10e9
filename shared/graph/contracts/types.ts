/**
 * The shape of a Graph contract: everything the app knows about one Graph collection, as data. Code that
 * reaches Graph takes a contract and builds its requests from it (see `requests.ts`); nothing else
 * spells a Graph path.
 */

export type GraphApiVersion = 'v1.0' | 'beta';

export type ContractCategory =
  | 'configuration'
  | 'compliance'
  | 'enrollment'
  | 'scripts'
  | 'apps'
  | 'appProtection'
  | 'updates'
  | 'foundations'
  | 'conditionalAccess'
  | 'windows365'
  | 'tenantAdministration'
  | 'directory';

/**
 * What the inventory does with the collection: `policy` types are always synced, `foundation` types when
 * the selection includes foundations, `dependency` types (groups) only for the objects assignments
 * reference, `directory` types by their own directory-cache runs, `internal` ones never (permission
 * verification), `reference` ones never either (Microsoft's built-in objects other objects name, read by
 * the restore preview to map those references: intent templates).
 */
export type InventoryRole = 'policy' | 'foundation' | 'dependency' | 'directory' | 'internal' | 'reference';

export type Platform = 'windows' | 'macOS' | 'iOS' | 'android' | 'linux' | 'all' | 'unknown';

export type PlatformRule =
  | { from: 'fixed'; platform: Platform }
  /** From the object's `@odata.type` name (`#microsoft.graph.iosCompliancePolicy` → iOS). */
  | { from: 'odataType' }
  /** From a property holding Graph platform enum values (`platforms: "windows10"`, `platform: "iOS"`). */
  | { from: 'property'; property: string };

/** How the assignments of an object are read. */
export type AssignmentsRead =
  /** `$expand=assignments` on the list: no extra request. */
  | 'expand'
  /** `GET …/{id}/assignments`, packed 20 per `$batch`. */
  | 'subresource'
  | 'none';

/** How assignments are written on restore. */
export type AssignmentsWrite =
  /** `POST …/{id}/{action}` with `{ [bodyKey]: assignments }` (replaces all assignments). */
  | { kind: 'action'; action: 'assign' | 'update'; bodyKey: string }
  /** `POST …/{id}/assignments`, one request per assignment (no bulk action exists). */
  | { kind: 'post-assignments' }
  | { kind: 'none' };

export interface SubResourceContract {
  /** Navigation property: the path segment below the object, and the `$expand` name. */
  name: string;
  /** `expand`: inline in the list (`$expand=name(...)`); `batch`: `GET …/{id}/name` packed in `$batch`. */
  read: 'expand' | 'batch';
  /** Query options applied to the sub-resource (inside `$expand=name(...)` or on the batched GET). */
  expand?: readonly string[];
  /** On restore: sent inside the parent's POST body, created by separate POSTs, or not restorable. */
  write: 'inline' | 'separate' | 'none';
  /** Sub-resources of each sub-resource item (group policy `definitionValues` → `presentationValues`). */
  children?: readonly SubResourceContract[];
  /**
   * On restore, the action that writes the whole sub-resource collection of an existing object, where
   * Graph refuses it in a PATCH: `POST …/{id}/{action}` with `{ [bodyKey]: items }` (compliance
   * `scheduleActionsForRules`); with `deletedIdsKey`, the ids of the items it replaces go under that key
   * (`updateDefinitionValues` with `{added, deletedIds}`, policySet `update` with
   * `{addedPolicySetItems, deletedPolicySetItemIds}`).
   */
  writeAction?: { action: string; bodyKey: string; deletedIdsKey?: string };
  /**
   * Expanded single-valued navigations written back as `{nav}@odata.bind` references, by nav name: the
   * path below the version root, where `{id}` is the expanded object's id and `{parent.nav}` the id of
   * the parent item's expanded `nav` (a presentation lives under its definition).
   */
  binds?: Readonly<Record<string, string>>;
  /**
   * The member that identifies an item across tenants and writes (a setting's definition id), as a
   * dotted path in the item: drift compares the collection as a set keyed by it, so order and item ids
   * never count as a difference. Absent: items are compared as a set of whole values.
   */
  itemKey?: string;
}

/**
 * A reference from one object to another, by id: restore maps it into the target tenant. `path` walks the
 * object (`a.b` members, `[]` every element): `conditions.users.includeGroups[]`.
 */
export interface ReferenceRule {
  /** Where the id sits: in the object (default) or in each assignment. */
  part?: 'object' | 'assignments';
  path: string;
  /** The contract key of the referenced objects, or `groups` (mapped through the directory cache). */
  target: string;
  /** Values that are keywords, not ids, kept as they are (`All`, `AllTrusted`, the zero GUID). */
  keep?: readonly string[];
  /**
   * `id`: the referenced objects carry the same id in every tenant (Microsoft's built-in templates), so
   * they map by id only, in any target; default: by id in the same tenant, else by display name.
   */
  matchBy?: 'id';
  /**
   * The reason code that blocks the item when the target lacks the referenced object (default
   * `dependency_missing`): `template_missing`.
   */
  missingReason?: string;
}

/** How restore writes a family beyond the defaults (POST to create, PATCH to update), as data. */
export interface RestoreRecipe {
  /** `put`: an update replaces the whole object with its inline sub-resources (settings catalog). */
  update?: 'patch' | 'put';
  /**
   * Created through an action instead of a POST to the collection (intents:
   * `templates/{templateId}/createInstance`): `path` below the version root, `{member}` filled from the
   * object; the body holds `members` of the object and each inline sub-resource under the key `inline`
   * names (`settings` → `settingsDelta`).
   */
  createVia?: { path: string; members: readonly string[]; inline: Readonly<Record<string, string>> };
  /** Objects with one of these property values are built in: never created, never written. */
  builtInWhen?: ReadonlyArray<{ property: string; equals: unknown }>;
  /** Ids inside the object that point at other objects. */
  references?: readonly ReferenceRule[];
  /**
   * Conditional Access safety: a restore never switches enforcement on unless the caller opts in. An
   * object whose `property` is `enforcing` in the backup is written with `value` (report-only), except
   * where the target already enforces it.
   */
  reportOnlyState?: { property: string; enforcing: string; value: string };
}

/**
 * What the contract's path addresses. `collection`: many objects, listed page by page and created by POST.
 * `singleton`: one object per tenant at `collectionPath` (`/deviceManagement/applePushNotificationCertificate`):
 * read by one GET that answers the object itself (no paging, no id in the path), never created or deleted.
 */
export type ContractShape =
  | { kind: 'collection' }
  | {
      kind: 'singleton';
      /**
       * How restore writes the singleton back, or null where Graph has no PATCH for it: `PATCH {path}` with
       * the object as the body, or with the object under `bodyKey` when Graph changes it through its parent
       * (`PATCH /deviceManagement` with `{settings: …}`). `updateRequest` builds exactly this request.
       */
      patch: SingletonPatch | null;
    };

export interface SingletonPatch {
  /** Path below the version root that takes the PATCH. */
  path: string;
  /** The body member the object goes under; absent = the object is the body. */
  bodyKey?: string;
}

export interface PermissionRequirement {
  /** Least-privileged application permission that allows the reads. */
  read: string;
  /** Least-privileged application permission that allows restore writes, or null for read-only types. */
  write: string | null;
}

export interface GraphContract {
  /** Stable resource key: policy type in selections, inventory items and backups. Never rename. */
  key: string;
  label: string;
  category: ContractCategory;
  role: InventoryRole;
  apiVersion: GraphApiVersion;
  /** Collection path below the version root, without parameters (a singleton's own path). */
  collectionPath: string;
  /** A collection of objects or one object per tenant; restore of a singleton is `shape.patch`. */
  shape: ContractShape;
  /** CSDL element type of the collection (short name inside `microsoft.graph`). */
  elementType: string;
  /** `$select` for lists and gets. Absent = full objects (derived-type properties would be lost otherwise). */
  select?: readonly string[];
  /** `$expand` for lists and gets, besides assignments and expanded sub-resources. */
  expand?: readonly string[];
  /** `$filter` of every list (update rings are `deviceConfigurations` filtered by `isof`). */
  filter?: string;
  /** Parameterised filters a caller may pick by name; `{name}` placeholders are filled OData-quoted. */
  namedFilters?: Readonly<Record<string, string>>;
  /** `@odata.type`s (short names) skipped when listing: they belong to another contract of the same path. */
  excludedTypes?: readonly string[];
  platform: PlatformRule;
  assignments: { read: AssignmentsRead; write: AssignmentsWrite };
  subResources: readonly SubResourceContract[];
  /** `getById`: the list omits part of the object (script content), so each object is re-read by id. */
  detailRead: 'list' | 'getById';
  /**
   * Graph's change tracking on the collection: `delta` = `GET {collectionPath}/delta` answers pages ending
   * in an `@odata.deltaLink` that later answers only what changed (directory groups). Absent = none.
   */
  changeTracking?: 'delta';
  restorable: boolean;
  /** Why restore is limited or special, for the restore preview and the docs. */
  restoreNote?: string;
  /** Restore's recipe where the family differs from POST / PATCH. */
  restore?: RestoreRecipe;
  permissions: PermissionRequirement;
}
