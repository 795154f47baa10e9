import { X509Certificate } from 'node:crypto';
import { issueCertificate } from '../../emulators/tls/local-ca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudProcess, type CloudProcess } from '../support/cloud-process';
import type { ApiResponse, DemoUserName } from '../support/api';
import { eventually } from '../support/http';
import { rawRequest, StoreFingerprint } from './support';

/**
 * Regression tests of the malformed inputs an independent fuzz found (issue 20): each is a clear 4xx
 * problem with a stable code, and the store is byte-for-byte what it was before the request.
 */
let cloudProcess: CloudProcess;
let store: StoreFingerprint;

beforeAll(async () => {
  cloudProcess = await startCloudProcess({ env: { LOCAL_EXTRA_ENTRY_FILES: '' } });
  store = new StoreFingerprint(cloudProcess.description, cloudProcess.dataDir);
}, 120_000);

afterAll(async () => {
  store?.dispose();
  await cloudProcess?.stop();
});

const demo = () => cloudProcess.description.demo!;
const token = (user: DemoUserName) => demo().users.find((u) => u.name === user)!.token;
const oid = (user: DemoUserName) => demo().users.find((u) => u.name === user)!.oid;
const contoso = () => demo().workspaces.find((w) => w.name === 'Contoso MSP')!;
const tenantBase = (name = 'contoso') =>
  `/workspaces/${contoso().id}/tenants/${contoso().tenants.find((t) => t.name === name)!.id}`;

function request(
  method: string,
  path: string,
  options: { as?: DemoUserName; body?: unknown; headers?: Record<string, string> } = {},
) {
  return rawRequest(cloudProcess.description, method, path, {
    ...(options.as && { token: token(options.as) }),
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
}

/** Sends each request and asserts a 4xx problem with the code, and that nothing was stored meanwhile. */
async function expectRejectedWithoutWrites(
  code: string | RegExp,
  status: number | number[],
  send: Array<() => Promise<ApiResponse>>,
  field?: RegExp,
) {
  const before = await store.take();
  for (const attempt of send) {
    const response = await attempt();
    const statuses = Array.isArray(status) ? status : [status];
    expect(statuses, `${response.status} ${response.text}`).toContain(response.status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toMatch(code);
    // The request was wrong for the reason under test, not for another one.
    if (field)
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([
        expect.stringMatching(field),
      ]);
  }
  expect(StoreFingerprint.changes(before, await store.take())).toEqual([]);
}

const lists = () => [
  `/operations?workspaceId=${contoso().id}`,
  `/workspaces/${contoso().id}/audit`,
  `${tenantBase()}/backups`,
  `${tenantBase()}/inventory`,
  '/me/notifications',
];

describe('continuation tokens are opaque (item 1)', () => {
  const forged = ['\u0000', '😀', '-1', '{"token":null}', '[{"token":"+RID:~AAAA","range":{}}]', 'a.b', ''];

  it('answers 400 invalid_continuation_token to any token we did not issue, before the store sees it', async () => {
    const sends = lists().flatMap((list) =>
      forged.map(
        (value) => () =>
          request(
            'GET',
            `${list}${list.includes('?') ? '&' : '?'}continuationToken=${encodeURIComponent(value)}`,
            { as: 'alice' },
          ),
      ),
    );
    await expectRejectedWithoutWrites('invalid_continuation_token', 400, sends);
  });

  it('binds a token to the list, the caller and the path it was issued for', async () => {
    const audit = `/workspaces/${contoso().id}/audit`;
    const first = await request('GET', `${audit}?limit=1`, { as: 'alice' });
    expect(first.status, first.text).toBe(200);
    const issued = first.body.continuationToken as string;
    expect(issued).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const next = await request('GET', `${audit}?limit=1&continuationToken=${issued}`, { as: 'alice' });
    expect(next.status, next.text).toBe(200);
    expect(next.body.items[0].id).not.toBe(first.body.items[0].id);

    const [body, mac] = issued.split('.');
    const flipped = `${body}.${mac!.startsWith('A') ? 'B' : 'A'}${mac!.slice(1)}`;
    await expectRejectedWithoutWrites('invalid_continuation_token', 400, [
      () => request('GET', `${audit}?limit=1&continuationToken=${issued}`, { as: 'mike' }), // another caller
      () =>
        request('GET', `/operations?workspaceId=${contoso().id}&continuationToken=${issued}`, {
          as: 'alice',
        }), // another list
      () => request('GET', `${audit}?limit=1&continuationToken=${flipped}`, { as: 'alice' }), // altered
      () =>
        request(
          'GET',
          `${audit}?limit=1&continuationToken=${Buffer.from('x').toString('base64url')}.${mac}`,
          {
            as: 'alice',
          },
        ), // another store token under the same MAC
    ]);
  });
});

describe('path ids are checked before the store (item 2)', () => {
  it('answers 400 to ids Cosmos would refuse, never 500', async () => {
    const inventory = `${tenantBase()}/inventory`;
    await expectRejectedWithoutWrites('validation_failed', 400, [
      () => request('GET', `${inventory}/a%5Cb`, { as: 'rita' }),
      () => request('GET', `${inventory}/..%2F..%2Fadmin/versions`, { as: 'rita' }),
      () => request('GET', `${inventory}/a%23b/versions/x`, { as: 'rita' }),
      () => request('GET', `${inventory}/%20/versions/x`, { as: 'rita' }),
      () => request('GET', `${inventory}/x/versions/a%3Fb`, { as: 'rita' }),
      () => request('GET', `${inventory}/x/diff?from=a%2Fb`, { as: 'rita' }),
      () => request('GET', `/operations/a%5Cb`, { as: 'rita' }),
      () => request('GET', `/workspaces/a%23b/tenants`, { as: 'rita' }),
    ]);
  });
});

describe('names are text (item 3)', () => {
  const bad = ['ab\u0000\u0007\u001b[2Jcd', 'x\ud800y', 'tab\there', '   ', 'x'.repeat(201)];

  it('refuses control characters, unpaired surrogates, blank and over-long names everywhere a name is stored', async () => {
    const base = tenantBase();
    const sends = bad.flatMap((name) => [
      () => request('POST', '/workspaces', { as: 'alice', body: { name } }),
      () => request('PATCH', `${base}`, { as: 'alice', body: { displayName: name } }),
      () =>
        request('POST', `/workspaces/${contoso().id}/tenants`, {
          as: 'alice',
          body: { name: 'ok-name', displayName: name },
        }),
      () =>
        request('PUT', `/workspaces/${contoso().id}/members/${oid('rita')}`, {
          as: 'alice',
          body: { role: 'readonly', displayName: name },
        }),
      () =>
        request('POST', `${base}/backup-schedules`, {
          as: 'mike',
          body: {
            name,
            cadence: { frequency: 'daily', timeOfDay: '02:00', timeZone: 'UTC' },
            retention: { keepLast: 3 },
          },
        }),
      () =>
        request('POST', `${base}/provider-connections`, {
          as: 'alice',
          body: {
            displayName: name,
            entraTenantId: '00000000-0000-0000-0000-000000000001',
            clientId: '00000000-0000-0000-0000-000000000002',
            credential: { authType: 'client_secret', clientSecret: 'not-a-real-secret' },
          },
        }),
    ]);
    await expectRejectedWithoutWrites('validation_failed', 400, sends, /^body\.(name|displayName)$/);
  });

  it('stores names NFC-normalized and trimmed', async () => {
    const created = await request('POST', '/workspaces', {
      as: 'nora',
      body: { name: '  Cafe\u0301 Nord  ' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.name).toBe('Caf\u00e9 Nord');
  });
});

describe('query integers are strict decimal (item 8)', () => {
  it('refuses hex, padded, exponent and fractional limits', async () => {
    const audit = `/workspaces/${contoso().id}/audit`;
    await expectRejectedWithoutWrites(
      'validation_failed',
      400,
      ['0x10', '%205', '5%20', '1e1', '5.0', '-1', '0', '201', '+5', '05'].map(
        (limit) => () => request('GET', `${audit}?limit=${limit}`, { as: 'alice' }),
      ),
      /^query\.limit$/,
    );
    const ok = await request('GET', `${audit}?limit=2`, { as: 'alice' });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(2);
  });
});

describe('request bodies are JSON and bounded (items 5 and 7)', () => {
  const json = JSON.stringify({ name: 'Sent as something else' });

  it('answers 415 to a body not declared JSON, on every kind of write', async () => {
    const headerSets: Array<Record<string, string>> = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      {}, // none at all (bytes, so fetch adds no text/plain of its own)
    ];
    const sends = headerSets.flatMap((headers) => [
      () =>
        rawRequest(cloudProcess.description, 'POST', '/workspaces', {
          token: token('alice'),
          headers,
          body: json,
        }),
      () =>
        rawRequest(cloudProcess.description, 'PATCH', tenantBase(), {
          token: token('alice'),
          headers,
          body: new TextEncoder().encode(JSON.stringify({ displayName: 'x' })),
        }),
    ]);
    await expectRejectedWithoutWrites('unsupported_media_type', 415, sends);
    const charset = await rawRequest(cloudProcess.description, 'PATCH', tenantBase(), {
      token: token('alice'),
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ displayName: 'Contoso' }),
    });
    expect(charset.status, charset.text).toBe(200);
  });

  it('answers 413 to a body over the limit, with or without Content-Length, before parsing it', async () => {
    const nested = '['.repeat(600_000) + ']'.repeat(600_000); // the 3.5 s parse of the fuzz
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
          for (let i = 0; i < 40; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
    await expectRejectedWithoutWrites('payload_too_large', 413, [
      () =>
        request('POST', '/workspaces', { as: 'alice', body: { name: 'big', pad: 'x'.repeat(2_000_000) } }),
      () =>
        rawRequest(cloudProcess.description, 'POST', '/workspaces', {
          token: token('alice'),
          headers: { 'content-type': 'application/json' },
          body: nested,
        }),
      async () => {
        const response = await fetch(`${cloudProcess.description.functions.apiBaseUrl}/workspaces`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token('alice')}`, 'content-type': 'application/json' },
          body: chunked(),
          duplex: 'half',
        } as RequestInit);
        const text = await response.text();
        return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
      },
    ]);
  });
});

describe('certificate credentials are parsed (item 4)', () => {
  function selfSigned(validDays: number, startDaysAgo = 1) {
    const day = 86_400_000;
    const { certPem, keyPem } = issueCertificate({
      commonName: 'tenantatlas-test',
      years: 1,
      extensions: [{ name: 'basicConstraints', cA: false }],
      validity: {
        notBefore: new Date(Date.now() - startDaysAgo * day),
        notAfter: new Date(Date.now() + validDays * day),
      },
    });
    return { certificatePem: certPem, privateKeyPem: keyPem, x509: new X509Certificate(certPem) };
  }
  const connections = () => `${tenantBase('fabrikam')}/provider-connections`;
  const create = (credential: Record<string, unknown>) =>
    request('POST', connections(), {
      as: 'alice',
      body: {
        displayName: 'Certificate connection',
        entraTenantId: '00000000-0000-0000-0000-0000000000c1',
        clientId: '00000000-0000-0000-0000-0000000000c2',
        credential: { authType: 'certificate', ...credential },
      },
    });

  it('refuses text between markers, a key of another certificate, an expired one and oversized input', async () => {
    const good = selfSigned(365);
    const other = selfSigned(365);
    const expired = selfSigned(-1, 30);
    const fake = `-----BEGIN CERTIFICATE-----\n${'QUFB'.repeat(100)}\n-----END CERTIFICATE-----\n`;
    const huge = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(10 * 1024 * 1024 - 60)}\n-----END CERTIFICATE-----\n`;
    await expectRejectedWithoutWrites(
      'validation_failed',
      400,
      [
        () => create({ certificatePem: fake, privateKeyPem: good.privateKeyPem }),
        () => create({ certificatePem: good.certificatePem, privateKeyPem: other.privateKeyPem }),
        () => create({ certificatePem: good.certificatePem, privateKeyPem: 'not a key' }),
        () => create({ certificatePem: expired.certificatePem, privateKeyPem: expired.privateKeyPem }),
        () =>
          create({
            certificatePem: `${good.certificatePem}${'x'.repeat(20_000)}`,
            privateKeyPem: good.privateKeyPem,
          }),
      ],
      /^body\.credential\.(certificatePem|privateKeyPem)$/,
    );
    await expectRejectedWithoutWrites('payload_too_large', 413, [
      () => create({ certificatePem: huge, privateKeyPem: good.privateKeyPem }),
    ]);
  });

  it('reports the thumbprint and expiry, and warns in the health when it ends within 30 days', async () => {
    const lasting = selfSigned(365);
    const created = await create({
      certificatePem: lasting.certificatePem,
      privateKeyPem: lasting.privateKeyPem,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.credential.certificate).toEqual({
      thumbprint: lasting.x509.fingerprint.replace(/:/g, ''),
      notBefore: new Date(lasting.x509.validFrom).toISOString(),
      expiresAt: new Date(lasting.x509.validTo).toISOString(),
    });
    expect(created.body.healthWarnings).toEqual([]);

    const ending = selfSigned(10);
    const rotated = await request('PUT', `${connections()}/${created.body.id}/credentials`, {
      as: 'alice',
      body: {
        authType: 'certificate',
        certificatePem: ending.certificatePem,
        privateKeyPem: ending.privateKeyPem,
      },
    });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.credential.certificate.thumbprint).toBe(ending.x509.fingerprint.replace(/:/g, ''));
    expect(rotated.body.healthWarnings).toEqual([
      expect.objectContaining({
        code: 'certificate_expiring',
        expiresAt: new Date(ending.x509.validTo).toISOString(),
      }),
    ]);
  });
});

describe('operation input is checked at the start (item 6)', () => {
  it('answers 404 to a connection or schedule the tenant does not have, starting nothing', async () => {
    const fabrikamConnection = contoso().tenants.find((t) => t.name === 'fabrikam')!.connectionId!;
    const operations = `${tenantBase()}/operations`;
    await expectRejectedWithoutWrites('not_found', 404, [
      () =>
        request('POST', operations, {
          as: 'olga',
          body: { type: 'provider.health_check', connectionId: fabrikamConnection },
        }),
      () =>
        request('POST', operations, {
          as: 'olga',
          body: { type: 'backup.run', connectionId: 'no-such-connection' },
        }),
      () =>
        request('POST', operations, {
          as: 'olga',
          body: { type: 'backup_schedule.run_now', scheduleId: 'no-such-schedule' },
        }),
    ]);
    // The same start with the tenant's own connection is accepted.
    const own = contoso().tenants.find((t) => t.name === 'contoso')!.connectionId!;
    const started = await request('POST', operations, {
      as: 'olga',
      body: { type: 'provider.health_check', connectionId: own },
    });
    expect([200, 202]).toContain(started.status);
    // Last in the file: that run's notifications arrive after it ends.
    await eventually(async () => {
      const run = await request('GET', `/operations/${started.body.run.id}`, { as: 'olga' });
      return run.body.status === 'completed' ? true : undefined;
    }, 60_000);
  });
});
