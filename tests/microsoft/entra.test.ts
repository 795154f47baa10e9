import {
  AuthenticationRequiredError,
  ClientCertificateCredential,
  ClientSecretCredential,
} from '@azure/identity';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftCloud } from '../../emulators/microsoft';
import { API_APP_ID, control, GRAPH_SCOPE, secretCredential, startCloud, tenant } from './support';

let cloud: MicrosoftCloud;

beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud?.stop();
});

describe('simulated Entra ID with the real @azure/identity', () => {
  it('ClientSecretCredential (authorityHost + disableInstanceDiscovery only) gets a Graph token with app roles', async () => {
    const contoso = tenant(cloud, 'contoso');
    const token = await secretCredential(cloud, contoso).getToken(GRAPH_SCOPE);
    expect(token.token.split('.')).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
    const claims = decodeJwt(token.token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: contoso.entraTenantId,
      appid: contoso.clientId,
      idtyp: 'app',
    });
    expect(claims.roles).toEqual(
      expect.arrayContaining([
        'DeviceManagementConfiguration.ReadWrite.All',
        'Policy.Read.All',
        'Group.Read.All',
      ]),
    );
  });

  it('tenant ids, client ids, secrets and object ids are derived from name and seed (stable across restarts)', async () => {
    const again = await startCloud();
    try {
      expect(again.tenants.map((t) => [t.entraTenantId, t.clientId, t.clientSecret])).toEqual(
        cloud.tenants.map((t) => [t.entraTenantId, t.clientId, t.clientSecret]),
      );
      const ids = async (c: MicrosoftCloud) => {
        const token = (await secretCredential(c, tenant(c, 'contoso')).getToken(GRAPH_SCOPE)).token;
        const res = await fetch(`${c.graphBaseUrl}/beta/deviceManagement/configurationPolicies?$select=id`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return ((await res.json()) as { value: Array<{ id: string }> }).value.map((p) => p.id);
      };
      expect(await ids(again)).toEqual(await ids(cloud));
    } finally {
      await again.stop();
    }
  });

  it('a wrong secret fails with AADSTS7000215 as an AuthenticationRequiredError (→ provider_auth_failed)', async () => {
    const contoso = tenant(cloud, 'contoso');
    const error = await secretCredential(cloud, contoso, 'not-the-secret')
      .getToken(GRAPH_SCOPE)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error?.name).toBe('AuthenticationRequiredError');
    expect(error?.message).toMatch(/invalid_client/);
    expect(error?.message).toMatch(/AADSTS7000215: Invalid client secret provided/);
  });

  it('an unknown client is AADSTS700016 and an expired secret AADSTS7000222', async () => {
    const contoso = tenant(cloud, 'contoso');
    const unknown = new ClientSecretCredential(
      contoso.entraTenantId,
      '00000000-1111-2222-3333-444444444444',
      'x',
      {
        authorityHost: cloud.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    await expect(unknown.getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS700016/);
    await control(cloud, 'PATCH', `/tenants/contoso/apps/${contoso.clientId}/secrets`, {
      expiresAt: '2024-01-01T00:00:00Z',
    });
    try {
      await expect(secretCredential(cloud, contoso).getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS7000222/);
    } finally {
      await control(cloud, 'PATCH', `/tenants/contoso/apps/${contoso.clientId}/secrets`, {
        expiresAt: '2099-01-01T00:00:00Z',
      });
    }
  });

  it('the raw error body has the shape of the real service', async () => {
    const contoso = tenant(cloud, 'contoso');
    const res = await fetch(`${cloud.authorityHost}/${contoso.entraTenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: contoso.clientId,
        client_secret: 'nope',
        scope: GRAPH_SCOPE,
      }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['error_description', 'timestamp', 'trace_id', 'correlation_id']),
    );
  });

  it('ClientCertificateCredential signs a client assertion that is verified against the registered certificate', async () => {
    const contoso = tenant(cloud, 'contoso');
    const fabrikam = tenant(cloud, 'fabrikam');
    const credential = new ClientCertificateCredential(
      contoso.entraTenantId,
      contoso.clientId,
      { certificate: contoso.certificate!.pem },
      { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true },
    );
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(decodeJwt(token.token)).toMatchObject({ appidacr: '2', tid: contoso.entraTenantId });
    const wrongCert = new ClientCertificateCredential(
      contoso.entraTenantId,
      contoso.clientId,
      { certificate: fabrikam.certificate!.pem },
      { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true },
    );
    await expect(wrongCert.getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS700027/);
  });

  it('serves OpenID metadata and a JWKS; user tokens for our API verify against it', async () => {
    const contoso = tenant(cloud, 'contoso');
    const meta = (await (
      await fetch(`${cloud.authorityHost}/${contoso.entraTenantId}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(meta.issuer).toBe(cloud.issuer(contoso.entraTenantId));
    expect(meta.token_endpoint).toBe(`${cloud.authorityHost}/${contoso.entraTenantId}/oauth2/v2.0/token`);
    const discovery = await fetch(
      `${cloud.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=x`,
    );
    expect(discovery.status).toBe(200);

    const user = {
      oid: '0c6b1d6e-1b39-4a5e-9f57-7a3c6c1d2e01',
      tid: contoso.entraTenantId,
      name: 'Alice Admin',
      preferredUsername: 'alice@contoso.com',
    };
    const token = await cloud.issueUserToken(user, { expiresInSeconds: 600 });
    const jwks = createRemoteJWKSet(new URL(cloud.jwksUri));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      audience: API_APP_ID,
      issuer: cloud.issuer(contoso.entraTenantId),
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({
      oid: user.oid,
      tid: user.tid,
      name: user.name,
      preferred_username: user.preferredUsername,
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.nbf).toBeDefined();
  });

  it('describe() is the microsoft part of .local/cloud.json', () => {
    const d = cloud.describe() as {
      authorityHost: string;
      graphBaseUrl: string;
      controlUrl: string;
      tenants: Array<Record<string, unknown>>;
    };
    expect(d.authorityHost).toBe(cloud.authorityHost);
    expect(d.graphBaseUrl).toBe(cloud.graphBaseUrl);
    expect(d.controlUrl).toBe(cloud.controlUrl);
    expect(d.tenants.map((t) => t.name)).toEqual(['contoso', 'fabrikam']);
    for (const t of d.tenants)
      expect(Object.keys(t)).toEqual(
        expect.arrayContaining(['name', 'entraTenantId', 'clientId', 'clientSecret']),
      );
  });
});
