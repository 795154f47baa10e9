import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type ItemObject from '@vercel/cosmosdb-server/lib/account/item-object';
import type { Account } from './vercel-internals';

/**
 * Write-ahead journal of the local Cosmos DB's document writes, so a write the server acknowledged
 * survives the process being killed (SIGKILL, a crash, the machine's OOM killer) between two snapshots.
 *
 * Each create, replace, upsert or delete of a document appends one JSON line, with one `write(2)`,
 * before the answer is sent. The kernel keeps what a process wrote when the process dies, so no fsync is
 * needed for that; a power loss can still lose the last writes (the local cloud is not a database
 * server). Writes to databases, containers and UDFs are rare and take a full snapshot before they are
 * answered instead.
 *
 * Journals rotate with snapshots: `journal-<generation>.ndjson`. A snapshot records the generation that
 * was current when it was captured (every line of older generations is inside it), the server then
 * deletes the older files. A start loads the snapshot and replays the journals from its generation on, in
 * order; a torn last line (the process died inside the write) is dropped, as that write was never
 * answered.
 */
export type JournalRecord =
  | { op: 'set'; db: string; coll: string; doc: ItemObject; ridCount: number }
  | { op: 'delete'; db: string; coll: string; id: string; partition: unknown };

/** The part of the package's document store the journal wraps and replays into. */
interface DocumentStore {
  _ridCount: number;
  create(data: ItemObject): ItemObject;
  replace(data: ItemObject, original: ItemObject): ItemObject;
  delete(idOrRid: string, partition?: unknown): void;
  _set(data: ItemObject): ItemObject;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): ItemObject | undefined };
  _getPartition(data: ItemObject): unknown;
}

const FILE_PATTERN = /^journal-(\d+)\.ndjson$/;

export class CosmosJournal {
  private fd: number | undefined;
  private wrapped = new WeakSet<object>();
  /** Nested store calls (replace deletes, then sets) are part of the outer call's one record. */
  private depth = 0;

  private constructor(
    private readonly dir: string,
    private current: number,
  ) {}

  /**
   * Replays every journal from `fromGeneration` on into the account (already holding the snapshot), then
   * opens a new generation for the writes to come. Returns the journal and how many records it replayed.
   */
  static open(
    dir: string,
    account: Account,
    fromGeneration: number,
  ): { journal: CosmosJournal; replayed: number } {
    const generations = journalGenerations(dir).filter((g) => g >= fromGeneration);
    let replayed = 0;
    for (const generation of generations) {
      for (const record of readJournal(journalFile(dir, generation))) {
        applyRecord(account, record);
        replayed += 1;
      }
    }
    const journal = new CosmosJournal(dir, Math.max(fromGeneration, ...generations));
    mkdirSync(dir, { recursive: true });
    journal.rotate();
    return { journal, replayed };
  }

  /**
   * The generation a snapshot captured now covers up to; writes after this call go to a new file. Not
   * called once the folder is gone (server.ts): it is not recreated then.
   */
  rotate(): number {
    this.current += 1;
    const previous = this.fd;
    this.fd = openSync(journalFile(this.dir, this.current), 'a');
    if (previous !== undefined) closeSync(previous);
    return this.current;
  }

  /** After a snapshot from `rotate()` is on disk: the journals it contains are no longer needed. */
  discardBefore(generation: number): void {
    for (const older of journalGenerations(this.dir).filter((g) => g < generation)) {
      rmSync(journalFile(this.dir, older), { force: true });
    }
  }

  /** Journals every document write of a container from now on (idempotent per container). */
  watch(store: DocumentStore, db: string, coll: string): void {
    if (this.wrapped.has(store)) return;
    this.wrapped.add(store);
    const create = store.create.bind(store);
    const replace = store.replace.bind(store);
    const remove = store.delete.bind(store);
    store.create = (data) =>
      this.journaled(
        () => create(data),
        (doc) => this.setRecord(store, db, coll, doc),
      );
    store.replace = (data, original) =>
      this.journaled(
        () => replace(data, original),
        (doc) => this.setRecord(store, db, coll, doc),
      );
    store.delete = (idOrRid, partition) =>
      this.journaled(
        () => remove(idOrRid, partition),
        () => ({ op: 'delete', db, coll, id: idOrRid, partition }),
      );
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private setRecord(store: DocumentStore, db: string, coll: string, doc: ItemObject): JournalRecord {
    return { op: 'set', db, coll, doc, ridCount: store._ridCount };
  }

  private journaled<T>(write: () => T, record: (result: T) => JournalRecord): T {
    this.depth += 1;
    let result: T;
    try {
      result = write();
    } finally {
      this.depth -= 1;
    }
    if (this.depth === 0 && this.fd !== undefined) {
      writeSync(this.fd, `${JSON.stringify(record(result))}\n`);
    }
    return result;
  }
}

function journalFile(dir: string, generation: number): string {
  return path.join(dir, `journal-${generation}.ndjson`);
}

function journalGenerations(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => FILE_PATTERN.exec(name)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function readJournal(file: string): JournalRecord[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const records: JournalRecord[] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
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

function applyRecord(account: Account, record: JournalRecord): void {
  const collection = account.database(record.db).collection(record.coll);
  // A container deleted after the write: its documents went with it.
  if (!collection.read()) return;
  const store = collection.documents as unknown as DocumentStore;
  if (record.op === 'delete') {
    if (store._item('/id', record.id, record.partition).read()) store.delete(record.id, record.partition);
    return;
  }
  const partition = store._getPartition(record.doc);
  // A replace: the previous version leaves the unique-key index first, as the server's replace does.
  if (store._item('/id', record.doc.id, partition).read()) store.delete(record.doc.id as string, partition);
  store._set(record.doc);
  store._ridCount = Math.max(store._ridCount, record.ridCount);
}
