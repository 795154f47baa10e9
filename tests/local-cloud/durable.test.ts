import { describe, expect, it } from 'vitest';
import { call, cloud, eventually } from '../support/http';

const webhook = '/runtime/webhooks/durabletask';
/** The webhooks need a key, as in Azure (the master key here; the management URLs carry the system key). */
const withKey = () => ({ 'x-functions-key': cloud().functions.masterKey });

async function start(name: string, input: unknown, instanceId?: string) {
  const key = cloud().functions.defaultKey;
  const response = await call(
    'POST',
    `/api/test/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}?code=${key}`,
    input,
  );
  expect(response.status).toBe(202);
  return response.json as {
    id: string;
    statusQueryGetUri: string;
    sendEventPostUri: string;
    terminatePostUri: string;
  };
}

async function status(id: string, query = '') {
  return call('GET', `${webhook}/instances/${encodeURIComponent(id)}${query}`, undefined, withKey());
}

async function finished(id: string, timeoutMs = 20_000) {
  return eventually(async () => {
    const response = await status(id);
    return response.status === 200 ? response.json : undefined;
  }, timeoutMs);
}

describe('durable engine through the real durable-functions client and replay', () => {
  it('runs a fan-out with a retried failure, a timer and an external event, and serves its history', async () => {
    const started = await start('TestFanOut', { names: ['Tokyo', 'Seattle', 'London'], timerMs: 300 });
    expect(started.statusQueryGetUri).toContain(`/runtime/webhooks/durabletask/instances/${started.id}`);

    const waiting = await eventually(async () => {
      const response = await status(started.id);
      return (response.json as { customStatus?: { stage?: string } })?.customStatus?.stage ===
        'waiting for approval'
        ? response
        : undefined;
    });
    expect(waiting.status).toBe(202);
    expect(waiting.json.runtimeStatus).toBe('Running');

    const raise = await fetch(started.sendEventPostUri.replace('{eventName}', 'Approval'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approvedBy: 'alice' }),
    });
    expect(raise.status).toBe(202);

    const done = await finished(started.id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual({
      greetings: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
      flaky: { attempts: 2 },
      approval: { approvedBy: 'alice' },
    });
    expect(done.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const { json: withHistory } = await status(started.id, '?showHistory=true&showHistoryOutput=true');
    const events = withHistory.historyEvents as Array<Record<string, unknown>>;
    const types = events.map((e) => e.EventType);
    expect(types[0]).toBe('ExecutionStarted');
    expect(events[0]!.FunctionName).toBe('TestFanOut');
    expect(types.at(-1)).toBe('ExecutionCompleted');
    const hellos = events.filter((e) => e.EventType === 'TaskCompleted' && e.FunctionName === 'TestSayHello');
    expect(hellos.map((e) => e.Result).sort()).toEqual(['Hello London!', 'Hello Seattle!', 'Hello Tokyo!']);
    const failed = events.filter((e) => e.EventType === 'TaskFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.Reason).toBe("Activity function 'TestFlaky' failed: transient boom");
    expect(failed[0]!.FunctionName).toBe('TestFlaky');
    // The retry timer, then the orchestrator's own timer.
    expect(types.filter((t) => t === 'TimerCreated')).toHaveLength(2);
    expect(types.filter((t) => t === 'TimerFired')).toHaveLength(2);
    expect(events.find((e) => e.EventType === 'EventRaised')).toMatchObject({ Name: 'Approval' });
    expect(types).not.toContain('OrchestratorStarted');
    expect(types).not.toContain('TaskScheduled');

    const { json: withoutOutput } = await status(started.id, '?showHistory=true');
    expect((withoutOutput.historyEvents as Array<Record<string, unknown>>).some((e) => 'Result' in e)).toBe(
      false,
    );
  });

  it('refuses to start an instance id that is running and restarts one that has finished', async () => {
    const id = `sleeper-${Date.now()}`;
    await start('TestSleeper', { seconds: 1 }, id);
    const duplicate = await call(
      'POST',
      `${webhook}/orchestrators/TestSleeper/${id}`,
      { seconds: 1 },
      withKey(),
    );
    expect(duplicate.status).toBe(500);
    expect(duplicate.json.ExceptionType).toContain('OrchestrationAlreadyExistsException');
    const first = await finished(id);
    expect(first.output).toBe('Hello after the timer!');

    const restart = await call(
      'POST',
      `${webhook}/orchestrators/TestSleeper/${id}`,
      { seconds: 0 },
      withKey(),
    );
    expect(restart.status).toBe(202);
    const second = await finished(id);
    expect(second.runtimeStatus).toBe('Completed');
    expect(second.input).toEqual({ seconds: 0 });
  });

  it('runs sub-orchestrations and continue-as-new', async () => {
    const started = await start('TestParent', 0);
    const done = await finished(started.id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual({ round: 1, fromChild: 'Hello child 1!' });
    expect(done.input).toBe(1);
  });

  it('fails the orchestration when retries are exhausted, with the extension failure text', async () => {
    const started = await start('TestFailing', null);
    const done = await finished(started.id);
    expect(done.runtimeStatus).toBe('Failed');
    expect(done.output).toMatch(
      /^Orchestrator function 'TestFailing' failed: Activity function 'TestAlwaysFails' failed: permanent boom/,
    );
    const { json } = await status(started.id, '?showHistory=true');
    const types = (json.historyEvents as Array<{ EventType: string }>).map((e) => e.EventType);
    expect(types.filter((t) => t === 'TaskFailed')).toHaveLength(2);
    expect(types.filter((t) => t === 'TimerFired')).toHaveLength(2);
  });

  it('suspends, resumes, terminates and purges; raising an event on a finished instance answers 410', async () => {
    const started = await start('TestFanOut', { names: ['A'], timerMs: 60_000 });
    const base = `${webhook}/instances/${started.id}`;
    await eventually(async () =>
      (await status(started.id)).json?.runtimeStatus === 'Running' ? true : undefined,
    );
    expect((await call('POST', `${base}/suspend?reason=maintenance`, undefined, withKey())).status).toBe(202);
    expect((await status(started.id)).json.runtimeStatus).toBe('Suspended');
    expect((await call('POST', `${base}/resume?reason=done`, undefined, withKey())).status).toBe(202);
    expect((await status(started.id)).json.runtimeStatus).toBe('Running');
    expect((await call('DELETE', base, undefined, withKey())).status).toBe(404); // running instances are not purged
    expect(
      (await call('POST', `${base}/terminate?reason=no%20longer%20needed`, undefined, withKey())).status,
    ).toBe(202);
    const terminated = await status(started.id);
    expect(terminated.status).toBe(200);
    expect(terminated.json).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
    expect((await call('POST', `${base}/raiseEvent/Approval`, { late: true }, withKey())).status).toBe(410);
    expect((await call('POST', `${base}/terminate?reason=again`, undefined, withKey())).status).toBe(410);
    expect((await call('DELETE', base, undefined, withKey())).json).toEqual({ instancesDeleted: 1 });
    expect((await status(started.id)).status).toBe(404);
  });

  it('answers the webhooks only with a key, as Azure does (the management URLs carry the system key)', async () => {
    const started = await start('TestSleeper', { seconds: 0 });
    for (const path of [`${webhook}/instances/${started.id}`, `${webhook}/instances?top=5`]) {
      expect((await call('GET', path)).status, path).toBe(401);
      expect((await call('GET', `${path}${path.includes('?') ? '&' : '?'}code=wrong`)).status, path).toBe(
        401,
      );
    }
    expect((await call('POST', `${webhook}/orchestrators/TestSleeper`, { seconds: 0 })).status).toBe(401);
    expect((await call('POST', `${webhook}/instances/${started.id}/terminate?reason=x`)).status).toBe(401);
    expect(new URL(started.statusQueryGetUri).searchParams.get('code')).toBeTruthy();
    const viaUri = await fetch(started.statusQueryGetUri);
    expect([200, 202]).toContain(viaUri.status);
  });

  it('lists instances with filters and continuation tokens', async () => {
    const prefix = `list-${Date.now()}-`;
    for (let i = 0; i < 5; i++) await start('TestSleeper', { seconds: 0 }, `${prefix}${i}`);
    const seen: string[] = [];
    let token = '';
    do {
      const response = await call('GET', `${webhook}/instances?instanceIdPrefix=${prefix}&top=2`, undefined, {
        ...withKey(),
        ...(token && { 'x-ms-continuation-token': token }),
      });
      expect(response.status).toBe(200);
      seen.push(...(response.json as Array<{ instanceId: string }>).map((s) => s.instanceId));
      token = response.headers.get('x-ms-continuation-token') ?? '';
    } while (token);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}${i}`));
  });
});
