import type { Container } from '@azure/cosmos';
import { HttpResponse, type HttpResponseInit } from '@azure/functions';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { DurableEngine } from '../durable/engine';
import { durableClientBinding, handleDurableRequest, type DurableHttpOptions } from '../durable/http-api';
import { InstanceStore } from '../durable/store';
import type { SignalRHub } from '../signalr';
import { signalRConnectionInfoInput, signalROutput } from './bindings/signalr';
import { ServiceBusOutput } from './bindings/service-bus';
import { installFunctionsCoreApi } from './core-api';
import { startCosmosTrigger, type CosmosTriggerSubscription } from './cosmos-trigger';
import { readHostSettings, type HostSettings } from './host-json';
import {
  authorized,
  createHostHttpServer,
  httpRoutes,
  keyOf,
  type HostKeys,
  type HttpFunctionRoute,
} from './http-server';
import { countRoundTrips, formatRoundTrips, ROUND_TRIPS_HEADER } from './round-trips';
import { invokeFunction, unsupportedBindings, type BindingProviders } from './invoke';
import { loadApp } from './load-app';
import { FunctionRegistry, triggerOf, type RegisteredFunction } from './registry';
import { TimerScheduler } from './timers';

export interface FunctionsHostOptions {
  appRoot: string;
  /** Loaded after package.json `main` (test-only functions). */
  extraEntryFiles?: string[];
  port: number;
  listenHost?: string;
  keys: HostKeys;
  env: Record<string, string | undefined>;
  durableContainer: Container;
  signalR: SignalRHub;
  corsOrigins: string[];
  /** Where timer schedule status is kept; undefined = memory only. */
  dataDir?: string;
  log: (message: string) => void;
}

const LISTENER_RETRY_MS = 2000;
const SUPPORTED_TRIGGERS = new Set([
  'httpTrigger',
  'timerTrigger',
  'orchestrationTrigger',
  'activityTrigger',
  'cosmosDBTrigger',
]);

/**
 * The local Azure Functions host: loads the app's real entry files through the `@azure/functions-core`
 * shim, serves HTTP triggers, fires timers, runs Durable orchestrations and activities, feeds
 * `cosmosDBTrigger` functions, and binds inputs/outputs from the functions' own metadata.
 */
export class FunctionsHost {
  readonly registry = new FunctionRegistry();
  readonly serviceBus: ServiceBusOutput;
  private engine!: DurableEngine;
  private timers!: TimerScheduler;
  private server!: Server;
  private routes: HttpFunctionRoute[] = [];
  private triggers: CosmosTriggerSubscription[] = [];
  private listenerRetries: NodeJS.Timeout[] = [];
  private stopped = false;
  private providers!: BindingProviders;
  private settings!: HostSettings;
  private durableHttp!: DurableHttpOptions;
  port = 0;

  constructor(private readonly options: FunctionsHostOptions) {
    this.serviceBus = new ServiceBusOutput(options.env);
  }

  get baseUrl(): string {
    return `http://localhost:${this.port}`;
  }

  get durable(): DurableEngine {
    return this.engine;
  }

  functions(): RegisteredFunction[] {
    return this.registry.all();
  }

  async start(): Promise<void> {
    const { options } = this;
    this.settings = readHostSettings(options.appRoot, options.env);
    installFunctionsCoreApi(this.registry);
    loadApp(this.registry, options.appRoot, options.extraEntryFiles);
    this.routes = httpRoutes(this.registry.all());
    this.server = createHostHttpServer({
      routePrefix: this.settings.routePrefix,
      routes: () => this.routes,
      keys: options.keys,
      corsOrigins: options.corsOrigins,
      invokeHttp: (route, request, params) => this.invokeHttp(route.fn, request, params),
      extraHandlers: [
        (req, res, url, body) =>
          handleDurableRequest(this.engine, req, res, url, body.toString('utf8'), this.durableHttp),
        (req, res, url, body) => this.handleAdmin(req, res, url, body),
        async (_req, res, url) => this.handleLocal(res, url),
      ],
      log: options.log,
    });
    await listen(this.server, options.port, options.listenHost ?? '127.0.0.1');
    this.port = (this.server.address() as AddressInfo).port;
    // durable-functions rewrites client URLs to localhost:7071 unless WEBSITE_HOSTNAME names the host.
    process.env.WEBSITE_HOSTNAME = `localhost:${this.port}`;
    this.durableHttp = {
      taskHub: this.settings.taskHub,
      connectionName: 'Storage',
      publicOrigin: this.baseUrl,
      webhookKeys: { systemKey: options.keys.durableExtension, masterKey: options.keys.master },
    };
    this.providers = {
      inputs: new Map([
        [
          'durableClient',
          {
            resolve: () =>
              durableClientBinding(this.baseUrl, `http://127.0.0.1:${this.port}`, this.durableHttp),
          },
        ],
        [
          'orchestrationClient',
          {
            resolve: () =>
              durableClientBinding(this.baseUrl, `http://127.0.0.1:${this.port}`, this.durableHttp),
          },
        ],
        ['signalRConnectionInfo', signalRConnectionInfoInput(options.signalR, options.env)],
      ]),
      outputs: new Map([
        ['signalR', signalROutput(options.signalR, options.env)],
        ['serviceBus', this.serviceBus],
      ]),
    };
    for (const fn of this.registry.all()) {
      const problems = unsupportedBindings(fn, this.providers, SUPPORTED_TRIGGERS);
      if (problems.length > 0)
        options.log(`WARNING ${fn.name}: the local host does not support ${problems.join(', ')}`);
    }
    this.engine = new DurableEngine({
      store: new InstanceStore(options.durableContainer),
      runtime: {
        hasOrchestrator: (name) => this.find(name, 'orchestrationTrigger') !== undefined,
        runOrchestrator: (name, payload) => this.invokeByName(name, 'orchestrationTrigger', payload),
        runActivity: (name, input) => this.invokeByName(name, 'activityTrigger', input),
      },
      maxConcurrentActivities: this.settings.maxConcurrentActivityFunctions,
      maxConcurrentOrchestrations: this.settings.maxConcurrentOrchestratorFunctions,
      log: options.log,
    });
    await this.engine.start();
    this.timers = new TimerScheduler(
      (fn, info) => this.invokeLogged(fn, info),
      options.env,
      options.dataDir && path.join(options.dataDir, 'timers.json'),
    );
    this.timers.start(this.registry.byTriggerType('timerTrigger'));
    for (const fn of this.registry.byTriggerType('cosmosDBTrigger')) await this.startListener(fn);
  }

  /** Like the Azure host, a trigger listener that cannot start (e.g. its container is missing yet) is retried. */
  private async startListener(fn: RegisteredFunction): Promise<void> {
    if (this.stopped) return;
    try {
      this.triggers.push(
        await startCosmosTrigger(
          fn,
          this.options.env,
          (docs) => this.invokeStrict(fn, docs),
          this.options.log,
        ),
      );
    } catch (error) {
      this.options.log(
        `The listener for function '${fn.name}' was unable to start (${whyNotStarted(error)}); retrying in ${LISTENER_RETRY_MS / 1000} s.`,
      );
      this.listenerRetries.push(setTimeout(() => void this.startListener(fn), LISTENER_RETRY_MS));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listenerRetries.forEach(clearTimeout);
    this.timers?.stop();
    await Promise.all(this.triggers.map((t) => t.stop()));
    this.server?.closeAllConnections?.();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.engine?.stop();
    await this.serviceBus.close();
  }

  /** One line per function for the start-up log: name, trigger and route or schedule. */
  describeFunctions(): string[] {
    return this.registry.all().map((fn) => {
      const trigger = triggerOf(fn);
      const detail =
        trigger.type === 'httpTrigger'
          ? `${(trigger.methods as string[] | undefined)?.join(',') ?? 'ALL'} ${this.baseUrl}/${this.settings.routePrefix}/${String(trigger.route ?? fn.name)}`
          : trigger.type === 'timerTrigger'
            ? `schedule ${String(trigger.schedule)}`
            : trigger.type === 'cosmosDBTrigger'
              ? `container ${String(trigger.databaseName)}/${String(trigger.containerName)}`
              : '';
      return `${fn.name}: ${trigger.type}${detail ? ` ${detail}` : ''}`;
    });
  }

  private find(name: string, triggerType: string): RegisteredFunction | undefined {
    const fn = this.registry.get(name);
    return fn && triggerOf(fn).type === triggerType ? fn : undefined;
  }

  private async invokeByName(name: string, triggerType: string, value: unknown): Promise<unknown> {
    const fn = this.find(name, triggerType);
    if (!fn)
      throw new Error(
        `The function '${name}' doesn't exist, is disabled, or is not an ${triggerType} function.`,
      );
    return (await this.invoke(fn, value)).returnValue;
  }

  private invoke(
    fn: RegisteredFunction,
    triggerValue: unknown,
    expressionData: Record<string, unknown> = {},
  ) {
    return invokeFunction(fn, triggerValue, {
      providers: this.providers,
      expressionData,
      log: (name, id, level, message) => {
        if (level !== 'trace' && level !== 'debug') this.options.log(`[${name}] ${message}`);
      },
    });
  }

  private async invokeHttp(
    fn: RegisteredFunction,
    request: import('@azure/functions').HttpRequest,
    params: Record<string, string>,
  ) {
    const headers = Object.fromEntries(request.headers.entries());
    const query = Object.fromEntries(request.query.entries());
    try {
      // What the request cost the store, on a local-only header (bench:start reads it per response).
      const { result, roundTrips } = await countRoundTrips(this.options.env.COSMOS_ENDPOINT, () =>
        this.invoke(fn, request, { headers, query, params, ...params }),
      );
      return withHeader(result.httpResponse, ROUND_TRIPS_HEADER, formatRoundTrips(roundTrips));
    } catch (error) {
      this.options.log(`[${fn.name}] failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { status: 500 };
    }
  }

  private async invokeStrict(fn: RegisteredFunction, value: unknown): Promise<void> {
    await this.invoke(fn, value);
  }

  private async invokeLogged(fn: RegisteredFunction, value: unknown): Promise<void> {
    try {
      await this.invoke(fn, value);
    } catch (error) {
      this.options.log(`[${fn.name}] failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  /** The Azure admin API: `POST /admin/functions/{name}` runs a non-HTTP function now (master key). */
  private async handleAdmin(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<boolean> {
    if (!url.pathname.startsWith('/admin/')) return false;
    if (!authorized('admin', keyOf(req, url), this.options.keys)) {
      res.writeHead(401).end();
      return true;
    }
    const match = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/admin/host/status') {
      return json(res, 200, {
        state: 'Running',
        version: '4.local',
        processUptime: Math.round(process.uptime() * 1000),
      });
    }
    if (url.pathname === '/admin/functions' && req.method === 'GET') {
      return json(
        res,
        200,
        this.registry.all().map((fn) => ({
          name: fn.name,
          config: { bindings: Object.entries(fn.metadata.bindings).map(([k, b]) => ({ name: k, ...b })) },
        })),
      );
    }
    if (!match || req.method !== 'POST') return json(res, 404, { message: 'Not found' });
    const fn = this.registry.get(decodeURIComponent(match[1]!));
    if (!fn) return json(res, 404, { message: `Function '${match[1]}' not found.` });
    const type = triggerOf(fn).type;
    if (type === 'httpTrigger' || type === 'orchestrationTrigger' || type === 'activityTrigger') {
      return json(res, 400, {
        message: `Function '${fn.name}' (${type}) cannot be run through the admin API.`,
      });
    }
    let input: unknown;
    try {
      input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { input?: unknown }).input : undefined;
    } catch {
      return json(res, 400, { message: 'The body must be JSON: {"input": ...}.' });
    }
    const value = type === 'timerTrigger' ? this.timers.manualInfo(fn) : parseMaybeJson(input);
    // A run through the admin API logs what it cost the store (bench:scheduler reads it).
    void countRoundTrips(this.options.env.COSMOS_ENDPOINT, () => this.invokeLogged(fn, value)).then(
      ({ roundTrips }) => this.options.log(`[${fn.name}] Cosmos round trips ${JSON.stringify(roundTrips)}`),
    );
    res.writeHead(202).end();
    return true;
  }

  /** Local-only endpoints (no Azure counterpart), for tests and users of the local cloud. */
  private handleLocal(res: import('node:http').ServerResponse, url: URL): boolean {
    const match = /^\/_local\/servicebus\/([^/]+)$/.exec(url.pathname);
    if (!match) return false;
    return json(res, 200, { items: this.serviceBus.messages(decodeURIComponent(match[1]!)) });
  }
}

function json(res: import('node:http').ServerResponse, status: number, payload: unknown): true {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
  return true;
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export class PortInUseError extends Error {}

/** The Cosmos SDK's 404 for a container not created yet has an empty message: its status code says it. */
function whyNotStarted(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as { code?: unknown };
  return error.message || (code === 404 ? 'its container does not exist yet' : `code ${String(code)}`);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(`port ${port} is already in use`) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The HTTP output with one more header, whichever shape the handler returned it in. */
function withHeader(response: unknown, name: string, value: string): unknown {
  if (response instanceof HttpResponse) {
    response.headers.set(name, value);
    return response;
  }
  if (!response || typeof response !== 'object') return response;
  const init = response as HttpResponseInit;
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set(name, value);
  return { ...init, headers: Object.fromEntries(headers.entries()) };
}
