import { listOf, longIdSchema, tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import {
  diffQuery,
  diffView,
  historyView,
  inventoryItemView,
  inventoryListQuery,
  itemWithVersionView,
  versionView,
} from '../shared/inventory/views';
import { defineRoute } from './http/route';

const tag = 'Inventory';
const access = { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' } as const;
// Item ids embed Graph ids; unknown ones are a 404 of the item, not a validation error.
const itemParams = tenantParams.extend({ itemId: longIdSchema });
const versionParams = itemParams.extend({ versionId: longIdSchema });
const base = '/workspaces/{workspaceId}/tenants/{tenantId}/inventory';

defineRoute(
  {
    name: 'listInventory',
    method: 'GET',
    path: base,
    summary: 'Inventory items of a tenant, filtered and searched (from the database only)',
    tag,
    access,
    params: tenantParams,
    query: inventoryListQuery,
    responses: { 200: { description: 'Items', schema: listOf(inventoryItemView) } },
  },
  async ({ query, tenant }) => {
    return { status: 200, body: await getServices().inventory.queries.list(tenant.id, query) };
  },
);

defineRoute(
  {
    name: 'getInventoryItem',
    method: 'GET',
    path: `${base}/{itemId}`,
    summary: 'One inventory item with its current version (content, sub-resources, assignments)',
    tag,
    access,
    params: itemParams,
    responses: { 200: { description: 'The item', schema: itemWithVersionView } },
  },
  async ({ params, tenant }) => {
    return { status: 200, body: await getServices().inventory.queries.item(tenant.id, params.itemId) };
  },
);

defineRoute(
  {
    name: 'listInventoryItemVersions',
    method: 'GET',
    path: `${base}/{itemId}/versions`,
    summary: 'The change history of an item, newest first',
    tag,
    access,
    params: itemParams,
    responses: { 200: { description: 'Versions', schema: listOf(historyView) } },
  },
  async ({ params, tenant }) => {
    return {
      status: 200,
      body: await getServices().inventory.queries.history(tenant.id, params.itemId),
    };
  },
);

defineRoute(
  {
    name: 'getInventoryItemVersion',
    method: 'GET',
    path: `${base}/{itemId}/versions/{versionId}`,
    summary: 'One version of an item, with its full content',
    tag,
    access,
    params: versionParams,
    responses: { 200: { description: 'The version', schema: versionView } },
  },
  async ({ params, tenant }) => {
    return {
      status: 200,
      body: await getServices().inventory.queries.version(tenant.id, params.itemId, params.versionId),
    };
  },
);

defineRoute(
  {
    name: 'diffInventoryItemVersions',
    method: 'GET',
    path: `${base}/{itemId}/diff`,
    summary: 'JSON diff between two versions of an item (default: previous → current)',
    tag,
    access,
    params: itemParams,
    query: diffQuery,
    responses: { 200: { description: 'The changes', schema: diffView } },
  },
  async ({ params, query, tenant }) => {
    return {
      status: 200,
      body: await getServices().inventory.queries.diff(tenant.id, params.itemId, query),
    };
  },
);
