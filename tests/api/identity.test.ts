import { describe, expect, it } from 'vitest';
import { api, demoUser } from '../support/api';
import { cloud } from '../support/http';
import { decodeJwt } from 'jose';
import {
  expiredToken,
  forgedToken,
  graphAppToken,
  mintedToken,
  tamperedToken,
  unsignedToken,
} from '../support/tokens';

describe('identity: bearer tokens are validated against the issuer, audience and JWKS', () => {
  it('accepts a valid token from the simulated Entra', async () => {
    expect((await api('GET', '/workspaces', { as: 'alice' })).status).toBe(200);
  });

  it('refuses every kind of bad token with the same bare 401 problem', async () => {
    const alice = demoUser('alice');
    const contoso = (
      cloud().microsoft as {
        tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
      }
    ).tenants.find((t) => t.name === 'contoso')!;
    const cases: Record<string, string | null> = {
      missing: null,
      garbage: 'not-a-jwt',
      expired: await expiredToken(alice),
      forged: await forgedToken(alice),
      unsigned: unsignedToken(alice),
      tampered: tamperedToken(alice, demoUser('nora').oid),
      wrongAudience: await graphAppToken(contoso),
    };
    const bodies = new Set<string>();
    for (const [name, token] of Object.entries(cases)) {
      const response = await api('GET', '/workspaces', { token });
      expect(response.status, name).toBe(401);
      expect(response.headers.get('content-type'), name).toContain('application/problem+json');
      expect(response.body.code, name).toBe('unauthenticated');
      bodies.add(response.text);
    }
    // Nothing tells an attacker which check failed.
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).not.toMatch(/expired|signature|audience|issuer|alg/i);
  });

  it('a token accepted before is refused once it expires (its signature is checked once, its expiry every time)', async () => {
    const alice = demoUser('alice');
    // Expired 55 s ago: still inside the 60 s clock tolerance for about five seconds.
    const token = await mintedToken(alice, String(decodeJwt(alice.token).tid), -55);
    expect((await api('GET', '/workspaces', { token })).status).toBe(200);
    expect((await api('GET', '/workspaces', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const late = await api('GET', '/workspaces', { token });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('unauthenticated');
  });

  it('serves health and the API document without a token', async () => {
    expect((await api('GET', '/health')).status).toBe(200);
    const document = await api('GET', '/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');
  });
});
