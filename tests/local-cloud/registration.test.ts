import { describe, expect, it } from 'vitest';
import {
  FunctionRegistry,
  extraInputsOf,
  outputsOf,
  triggerOf,
} from '../../emulators/functions-host/registry';
import { installFunctionsCoreApi } from '../../emulators/functions-host/core-api';
import { loadApp } from '../../emulators/functions-host/load-app';
import { compileRoute } from '../../emulators/functions-host/route-template';
import { parseNcrontab } from '../../emulators/functions-host/timers';
import { repoRoot } from '../../emulators/paths';
import { HOST_CONNECTION_SETTINGS } from '../../shared/config';

const registry = new FunctionRegistry();
installFunctionsCoreApi(registry);
const files = loadApp(registry, repoRoot());
const functions = registry.all();

const KNOWN_TRIGGERS = [
  'httpTrigger',
  'timerTrigger',
  'orchestrationTrigger',
  'activityTrigger',
  'cosmosDBTrigger',
];

describe('production entry files, as the Azure host will see them', () => {
  it('are found through package.json main and register functions', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((file) => file.includes('/dist/functions/'))).toBe(true);
    expect(functions.map((fn) => fn.name)).toContain('health');
  });

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s has binding metadata the host accepts',
    (_name, fn) => {
      const trigger = triggerOf(fn);
      expect(KNOWN_TRIGGERS).toContain(trigger.type);
      expect(Object.values(fn.metadata.bindings).filter((b) => b.type.endsWith('Trigger'))).toHaveLength(1);
      if (trigger.type === 'httpTrigger') {
        expect(() => compileRoute(String(trigger.route ?? fn.name))).not.toThrow();
        expect(String(trigger.route ?? '')).not.toMatch(/^\/|^api\//); // routePrefix is added by the host
        expect(['anonymous', 'function', 'admin']).toContain(trigger.authLevel);
        expect(outputsOf(fn).some((o) => o.type === 'http')).toBe(true);
      }
      if (trigger.type === 'timerTrigger')
        expect(() => parseNcrontab(String(trigger.schedule))).not.toThrow();
      if (trigger.type === 'cosmosDBTrigger') {
        expect(trigger.connection).toBe(HOST_CONNECTION_SETTINGS.cosmos);
        expect(trigger.databaseName && trigger.containerName && trigger.leaseContainerName).toBeTruthy();
      }
      // A function that talks to the Durable client must declare the durableClient input binding.
      if (/getClient\(/.test(fn.handler.toString()) || fn.sourceFile?.includes('/orchestrations/')) {
        if (trigger.type !== 'orchestrationTrigger' && trigger.type !== 'activityTrigger') {
          expect(extraInputsOf(fn).map((i) => i.type)).toContain('durableClient');
        }
      }
      for (const output of outputsOf(fn).filter((o) => o.type === 'signalR')) {
        // A literal hub (lower case, as the service normalizes it) or an app setting the host resolves.
        expect(output.hubName).toMatch(/^([a-z][a-z0-9_]*|%[A-Za-z0-9_]+%)$/);
        expect(output.connectionStringSetting).toBe(HOST_CONNECTION_SETTINGS.signalR);
      }
      for (const input of extraInputsOf(fn).filter((i) => i.type === 'signalRConnectionInfo')) {
        expect(input.connectionStringSetting).toBe(HOST_CONNECTION_SETTINGS.signalR);
      }
      for (const output of outputsOf(fn).filter((o) => o.type === 'serviceBus')) {
        expect(output.connection).toBe(HOST_CONNECTION_SETTINGS.serviceBus);
        expect(output.topicName ?? output.queueName).toBeTruthy();
      }
    },
  );

  it('health reads the durable client and is anonymous', () => {
    const health = registry.get('health')!;
    expect(triggerOf(health)).toMatchObject({
      type: 'httpTrigger',
      route: 'health',
      methods: ['GET'],
      authLevel: 'anonymous',
    });
    expect(extraInputsOf(health).map((i) => i.type)).toEqual(['durableClient']);
  });
});

describe('route templates, matched as the Functions host matches them', () => {
  const cases: Array<[template: string, path: string, params: Record<string, string> | undefined]> = [
    [
      'workspaces/{workspaceId}/tenants/{tenantId?}',
      '/workspaces/w1/tenants/t1',
      { workspaceId: 'w1', tenantId: 't1' },
    ],
    ['workspaces/{workspaceId}/tenants/{tenantId?}', '/workspaces/w1/tenants', { workspaceId: 'w1' }],
    ['workspaces/{workspaceId}/tenants/{tenantId?}', '/workspaces/w1', undefined],
    ['Operations/{runId}/Cancel', '/operations/r%201/cancel/', { runId: 'r 1' }],
    ['operations/{runId}', '/operations/r1/cancel', undefined],
    ['a/{id:int}', '/a/12', { id: '12' }],
    ['a/{id:int}', '/a/x', undefined],
    [
      'a/{id:guid}/b',
      '/a/0e2a7c1c-1b2c-4d5e-8f90-123456789abc/b',
      { id: '0e2a7c1c-1b2c-4d5e-8f90-123456789abc' },
    ],
    ['files/{*rest}', '/files/a/b%20c/d', { rest: 'a/b c/d' }],
    ['files/{*rest}', '/files', {}],
    ['x/{a}', '/x/%E0%A4%A', { a: '%E0%A4%A' }],
  ];
  it.each(cases)('%s matches %s', (template, path, params) => {
    expect(compileRoute(template).match(path)).toEqual(params);
  });
});
