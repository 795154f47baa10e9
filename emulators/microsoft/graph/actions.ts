import type { EntityNode } from '../tenants/store';
import type { SimResponse } from './errors';
import type { Target } from './resolve';
import { audit, badRequest, json, noContent } from './respond';
import { renderNode } from './serialize';
import type { GraphCall, GraphDeps } from './types';

const INTENTS = '/deviceManagement/intents';
import { checkWriteBody, createNode, replaceChildren, touch } from './writes';

/** Actions and functions bound to an object: assign, setPriority, updateDefinitionValues, scheduleActionsForRules, getOmaSettingPlainTextValue. */
export function handleAction(
  deps: GraphDeps,
  call: GraphCall,
  target: Extract<Target, { kind: 'action' }>,
): SimResponse {
  const schema = deps.schemas[call.version];
  const { def, node } = target;
  const body = (call.body ?? {}) as Record<string, unknown>;
  if (target.name === 'getOmaSettingPlainTextValue') {
    if (call.method !== 'GET')
      return badRequest(deps, call, def, 'getOmaSettingPlainTextValue is a function; use GET.');
    const settings = (node.data.omaSettings as Array<Record<string, unknown>> | undefined) ?? [];
    const match = settings.find((s) => s.secretReferenceValueId === target.args.secretReferenceValueId);
    return json(200, {
      '@odata.context': `${deps.graphBaseUrl}/${call.version}/$metadata#Edm.String`,
      value: match ? String(match.value ?? '') : null,
    });
  }
  if (call.method !== 'POST') return badRequest(deps, call, def, `${target.name} is an action; use POST.`);
  switch (target.name) {
    case 'update': {
      // policySet/update: items added, updated (by id) and deleted, and the assignments replaced.
      if (!schema.navigation(node.type, 'items') || !schema.navigation(node.type, 'assignments'))
        return badRequest(deps, call, def, `Resource not found for the segment 'update'.`);
      const itemsNav = schema.navigation(node.type, 'items')!;
      const itemType = itemsNav.type.replace(/^Collection\(microsoft\.graph\.(.*)\)$/, '$1');
      // Checked in full before anything changes: a refused body leaves the policy set as it was.
      const items = new Map(node.navs.get('items') ?? new Map<string, EntityNode>());
      for (const id of (body.deletedPolicySetItemIds as string[] | undefined) ?? []) items.delete(id);
      for (const item of [
        ...((body.addedPolicySetItems as Array<Record<string, unknown>>) ?? []),
        ...((body.updatedPolicySetItems as Array<Record<string, unknown>>) ?? []),
      ]) {
        const { id, ...rest } = item;
        const checked = checkWriteBody(deps.reference, schema, def.service, itemType, rest, 'create');
        if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
        const child = createNode(schema, checked.type, checked.body, deps.graphBaseUrl);
        if (typeof id === 'string') child.id = child.data.id = id;
        items.set(child.id, child);
      }
      if (Array.isArray(body.assignments)) {
        const replaced = assignments(
          deps,
          call,
          def,
          node,
          body.assignments as Array<Record<string, unknown>>,
        );
        if ('status' in replaced) return replaced;
      }
      node.navs.set('items', items);
      touch(schema, node.type, (node.data = { ...node.data }));
      audit(call, target.rootCollection, target.root, 'Patch');
      return noContent();
    }
    case 'assign': {
      const key =
        def.versions[call.version]?.assignBodyKey ??
        (node.type === 'windowsAutopilotDeploymentProfile' ? 'deviceIds' : null);
      const nav = schema.navigation(node.type, 'assignments');
      if (!key || !nav) return badRequest(deps, call, def, `Resource not found for the segment 'assign'.`);
      const items = body[key];
      if (!Array.isArray(items))
        return badRequest(
          deps,
          call,
          def,
          `The parameter '${key}' in the request payload is not a valid parameter for the operation 'assign'.`,
          'ModelValidationFailure',
        );
      const map = assignments(deps, call, def, node, items as Array<Record<string, unknown>>);
      if ('status' in map) return map;
      const elementType = nav.type.replace(/^Collection\(microsoft\.graph\.(.*)\)$/, '$1');
      touch(schema, node.type, (node.data = { ...node.data }));
      audit(call, target.rootCollection, target.root, 'Assign');
      if (key !== 'assignments') return noContent();
      return json(200, {
        '@odata.context': `${deps.graphBaseUrl}/${call.version}/$metadata#Collection(microsoft.graph.${elementType})`,
        value: [...map.values()].map((n) =>
          renderNode(deps.schemas, call.version, call.principal.tenant.store, n),
        ),
      });
    }
    case 'setPriority': {
      if (typeof body.priority !== 'number')
        return badRequest(deps, call, def, "The parameter 'priority' is required.", 'ModelValidationFailure');
      node.data = { ...node.data, priority: body.priority };
      touch(schema, node.type, node.data);
      audit(call, target.rootCollection, target.root, 'Action');
      return noContent();
    }
    case 'updateDefinitionValues': {
      const values = node.navs.get('definitionValues') ?? new Map<string, EntityNode>();
      for (const id of (body.deletedIds as string[] | undefined) ?? []) values.delete(id);
      for (const item of [
        ...((body.added as Array<Record<string, unknown>>) ?? []),
        ...((body.updated as Array<Record<string, unknown>>) ?? []),
      ]) {
        const { id, ...rest } = item;
        const child = createNode(schema, 'groupPolicyDefinitionValue', rest, deps.graphBaseUrl);
        if (typeof id === 'string') {
          child.id = id;
          child.data.id = id;
        }
        values.set(child.id, child);
      }
      node.navs.set('definitionValues', values);
      touch(schema, node.type, (node.data = { ...node.data }));
      audit(call, target.rootCollection, target.root, 'Patch');
      return noContent();
    }
    case 'createInstance': {
      // templates/{id}/createInstance: a new intent of this template, its settings from settingsDelta.
      if (
        node.type !== 'securityBaselineTemplate' &&
        !schema.isDerivedFrom(node.type, 'deviceManagementTemplate')
      )
        return badRequest(deps, call, def, `Resource not found for the segment 'createInstance'.`);
      const { settingsDelta, ...members } = body;
      const checked = checkWriteBody(
        deps.reference,
        schema,
        def.service,
        'deviceManagementIntent',
        members,
        'create',
      );
      if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
      if (settingsDelta !== undefined && !Array.isArray(settingsDelta))
        return badRequest(
          deps,
          call,
          def,
          "The parameter 'settingsDelta' must be a collection.",
          'ModelValidationFailure',
        );
      for (const setting of (settingsDelta as Array<Record<string, unknown>> | undefined) ?? []) {
        const { id: _id, ...rest } = setting;
        const each = checkWriteBody(
          deps.reference,
          schema,
          def.service,
          'deviceManagementSettingInstance',
          rest,
          'create',
        );
        if ('code' in each) return badRequest(deps, call, def, each.message, each.code);
      }
      const intent = createNode(
        schema,
        'deviceManagementIntent',
        { ...checked.body, templateId: node.id },
        deps.graphBaseUrl,
      );
      intent.data = {
        ...intent.data,
        templateId: node.id,
        isAssigned: false,
        isMigratingToConfigurationPolicy: false,
      };
      replaceChildren(schema, intent, { settings: (settingsDelta as unknown[] | undefined) ?? [] });
      const store = call.principal.tenant.store;
      store.add(INTENTS, intent);
      audit(call, INTENTS, intent, 'Create');
      return json(201, {
        '@odata.context': `${deps.graphBaseUrl}/${call.version}/$metadata#deviceManagement/intents/$entity`,
        ...renderNode(deps.schemas, call.version, store, intent),
      });
    }
    case 'updateSettings': {
      const settings = body.settings;
      if (
        !Array.isArray(settings) ||
        !schema.navigation(node.type, 'settings') ||
        node.type !== 'deviceManagementIntent'
      )
        return badRequest(deps, call, def, "The parameter 'settings' is required.", 'ModelValidationFailure');
      // Settings named by definitionId replace the intent's setting of that definition; others are added.
      const current = [...(node.navs.get('settings')?.values() ?? [])].map((n) => n.data);
      const incoming = new Map((settings as Array<Record<string, unknown>>).map((s) => [s.definitionId, s]));
      const merged = [
        ...current.filter((s) => !incoming.has(s.definitionId)),
        ...(settings as Array<Record<string, unknown>>),
      ];
      replaceChildren(schema, node, { settings: merged });
      touch(schema, node.type, (node.data = { ...node.data }));
      audit(call, target.rootCollection, target.root, 'Patch');
      return noContent();
    }
    case 'setScheduledActions': {
      const actions = body.scheduledActions;
      if (!Array.isArray(actions) || !schema.navigation(node.type, 'scheduledActionsForRule'))
        return badRequest(
          deps,
          call,
          def,
          "The parameter 'scheduledActions' is required.",
          'ModelValidationFailure',
        );
      replaceChildren(schema, node, { scheduledActionsForRule: actions });
      touch(schema, node.type, (node.data = { ...node.data }));
      audit(call, target.rootCollection, target.root, 'Patch');
      return json(200, {
        '@odata.context': `${deps.graphBaseUrl}/${call.version}/$metadata#Collection(microsoft.graph.deviceManagementComplianceScheduledActionForRule)`,
        value: [...(node.navs.get('scheduledActionsForRule')?.values() ?? [])].map((n) =>
          renderNode(deps.schemas, call.version, call.principal.tenant.store, n),
        ),
      });
    }
    case 'scheduleActionsForRules': {
      const rules = body.deviceComplianceScheduledActionForRules;
      if (!Array.isArray(rules))
        return badRequest(
          deps,
          call,
          def,
          "The parameter 'deviceComplianceScheduledActionForRules' is required.",
          'ModelValidationFailure',
        );
      replaceChildren(schema, node, { scheduledActionsForRule: rules });
      touch(schema, node.type, (node.data = { ...node.data }));
      audit(call, target.rootCollection, target.root, 'Patch');
      return noContent();
    }
    default:
      return badRequest(deps, call, def, `Resource not found for the segment '${target.name}'.`);
  }
}

/** Replaces the object's assignments (the `assign` action, and policySet `update`), checked like a create. */
function assignments(
  deps: GraphDeps,
  call: GraphCall,
  def: Target['def'],
  node: EntityNode,
  items: Array<Record<string, unknown>>,
): Map<string, EntityNode> | SimResponse {
  const schema = deps.schemas[call.version];
  const nav = schema.navigation(node.type, 'assignments')!;
  const elementType = nav.type.replace(/^Collection\(microsoft\.graph\.(.*)\)$/, '$1');
  const map = new Map<string, EntityNode>();
  for (const item of items) {
    const { id: _ignored, ...rest } = item;
    const checked = checkWriteBody(deps.reference, schema, def.service, elementType, rest, 'create');
    if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
    const child = createNode(schema, checked.type, checked.body, deps.graphBaseUrl);
    const groupId = (rest.target as Record<string, unknown> | undefined)?.groupId;
    child.id = typeof groupId === 'string' ? `${node.id}_${groupId}` : child.id;
    child.data.id = child.id;
    map.set(child.id, child);
  }
  node.navs.set('assignments', map);
  if ('isAssigned' in node.data) node.data.isAssigned = map.size > 0;
  return map;
}
