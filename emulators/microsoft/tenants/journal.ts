import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { nodeFromStored, nodeToStored, type StoredNode, type TenantStore } from './store';

/**
 * Write-ahead journal of the simulated tenants' objects, so a write the simulated Graph (or the control
 * API's administrator changes) acknowledged survives the process being killed, as it would in a real
 * tenant (docs/decisions/0061-simulated-tenant-journal.md).
 *
 * A tenant is built from its seed at every start; the journal holds what changed since: for each written
 * top-level object its whole resulting state (contained children and references included), or a deletion
 * marker. Each write appends one JSON line with one `write(2)` before the answer is sent, as the local
 * Cosmos DB's journal does (emulators/cosmos/journal.ts): the kernel keeps what a killed process wrote, so
 * no fsync per write. A start builds the seed, replays the journal in order, then compacts it: the file is
 * rewritten (temporary file, fsync, rename) with one line per object written since the seed, in its
 * current state. The same compaction runs when the journal holds twice as many lines as objects, and when
 * a tenant is reset (its lines are dropped). A torn last line (the process died inside that write, which
 * was never answered) is dropped.
 */
export type TenantJournalRecord =
  | { op: 'set'; tenant: string; collection: string; node: StoredNode }
  | { op: 'delete'; tenant: string; collection: string; id: string };

export interface JournaledTenant {
  name: string;
  store: TenantStore;
}

const FILE = 'tenants-journal.ndjson';

export class TenantJournal {
  private fd: number | undefined;
  private lines = 0;
  /** Per tenant: collection → ids written since the seed (what a compaction writes out). */
  private readonly written = new Map<string, Map<string, Set<string>>>();

  private constructor(
    private readonly dir: string,
    private readonly tenants: Map<string, TenantStore>,
  ) {}

  /**
   * Replays the journal in `dir` into the freshly seeded tenants, compacts it and reports every later
   * write of theirs to it. Lines of tenants the cloud no longer has are dropped.
   */
  static open(dir: string, tenants: JournaledTenant[]): { journal: TenantJournal; replayed: number } {
    const journal = new TenantJournal(dir, new Map(tenants.map((t) => [t.name, t.store])));
    const file = path.join(dir, FILE);
    let replayed = 0;
    if (existsSync(file)) {
      for (const record of readJournal(file)) {
        const store = journal.tenants.get(record.tenant);
        if (!store) continue;
        const collection = store.collection(record.collection);
        if (record.op === 'delete') collection.delete(record.id);
        else collection.set(record.node.id, nodeFromStored(record.node));
        journal
          .keysOf(record.tenant, record.collection)
          .add(record.op === 'delete' ? record.id : record.node.id);
        replayed += 1;
      }
    }
    mkdirSync(dir, { recursive: true });
    journal.compact();
    for (const { name, store } of tenants) {
      store.listener = {
        written: (collection, node) =>
          journal.append({ op: 'set', tenant: name, collection, node: nodeToStored(node) }, node.id),
        removed: (collection, id) => journal.append({ op: 'delete', tenant: name, collection, id }, id),
      };
    }
    return { journal, replayed };
  }

  /** A reset tenant is its seed again: its lines leave the journal. */
  forget(tenant: string): void {
    this.written.delete(tenant);
    this.compact();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(record: TenantJournalRecord, id: string): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    this.keysOf(record.tenant, record.collection).add(id);
    this.lines += 1;
    if (this.lines > 2 * this.objectCount() + 1000) this.compact();
  }

  /** Rewrites the journal as one line per object written since the seed, in its current state. */
  private compact(): void {
    // The state folder was removed while the cloud runs (a test's or a benchmark's temporary folder):
    // its state was thrown away, and the folder is not recreated (as for the local Cosmos DB).
    if (this.fd !== undefined && !existsSync(this.dir)) {
      this.lines = 0;
      return;
    }
    const file = path.join(this.dir, FILE);
    const temporary = `${file}.tmp`;
    const fd = openSync(temporary, 'w');
    let lines = 0;
    try {
      for (const [tenant, collections] of this.written) {
        const store = this.tenants.get(tenant);
        if (!store) continue;
        for (const [collection, ids] of collections) {
          const map = store.collection(collection);
          // The store's order first (the listing order a replay must give back), then the deletions.
          const out: string[] = [];
          for (const [id, node] of map) {
            if (ids.has(id)) out.push(line({ op: 'set', tenant, collection, node: nodeToStored(node) }));
          }
          for (const id of ids) if (!map.has(id)) out.push(line({ op: 'delete', tenant, collection, id }));
          if (out.length > 0) writeSync(fd, out.join(''));
          lines += out.length;
        }
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    this.close();
    this.fd = openSync(file, 'a');
    this.lines = lines;
  }

  private objectCount(): number {
    let count = 0;
    for (const collections of this.written.values())
      for (const ids of collections.values()) count += ids.size;
    return count;
  }

  private keysOf(tenant: string, collection: string): Set<string> {
    let collections = this.written.get(tenant);
    if (!collections) this.written.set(tenant, (collections = new Map()));
    let ids = collections.get(collection);
    if (!ids) collections.set(collection, (ids = new Set()));
    return ids;
  }
}

const line = (record: TenantJournalRecord) => `${JSON.stringify(record)}\n`;

function readJournal(file: string): TenantJournalRecord[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const records: TenantJournalRecord[] = [];
  lines.forEach((text, index) => {
    if (text === '') return;
    try {
      records.push(JSON.parse(text) as TenantJournalRecord);
    } catch (error) {
      // Only the last line can be torn: the process died inside that write, which was never answered.
      if (index === lines.length - 1) return;
      throw new Error(`${file}: line ${index + 1} is not a journal record (delete the file to drop it)`, {
        cause: error,
      });
    }
  });
  return records;
}
