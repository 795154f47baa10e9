import { CosmosClient, type Container } from '@azure/cosmos';
import { createHash } from 'node:crypto';
import { countRoundTrips, noRoundTrips, type RoundTrips } from '../emulators/functions-host/round-trips';
import { AuditLog } from '../shared/audit/audit';
import { systemClock } from '../shared/clock';
import { createGroupDirectory } from '../shared/directory/group-directory';
import { DirectoryStore } from '../shared/directory/store';
import { createDrift } from '../shared/drift';
import { findingIdOf, summaryIdOf, tenantBaselinesIdOf, type Baseline } from '../shared/drift/model';
import { emptyWriteStats, upsertAll } from '../shared/inventory/store/batch-writer';
import { VersionStore } from '../shared/inventory/store/versions';
import type { VersionContent } from '../shared/inventory/model';
import { ensureContainers } from '../shared/store/cosmos';
import { CONTAINERS } from '../shared/store/containers';
import { percentile, startCosmosProcess } from './harness';

/**
 * `npm run bench:drift`: 1,000 tenants × a 300-object baseline with 1 % drift (3 objects of each tenant
 * differ from the golden tenant), on the local Cosmos DB in a process of its own.
 *
 * The data is SEEDED DIRECTLY into Cosmos DB (inventory items and policy versions of a golden tenant and
 * of every checked tenant, and the baseline document with every tenant assigned), written with the
 * inventory's own batch writer and version store: a real sync of 1,000 simulated tenants would take
 * hours here and measures the sync, not drift. Evaluation then runs through the drift module's public
 * entry (`createDrift`), as the change-feed functions call it:
 *
 * 1. full evaluation: every (baseline, tenant) evaluated, four tenants at a time (as a baseline change
 *    does), wall time and Cosmos cost;
 * 2. one changed object: a tenant item stored with new content, handed to `onInventoryDocuments` (what
 *    the inventory change feed does) — must touch only that object's finding, target < 100 ms;
 * 3. `drift/summary` for the workspace: the route's service call (`findings.summary`), target p95 < 200 ms.
 *
 * The local Cosmos DB answers every request with `x-ms-request-charge: 1`: it has no request-unit
 * figure. The bench counts round trips by kind (where they leave the process) and documents written,
 * and prints an ESTIMATE of Azure RUs from nominal costs (point read of ≤ 1 KB: 1 RU; write of ≤ 1 KB:
 * ~6 RU; a query: ~3 RU plus 1 per page of results) — an order of magnitude, not a measurement.
 *
 * BENCH_TENANTS (default 1000) and BENCH_OBJECTS (default 300) change the size.
 */

const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 300);
const DRIFT_PER_TENANT = Math.max(1, Math.round(OBJECTS / 100));
const CONCURRENCY = 4;
/**
 * Tenants whose full evaluation is timed (at the product's four at a time). The local server needs
 * seconds of round trips per tenant on the shared machine, so timing all 1,000 takes over an hour: the
 * findings and summaries of the other tenants are COPIED from the evaluated ones (tenant t from tenant
 * t mod MEASURED, ids derived as the evaluation derives them), so that step 3 reads 1,000 pairs from a
 * partition of 300,000 findings. Step 2 changes objects of evaluated tenants only.
 * BENCH_MEASURED_TENANTS=1000 evaluates (and times) them all.
 */
const MEASURED = Math.min(TENANTS, Number(process.env.BENCH_MEASURED_TENANTS ?? 20));
const SINGLE_CHANGES = 20;
const SUMMARY_READS = 40;
const BOUND_SINGLE_MS = 100;
const BOUND_SUMMARY_P95_MS = 200;
const WORKSPACE = 'bench-drift-workspace';
const GOLDEN = 'bench-golden';
const TYPE = 'deviceConfigurations';
const AT = '2026-12-01T00:00:00.000Z';

const tenantIdOf = (i: number) => `bench-t${String(i).padStart(4, '0')}`;
const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

function contentOf(i: number, variant = 0): VersionContent {
  return {
    object: {
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
      displayName: `Standard setting ${i}`,
      description: `Object ${i} of the standard`,
      passwordRequired: true,
      passwordMinimumLength: 8 + variant,
      passwordExpirationDays: 90,
      defenderScanType: 'full',
      firewallBlockStatefulFTP: i % 2 === 0,
      edgeBlockPopups: true,
      storageRequireMobileDeviceEncryption: true,
    },
    subResources: {},
    assignments: [],
  };
}

/** Which objects of tenant `t` drift: spread over the baseline, different per tenant. */
const driftedOf = (t: number) =>
  new Set(Array.from({ length: DRIFT_PER_TENANT }, (_, k) => (t * 7 + k * 101) % OBJECTS));

async function seedTenant(
  containers: { inventory: Container; versions: VersionStore },
  tenantId: string,
  variantOf: (i: number) => number,
  graphIdOf: (i: number) => string,
) {
  const stats = emptyWriteStats();
  const versions = [];
  const items = [];
  for (let i = 0; i < OBJECTS; i++) {
    const content = contentOf(i, variantOf(i));
    const id = hash(content);
    const graphId = graphIdOf(i);
    const itemId = `${TYPE}:${graphId}`;
    const displayName = String(content.object.displayName);
    versions.push({
      id,
      tenantId,
      docType: 'version' as const,
      itemId,
      policyType: TYPE,
      graphId,
      displayName,
      odataType: '#microsoft.graph.windows10GeneralConfiguration',
      contentHash: id,
      content,
      redactedPaths: [],
    });
    items.push({
      id: itemId,
      tenantId,
      workspaceId: WORKSPACE,
      docType: 'item',
      policyType: TYPE,
      category: 'configuration',
      role: 'policy',
      graphId,
      displayName,
      searchName: displayName.toLowerCase(),
      sortKey: `${TYPE}/${displayName.toLowerCase()}`,
      odataType: '#microsoft.graph.windows10GeneralConfiguration',
      platform: 'windows',
      lastModifiedDateTime: AT,
      contentHash: id,
      currentVersionId: id,
      assignments: [],
      targetIds: [],
      scopeTagIds: [],
      encryptedSettings: 0,
      history: [],
      versionCount: 1,
      firstSeenAt: AT,
      lastSeenAt: AT,
      changedAt: AT,
      removedAt: null,
    });
  }
  await containers.versions.write(tenantId, versions, stats);
  await upsertAll(containers.inventory, tenantId, items, stats);
  return { items, stats };
}

/**
 * The findings and summary of tenant t, copied from tenant t mod `measured` (same drift positions are not
 * needed: only step 3 reads them, and it reads summaries): ids, tenant and compared items rewritten.
 */
async function copyEvaluations(
  containers: { drift: Container; summaries: Container },
  baselineId: string,
  measured: number,
  tenants: number,
) {
  let copied = 0;
  const sources = new Map<number, Array<Record<string, unknown>>>();
  const ofTenant = async (container: Container, docType: string, tenantId: string) =>
    (
      await container.items
        .query<Record<string, unknown>>(
          {
            query: 'SELECT * FROM c WHERE c.workspaceId = @w AND c.tenantId = @t AND c.docType = @d',
            parameters: [
              { name: '@w', value: WORKSPACE },
              { name: '@t', value: tenantId },
              { name: '@d', value: docType },
            ],
          },
          { partitionKey: WORKSPACE },
        )
        .fetchAll()
    ).resources;
  for (let t = measured; t < tenants; t++) {
    const s = t % measured;
    if (!sources.has(s))
      sources.set(s, [
        ...(await ofTenant(containers.drift, 'finding', tenantIdOf(s))),
        ...(await ofTenant(containers.summaries, 'summary', tenantIdOf(s))),
      ]);
    const tenantId = tenantIdOf(t);
    const idOf = new Map<string, string>();
    const documents = sources.get(s)!.map((doc) => {
      const { _rid, _self, _etag, _attachments, _ts, ...rest } = doc;
      void [_rid, _self, _etag, _attachments, _ts];
      if (rest.docType === 'summary') return rest;
      const id = findingIdOf(baselineId, tenantId, String(rest.objectKey));
      idOf.set(String(rest.id), id);
      const item =
        typeof rest.tenantItemId === 'string' ? rest.tenantItemId.replace(`:t${s}-o`, `:t${t}-o`) : null;
      return { ...rest, id, tenantId, tenantItemId: item };
    });
    const out = documents.map((doc) =>
      doc.docType === 'summary'
        ? {
            ...doc,
            id: summaryIdOf(baselineId, tenantId),
            tenantId,
            drift: Object.fromEntries(
              Object.entries(doc.drift as Record<string, unknown>).map(([id, entry]) => [
                idOf.get(id) ?? id,
                entry,
              ]),
            ),
          }
        : doc,
    );
    const summaries = out.filter((doc) => doc.docType === 'summary');
    await upsertAll(
      containers.drift,
      WORKSPACE,
      out.filter((doc) => doc.docType !== 'summary'),
      emptyWriteStats(),
    );
    await upsertAll(containers.summaries, WORKSPACE, summaries, emptyWriteStats());
    copied += out.length;
  }
  return copied;
}

/**
 * The signal ledger of every pair, as `driftSignals` leaves it once it announced the pair's drift: the
 * summaries' container holds one beside each summary, which the summary's query passes over.
 */
async function seedLedgers(summaries: Container, baselineId: string) {
  const { resources } = await summaries.items
    .query<{ tenantId: string; drift: Record<string, { firstSeenAt: string | null }> }>(
      {
        query: "SELECT c.tenantId, c.drift FROM c WHERE c.workspaceId = @w AND c.docType = 'summary'",
        parameters: [{ name: '@w', value: WORKSPACE }],
      },
      { partitionKey: WORKSPACE },
    )
    .fetchAll();
  const ledgers = resources.map((summary) => ({
    id: `signals-${baselineId}-${summary.tenantId}`,
    workspaceId: WORKSPACE,
    docType: 'signals',
    baselineId,
    tenantId: summary.tenantId,
    episodes: Object.fromEntries(Object.entries(summary.drift).map(([id, entry]) => [id, entry.firstSeenAt])),
  }));
  await upsertAll(summaries, WORKSPACE, ledgers, emptyWriteStats());
  return ledgers.length;
}

const add = (into: RoundTrips, from: RoundTrips) => {
  for (const key of Object.keys(into) as Array<keyof RoundTrips>) into[key] += from[key];
};
const writesOf = (r: RoundTrips) => r.creates + r.replaces + r.upserts + r.patches + r.deletes;
/** Nominal Azure costs per round trip (see the header): an estimate, never a measurement. */
const estimatedRu = (r: RoundTrips) => r.pointReads * 1 + r.queries * 3 + writesOf(r) * 6;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const line = (r: RoundTrips) =>
  Object.entries(r)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');

async function main(): Promise<void> {
  console.log(
    `bench:drift — ${TENANTS} tenants × a ${OBJECTS}-object baseline, ${DRIFT_PER_TENANT} drifted objects per tenant (${((DRIFT_PER_TENANT / OBJECTS) * 100).toFixed(1)} %)`,
  );
  const cosmos = await startCosmosProcess();
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const database = client.database('tenantatlas-bench-drift');
    await ensureContainers(database);
    const container = (name: keyof typeof CONTAINERS) => database.container(CONTAINERS[name].id);
    const inventory = container('inventory');
    const versions = new VersionStore(container('policyVersions'));

    console.log('Seeding (directly in Cosmos DB, see the header)…');
    const seedStarted = performance.now();
    const golden = await seedTenant(
      { inventory, versions },
      GOLDEN,
      () => 0,
      (i) => `golden-${i}`,
    );
    for (let t = 0; t < TENANTS; t += CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, TENANTS - t) }, (_, k) => {
          const drifted = driftedOf(t + k);
          return seedTenant(
            { inventory, versions },
            tenantIdOf(t + k),
            (i) => (drifted.has(i) ? 1 : 0),
            (i) => `t${t + k}-o${i}`,
          );
        }),
      );
    }
    const baseline: Baseline = {
      id: 'bench-baseline',
      workspaceId: WORKSPACE,
      docType: 'baseline',
      name: 'Bench standard',
      description: '',
      source: { tenantId: GOLDEN, itemIds: golden.items.map((item) => item.id) },
      policyTypes: [],
      itemIds: [],
      reportExtras: false,
      objects: golden.items.map((item) => ({
        key: item.id,
        policyType: TYPE,
        graphId: item.graphId,
        displayName: item.displayName,
        versionId: item.currentVersionId,
      })),
      tenants: Array.from({ length: TENANTS }, (_, t) => ({
        tenantId: tenantIdOf(t),
        pairings: {},
        assignedAt: AT,
        assignedBy: { userId: 'bench', displayName: 'Bench' },
        revision: 1,
      })),
      tenantIds: Array.from({ length: TENANTS }, (_, t) => tenantIdOf(t)),
      revision: 1,
      createdAt: AT,
      createdBy: { userId: 'bench', displayName: 'Bench' },
      updatedAt: AT,
      updatedBy: { userId: 'bench', displayName: 'Bench' },
      deletedAt: null,
    };
    await container('drift').items.upsert(baseline);
    // What assigning each tenant writes besides the baseline: the tenant's baseline index.
    await upsertAll(
      container('drift'),
      WORKSPACE,
      Array.from({ length: TENANTS }, (_, t) => ({
        id: tenantBaselinesIdOf(tenantIdOf(t)),
        workspaceId: WORKSPACE,
        docType: 'tenantBaselines',
        tenantId: tenantIdOf(t),
        baselineIds: [baseline.id],
      })),
      emptyWriteStats(),
    );
    console.log(
      `  ${(TENANTS + 1) * OBJECTS * 2} documents in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`,
    );

    const drift = createDrift({
      drift: container('drift'),
      driftSummaries: container('driftSummaries'),
      inventory,
      audit: new AuditLog(container('audit'), systemClock),
      clock: systemClock,
      workspaces: { getTenant: async () => undefined },
      backups: { getSet: async () => undefined, items: async () => ({ items: [] }) },
      groups: createGroupDirectory(new DirectoryStore(container('directory'))),
      readVersion: (tenantId, versionId) => versions.read(tenantId, versionId),
    });

    // 1. Full evaluation.
    console.log(
      `\n1. Full evaluation, timed for ${MEASURED} of ${TENANTS} tenants (${CONCURRENCY} at a time)…`,
    );
    const full = noRoundTrips();
    let evaluated = 0;
    let written = 0;
    let opened = 0;
    const evaluateRange = async (from: number, to: number, concurrency: number, tally: boolean) => {
      for (let t = from; t < to; t += concurrency) {
        const results = await Promise.all(
          Array.from({ length: Math.min(concurrency, to - t) }, (_, k) =>
            countRoundTrips(cosmos.endpoint, () => drift.evaluate(WORKSPACE, baseline.id, tenantIdOf(t + k))),
          ),
        );
        if (!tally) continue;
        for (const { result, roundTrips } of results) {
          add(full, roundTrips);
          evaluated += result!.evaluated;
          written += result!.written;
          opened += result!.opened.length;
        }
      }
    };
    const fullStarted = performance.now();
    await evaluateRange(0, MEASURED, CONCURRENCY, true);
    const fullMs = performance.now() - fullStarted;
    const expectedOpen = MEASURED * DRIFT_PER_TENANT;
    const perTenant = fullMs / MEASURED;
    console.log(
      `  ${(fullMs / 1000).toFixed(1)} s wall for ${MEASURED} tenants (${fmt(perTenant)} per tenant) → ${((perTenant * TENANTS) / 60_000).toFixed(1)} min for ${TENANTS} tenants${MEASURED < TENANTS ? ' (extrapolated linearly: each pair is evaluated alone)' : ''}`,
    );
    console.log(
      `  ${evaluated} findings evaluated, ${written} written, ${opened} opened (expected ${expectedOpen}${opened === expectedOpen ? ', exact' : ', MISMATCH'})`,
    );
    console.log(
      `  Cosmos round trips per tenant: ${line(
        Object.fromEntries(
          Object.entries(full).map(([k, v]) => [k, Math.round(v / MEASURED)]),
        ) as unknown as RoundTrips,
      )} (${(writesOf(full) / MEASURED).toFixed(0)} writes: one per finding on the first evaluation)`,
    );
    console.log(
      `  request units: none locally (the local server answers 1 per request); estimate for Azure ≈ ${Math.round(estimatedRu(full) / MEASURED).toLocaleString('en')} RU per tenant, ≈ ${Math.round((estimatedRu(full) / MEASURED) * TENANTS).toLocaleString('en')} RU for ${TENANTS} tenants`,
    );
    if (MEASURED < TENANTS) {
      const began = performance.now();
      const copied = await copyEvaluations(
        { drift: container('drift'), summaries: container('driftSummaries') },
        baseline.id,
        MEASURED,
        TENANTS,
      );
      console.log(
        `  (the other ${TENANTS - MEASURED} tenants' ${copied} findings and summaries copied from evaluated ones in ${((performance.now() - began) / 1000).toFixed(0)} s)`,
      );
    }
    const ledgers = await seedLedgers(container('driftSummaries'), baseline.id);
    console.log(`  (${ledgers} signal ledgers beside the summaries, as driftSignals writes them)`);

    // The local server's cost of one query here, measured in the same run: it answers a query by
    // reading every document of the container (Azure's Cosmos DB uses its index), so a query's time
    // grows with the data seeded — the baseline that steps 2 and 3 are read against.
    const probe = async (target: Container, partitionKey: string, id: string) => {
      const times: number[] = [];
      for (let n = 0; n < 9; n++) {
        const began = performance.now();
        await target.items
          .query(
            { query: 'SELECT c.id FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: id }] },
            { partitionKey },
          )
          .fetchAll();
        times.push(performance.now() - began);
      }
      return percentile(times, 50);
    };
    const driftQueryMs = await probe(container('drift'), WORKSPACE, baseline.id);
    const inventoryQueryMs = await probe(inventory, tenantIdOf(0), `${TYPE}:t0-o0`);
    const summariesQueryMs = await probe(container('driftSummaries'), WORKSPACE, 'none');
    const emptyQueryMs = await probe(container('audit'), WORKSPACE, 'none');
    /** What one query costs here beyond a query of an empty container: the local server's scan. */
    const scanMs = Math.max(0, Math.max(driftQueryMs, inventoryQueryMs) - emptyQueryMs);
    console.log(
      `\nThe local server's query (one result, p50 of 9): ${fmt(driftQueryMs)} in the drift container (${(TENANTS * OBJECTS).toLocaleString('en')} findings), ${fmt(inventoryQueryMs)} in the inventory container, ${fmt(summariesQueryMs)} in the driftSummaries container (${TENANTS.toLocaleString('en')} summaries and ledgers each), ${fmt(emptyQueryMs)} in an empty one — it scans the container (Azure reads its index); a point read does not.`,
    );

    // 2. One changed object, re-evaluated alone.
    console.log(
      `\n2. One changed object re-evaluated alone (${SINGLE_CHANGES} changes in evaluated tenants)…`,
    );
    const singleMs: number[] = [];
    const single = noRoundTrips();
    let touchedOnlyIt = true;
    for (let n = 0; n < SINGLE_CHANGES; n++) {
      const t = Math.floor((n * MEASURED) / SINGLE_CHANGES);
      const tenantId = tenantIdOf(t);
      // A different object each time (tenants repeat when there are fewer than SINGLE_CHANGES).
      const i = [...Array(OBJECTS).keys()].filter((o) => !driftedOf(t).has(o))[n]!;
      const content = contentOf(i, 2);
      const id = hash(content);
      const graphId = `t${t}-o${i}`;
      const stats = emptyWriteStats();
      await versions.write(
        tenantId,
        [
          {
            id,
            tenantId,
            docType: 'version',
            itemId: `${TYPE}:${graphId}`,
            policyType: TYPE,
            graphId,
            displayName: String(content.object.displayName),
            odataType: '#microsoft.graph.windows10GeneralConfiguration',
            contentHash: id,
            content,
            redactedPaths: [],
          },
        ],
        stats,
      );
      const { resource: item } = await inventory.item(`${TYPE}:${graphId}`, tenantId).read();
      const changedAt = new Date(Date.parse(AT) + (n + 1) * 60_000).toISOString();
      const { resource: stored } = await inventory.items.upsert({
        ...item,
        currentVersionId: id,
        contentHash: id,
        changedAt,
        lastSeenAt: changedAt,
      });
      const began = performance.now();
      const { result, roundTrips } = await countRoundTrips(cosmos.endpoint, () =>
        drift.onInventoryDocuments([stored]),
      );
      singleMs.push(performance.now() - began);
      add(single, roundTrips);
      if (result.length !== 1 || result[0]!.evaluated !== 1 || result[0]!.opened.length !== 1)
        touchedOnlyIt = false;
    }
    const singleP95 = percentile(singleMs, 95);
    console.log(
      `  p50 ${fmt(percentile(singleMs, 50))}, p95 ${fmt(singleP95)}, max ${fmt(Math.max(...singleMs))} — ${(singleP95 / BOUND_SINGLE_MS).toFixed(2)}× the ${BOUND_SINGLE_MS} ms bound (p95)`,
    );
    console.log(
      `  touched only that object's finding: ${touchedOnlyIt ? 'yes (1 evaluated, 1 written, 1 opened each)' : 'NO'}; round trips per change: ${line(
        Object.fromEntries(
          Object.entries(single).map(([k, v]) => [k, Math.round((v / SINGLE_CHANGES) * 10) / 10]),
        ) as unknown as RoundTrips,
      )}`,
    );
    const perChange = (kind: keyof RoundTrips) => single[kind] / SINGLE_CHANGES;
    const scans = perChange('queries') * scanMs;
    console.log(
      `  of which the local server's scans ≈ ${fmt(scans)} (${perChange('queries').toFixed(1)} queries × at most ${fmt(scanMs)}); the rest, p50 ${fmt(Math.max(0, percentile(singleMs, 50) - scans))}, is the work (${(Math.max(0, percentile(singleMs, 50) - scans) / BOUND_SINGLE_MS).toFixed(2)}× the bound)`,
    );

    // 3. The workspace's drift summary.
    console.log(`\n3. drift/summary of the workspace (${SUMMARY_READS} reads)…`);
    const summaryMs: number[] = [];
    let rows = 0;
    let summaryTrips = noRoundTrips();
    for (let n = 0; n < SUMMARY_READS; n++) {
      const began = performance.now();
      const { result, roundTrips } = await countRoundTrips(cosmos.endpoint, () =>
        drift.findings.summary(WORKSPACE, {}),
      );
      summaryMs.push(performance.now() - began);
      rows = result.items.length;
      summaryTrips = roundTrips;
    }
    const summaryP95 = percentile(summaryMs, 95);
    console.log(
      `  ${rows} rows; p50 ${fmt(percentile(summaryMs, 50))}, p95 ${fmt(summaryP95)} — ${(summaryP95 / BOUND_SUMMARY_P95_MS).toFixed(2)}× the ${BOUND_SUMMARY_P95_MS} ms bound; round trips per read: ${line(summaryTrips)}`,
    );
    // The summary queries the driftSummaries container only (decision 0077).
    const summaryScans = summaryTrips.queries * Math.max(0, summariesQueryMs - emptyQueryMs);
    const summaryRest = percentile(summaryMs, 95) - summaryScans;
    console.log(
      `  of which the local server's scans ≈ ${fmt(summaryScans)} (${summaryTrips.queries} queries); the rest, p95 ${fmt(Math.max(0, summaryRest))}, is ${(Math.max(0, summaryRest) / BOUND_SUMMARY_P95_MS).toFixed(2)}× the bound`,
    );
  } finally {
    client.dispose();
    cosmos.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
