import { AuthenticationError } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { graphResponseError, identityError, shortGraphMessage } from '../../shared/graph/errors';
import { mayRetry, parseRetryAfter, retryDelayMs } from '../../shared/graph/client/retry-policy';
import { TenantLimiter } from '../../shared/graph/client/tenant-limiter';

describe('errors', () => {
  it('maps Entra failures to provider_auth_failed with our words, not Entra’s', () => {
    const entra = new AuthenticationError(401, {
      error: 'invalid_client',
      error_description:
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'c0ffee00-0000-0000-0000-000000000000'.",
    });
    const error = identityError(entra);
    expect(error).toMatchObject({
      reasonCode: 'provider_auth_failed',
      graphCode: 'AADSTS7000215',
      retryable: false,
    });
    expect(error.message).toBe(
      "Entra ID rejected the connection's credentials (AADSTS7000215: the client secret is wrong)",
    );
    expect(error.cause).toBe(entra);
    expect(
      identityError(
        new AuthenticationError(400, { error: 'x', error_description: 'AADSTS90002: Tenant y not found.' }),
      ).message,
    ).toContain('the tenant was not found');
    const offline = identityError(
      Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    );
    expect(offline).toMatchObject({ reasonCode: 'graph_unavailable', retryable: true });
  });

  it('maps Graph statuses to reason codes', () => {
    const reason = (status: number) => graphResponseError({ status }).reasonCode;
    expect([401, 403, 429, 500, 503, 504, 400, 404, 409].map(reason)).toEqual([
      'provider_auth_failed',
      'provider_permission_denied',
      'graph_throttled',
      'graph_unavailable',
      'graph_unavailable',
      'graph_unavailable',
      'graph_error',
      'graph_error',
      'graph_error',
    ]);
  });

  it('keeps Graph messages short and free of tokens', () => {
    const intune = JSON.stringify({
      _version: 3,
      Message:
        'Application is not authorized to perform this operation. - Operation ID (for customer support): 0 - Activity ID: 1 - Url: https://x',
    });
    expect(shortGraphMessage(intune)).toBe('Application is not authorized to perform this operation.');
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
    expect(shortGraphMessage(`bad token ${jwt}`)).not.toContain('eyJ');
    expect(shortGraphMessage('x'.repeat(500)).length).toBeLessThanOrEqual(200);
  });
});

describe('retry policy', () => {
  const policy = { maxRetries: 6, maxDelayMs: 60_000, random: () => 1 };

  it('honours Retry-After (seconds or date) with up to 20% jitter, under the cap', () => {
    expect(retryDelayMs(policy, 1, '2')).toBe(2400);
    expect(retryDelayMs({ ...policy, random: () => 0 }, 1, '2')).toBe(2000);
    expect(retryDelayMs({ ...policy, maxDelayMs: 500 }, 1, '30')).toBe(500);
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter when Graph gives no Retry-After', () => {
    const low = { ...policy, random: () => 0 };
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(low, retry))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(policy, 20)).toBe(60_000);
  });

  it('retries writes only where Graph did nothing', () => {
    expect(mayRetry(true, 'transport')).toBe(true);
    expect(mayRetry(false, 'transport')).toBe(false);
    expect([429, 503, 504, 500].map((status) => mayRetry(false, status))).toEqual([true, true, false, false]);
    expect([429, 503, 504, 500].map((status) => mayRetry(true, status))).toEqual([true, true, true, false]);
  });
});

describe('tenant limiter', () => {
  it('bounds concurrency, hands slots over in order and honours a pause', async () => {
    const limiter = new TenantLimiter(1);
    const release = await limiter.acquire();
    const order: number[] = [];
    const second = limiter.acquire().then((r) => (order.push(2), r));
    const aborted = new AbortController();
    const third = limiter.acquire(aborted.signal);
    aborted.abort(new Error('cancelled'));
    await expect(third).rejects.toThrow('cancelled');
    limiter.pause(60);
    const started = Date.now();
    release();
    (await second)();
    expect(order).toEqual([2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(limiter.inFlight).toBe(0);
  });
});
