import { describe, expect, it } from 'vitest';
import { eventually } from '../support/http';
import { startCloudProcess } from '../support/cloud-process';

describe('local cloud lifecycle', () => {
  it('resumes an orchestration waiting on a timer after a stop/start of the local cloud', async () => {
    const first = await startCloudProcess();
    const { baseUrl, defaultKey, masterKey } = first.description.functions;
    const response = await fetch(
      `${baseUrl}/api/test/orchestrators/TestSleeper/survivor?code=${defaultKey}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 3 }),
      },
    );
    expect(response.status).toBe(202);
    const statusUrl = (instanceBase: string) =>
      `${instanceBase}/runtime/webhooks/durabletask/instances/survivor?showHistory=true&code=${masterKey}`;
    await eventually(async () => {
      const status = (await (await fetch(statusUrl(baseUrl))).json()) as {
        historyEvents?: Array<{ EventType: string }>;
      };
      return status.historyEvents?.some((e) => e.EventType === 'TimerCreated') ? true : undefined;
    });
    expect(await first.stop()).toBe(0); // Ctrl-C stops cleanly

    const second = await startCloudProcess({ dataDir: first.dataDir });
    try {
      const done = await eventually(
        async () => {
          const res = await fetch(statusUrl(second.description.functions.baseUrl));
          return res.status === 200
            ? ((await res.json()) as {
                runtimeStatus: string;
                output: unknown;
                historyEvents: Array<{ EventType: string }>;
              })
            : undefined;
        },
        20_000,
        200,
      );
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toBe('Hello after the timer!');
      expect(done.historyEvents.map((e) => e.EventType)).toContain('TimerFired');
    } finally {
      await second.stop();
    }
  });

  it('names the setting to change when a port is already in use', async () => {
    const first = await startCloudProcess();
    try {
      const port = new URL(first.description.functions.baseUrl).port;
      await expect(startCloudProcess({ env: { LOCAL_FUNCTIONS_PORT: port } })).rejects.toThrow(
        new RegExp(`Port ${port} is already in use.*LOCAL_FUNCTIONS_PORT`),
      );
    } finally {
      await first.stop();
    }
  });
});
