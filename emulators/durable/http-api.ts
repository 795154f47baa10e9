import type { IncomingMessage, ServerResponse } from 'node:http';
import { DurableEngine, InstanceExistsError, UnknownOrchestratorError } from './engine';
import { toOperatorHistory } from './history';
import { ACTIVE_STATUSES, statusTime, type InstanceState, type RuntimeStatus } from './instance';

export interface DurableHttpOptions {
  taskHub: string;
  connectionName: string;
  /** Origin for URLs in responses when the request does not say (e.g. http://localhost:7071). */
  publicOrigin: string;
  /**
   * Keys the webhooks accept (`code` query or `x-functions-key`): the `durabletask_extension` system key,
   * which the management URLs carry as in Azure, and the master key. The RPC base needs none: the real
   * extension serves it on a port reachable from the worker only.
   */
  webhookKeys: { systemKey: string; masterKey: string };
}

export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
/** The base `df.getClient()` calls (`rpcBaseUrl`); the real extension serves it on its own port. */
export const RPC_PATH = '/durabletask';

function webhookQuery(options: DurableHttpOptions): string {
  return [
    `taskHub=${encodeURIComponent(options.taskHub)}`,
    `connection=${encodeURIComponent(options.connectionName)}`,
    `code=${encodeURIComponent(options.webhookKeys.systemKey)}`,
  ].join('&');
}

/** The management URLs of one instance, as `createCheckStatusResponse` and the start API return them. */
export function managementPayload(origin: string, id: string, options: DurableHttpOptions) {
  const base = `${origin}${WEBHOOK_PATH}/instances/${encodeURIComponent(id)}`;
  const qs = webhookQuery(options);
  return {
    id,
    statusQueryGetUri: `${base}?${qs}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${qs}`,
    terminatePostUri: `${base}/terminate?reason={text}&${qs}`,
    rewindPostUri: `${base}/rewind?reason={text}&${qs}`,
    purgeHistoryDeleteUri: `${base}?${qs}`,
    restartPostUri: `${base}/restart?${qs}`,
    suspendPostUri: `${base}/suspend?reason={text}&${qs}`,
    resumePostUri: `${base}/resume?reason={text}&${qs}`,
  };
}

/** The `durableClient` input binding value (extension BindingHelper, JSON protocol). */
export function durableClientBinding(origin: string, rpcOrigin: string, options: DurableHttpOptions) {
  const base = `${origin}${WEBHOOK_PATH}`;
  const qs = webhookQuery(options);
  const management = managementPayload(origin, 'INSTANCEID', options);
  return {
    taskHubName: options.taskHub,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${qs}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${qs}`,
    },
    managementUrls: { ...management, id: 'INSTANCEID' },
    baseUrl: base,
    requiredQueryStringParameters: `code=${encodeURIComponent(options.webhookKeys.systemKey)}`,
    // Must end with "/": the client resolves relative paths against it.
    rpcBaseUrl: `${rpcOrigin}${RPC_PATH}/`,
    connectionName: null,
    httpBaseUrl: null,
  };
}

export function statusPayload(
  state: InstanceState,
  options: { showHistory: boolean; showHistoryOutput: boolean; showInput: boolean },
) {
  return {
    name: state.name,
    instanceId: state.id,
    runtimeStatus: state.status,
    input: options.showInput ? state.input : null,
    customStatus: state.customStatus,
    output: state.output,
    createdTime: statusTime(state.createdTime),
    lastUpdatedTime: statusTime(state.lastUpdatedTime),
    ...(options.showHistory &&
      state.status !== 'Pending' && {
        historyEvents: toOperatorHistory(state.history, options),
      }),
  };
}

/**
 * Serves the Durable HTTP API (operator webhooks and the client's RPC base) with the status codes and
 * JSON shapes of the extension's HttpApiHandler. Returns false when the path is not a Durable one.
 */
export async function handleDurableRequest(
  engine: DurableEngine,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  options: DurableHttpOptions,
): Promise<boolean> {
  const base = [WEBHOOK_PATH, RPC_PATH].find((b) => url.pathname === b || url.pathname.startsWith(`${b}/`));
  if (!base) return false;
  if (base === WEBHOOK_PATH) {
    const key = url.searchParams.get('code') ?? req.headers['x-functions-key'];
    const { systemKey, masterKey } = options.webhookKeys;
    if (key !== systemKey && key !== masterKey) {
      res.writeHead(401).end();
      return true;
    }
  }
  const parts = url.pathname.slice(base.length).split('/').filter(Boolean).map(decodeURIComponent);
  const origin = req.headers.host ? `http://${req.headers.host}` : options.publicOrigin;
  const flag = (name: string, fallback: boolean) => {
    const value = url.searchParams.get(name);
    return value === null ? fallback : value.toLowerCase() === 'true';
  };
  const method = req.method ?? 'GET';
  const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...(payload !== undefined && { 'Content-Type': 'application/json; charset=utf-8' }),
      ...headers,
    });
    res.end(payload === undefined ? undefined : JSON.stringify(payload));
    return true;
  };
  const [resource, id, action, eventName] = parts;

  if (resource === 'orchestrators' && method === 'POST' && id) {
    let input: unknown = null;
    if (body.trim().length > 0) {
      try {
        input = JSON.parse(body);
      } catch {
        return send(400, { Message: 'The request content is not valid JSON.' });
      }
    }
    try {
      const state = await engine.startNew(id, input, action);
      const timeout = Number(url.searchParams.get('timeout') ?? 0);
      if (timeout > 0) {
        const done = await waitForCompletion(engine, state.id, timeout * 1000);
        if (done) return send(200, done.output);
      }
      const payload = managementPayload(origin, state.id, options);
      return send(202, payload, { Location: payload.statusQueryGetUri, 'Retry-After': '10' });
    } catch (error) {
      if (error instanceof UnknownOrchestratorError) return send(400, { Message: error.message });
      if (error instanceof InstanceExistsError) {
        return send(500, {
          Message: 'Something went wrong while processing your request',
          ExceptionMessage: error.message,
          ExceptionType: 'DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException',
          StackTrace: null,
        });
      }
      throw error;
    }
  }

  if (resource !== 'instances') return send(404, { Message: 'Not found' });

  if (!id) {
    const filter = listFilter(url);
    if (method === 'DELETE') {
      if (!url.searchParams.get('createdTimeFrom'))
        return send(400, { Message: 'createdTimeFrom is required.' });
      let deleted = 0;
      for (const state of engine.list().filter(filter)) if (await engine.purge(state.id)) deleted++;
      return deleted > 0 ? send(200, { instancesDeleted: deleted }) : send(404, { instancesDeleted: 0 });
    }
    const top = Math.max(1, Number(url.searchParams.get('top') ?? 100));
    const offset = Number(
      Buffer.from(String(req.headers['x-ms-continuation-token'] ?? ''), 'base64').toString() || 0,
    );
    const all = engine
      .list()
      .filter(filter)
      .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.id.localeCompare(b.id));
    const page = all.slice(offset, offset + top);
    const next = offset + top < all.length ? Buffer.from(String(offset + top)).toString('base64') : '';
    const show = { showHistory: false, showHistoryOutput: false, showInput: flag('showInput', true) };
    return send(
      200,
      page.map((s) => statusPayload(s, show)),
      next ? { 'x-ms-continuation-token': next } : {},
    );
  }

  const state = engine.get(id);
  if (!action) {
    if (method === 'DELETE') {
      return (await engine.purge(id))
        ? send(200, { instancesDeleted: 1 })
        : send(404, { instancesDeleted: 0 });
    }
    if (!state) return send(404, { Message: `No instance with ID '${id}' found.` });
    const payload = statusPayload(state, {
      showHistory: flag('showHistory', false),
      showHistoryOutput: flag('showHistoryOutput', false),
      showInput: flag('showInput', true),
    });
    if (ACTIVE_STATUSES.has(state.status)) {
      return send(202, payload, {
        Location: managementPayload(origin, id, options).statusQueryGetUri,
        'Retry-After': '5',
      });
    }
    return send(200, payload);
  }

  if (method !== 'POST') return send(405, { Message: 'Method not allowed' });
  const reason = url.searchParams.get('reason') ?? '';
  const result = async () => {
    switch (action) {
      case 'raiseEvent': {
        if (!String(req.headers['content-type'] ?? '').includes('application/json'))
          return 'badRequest' as const;
        let data: unknown = null;
        try {
          data = body.length > 0 ? JSON.parse(body) : null;
        } catch {
          return 'badRequest' as const;
        }
        return eventName ? engine.raiseEvent(id, eventName, data) : ('notFound' as const);
      }
      case 'terminate':
        return engine.terminate(id, reason);
      case 'suspend':
        return engine.suspend(id, reason);
      case 'resume':
        return engine.resumeInstance(id, reason);
      case 'restart': {
        if (!state) return 'notFound' as const;
        const fresh = url.searchParams.get('restartWithNewInstanceId') !== 'false';
        const restarted = await engine
          .startNew(state.name, state.input, fresh ? undefined : id)
          .catch((e) => e);
        return restarted instanceof Error ? ('conflict' as const) : ('accepted' as const);
      }
      case 'rewind':
        return 'notImplemented' as const;
      default:
        return 'notFound' as const;
    }
  };
  const outcome = await result();
  const statusByOutcome = {
    accepted: 202,
    gone: 410,
    notFound: 404,
    conflict: 409,
    badRequest: 400,
    notImplemented: 501,
  };
  return send(statusByOutcome[outcome]);
}

function listFilter(url: URL) {
  const from = url.searchParams.get('createdTimeFrom');
  const to = url.searchParams.get('createdTimeTo');
  const prefix = url.searchParams.get('instanceIdPrefix');
  const statuses = url.searchParams
    .get('runtimeStatus')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) as RuntimeStatus[] | undefined;
  return (state: InstanceState) =>
    (!from || state.createdTime >= new Date(from).toISOString()) &&
    (!to || state.createdTime <= new Date(to).toISOString()) &&
    (!prefix || state.id.startsWith(prefix)) &&
    (!statuses ||
      statuses.length === 0 ||
      statuses.some((s) => s.toLowerCase() === state.status.toLowerCase()));
}

async function waitForCompletion(engine: DurableEngine, id: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = engine.get(id);
    if (state && !ACTIVE_STATUSES.has(state.status)) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
