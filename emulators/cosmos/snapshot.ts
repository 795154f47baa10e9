import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type ItemObject from '@vercel/cosmosdb-server/lib/account/item-object';
import type { Account } from './vercel-internals';

/**
 * Raw state of the in-memory account, as stored in `<dataDir>/cosmos.json`. Items are kept verbatim
 * (`_rid`, `_etag`, `_ts`, `_self` included) and in the server's insertion order, which is the order an
 * un-ordered query returns; `ridCount` is the counter each collection derives new `_rid`s from, so writes
 * after a restore do not reuse a `_rid`.
 */
export interface CosmosSnapshot {
  format: 'tenantatlas-local-cosmos/1';
  databases: ItemsSnapshot<DatabaseSnapshot>;
  /** The journal generation from which writes are not in this snapshot (journal.ts); absent = 0. */
  journalGeneration?: number;
}
interface ItemsSnapshot<T> {
  ridCount: number;
  items: T[];
}
interface DatabaseSnapshot {
  data: ItemObject;
  collections: ItemsSnapshot<CollectionSnapshot>;
}
interface CollectionSnapshot {
  data: ItemObject;
  documents: ItemsSnapshot<ItemObject>;
  userDefinedFunctions: ItemsSnapshot<ItemObject>;
}

const FORMAT = 'tenantatlas-local-cosmos/1';

/** The part of the package's `Items` store a snapshot needs: its items by `_rid`, and its `_rid` counter. */
interface ItemStore<I> {
  _ridCount: number;
  _data: Map<string, I>;
}

function itemsOf<I, T>(store: ItemStore<I>, map: (item: I) => T): ItemsSnapshot<T> {
  return { ridCount: store._ridCount, items: [...store._data.values()].map(map) };
}

export function captureAccount(account: Account): CosmosSnapshot {
  return {
    format: FORMAT,
    databases: itemsOf(account.databases, (database) => ({
      data: database.read(),
      collections: itemsOf(database.collections, (collection) => ({
        data: collection.read(),
        documents: itemsOf(collection.documents, (document) => document.read()),
        userDefinedFunctions: itemsOf(collection.userDefinedFunctions, (udf) => udf.read()),
      })),
    })),
  };
}

/** Loads a snapshot into a fresh account, through the same `_set` the server uses to store items. */
export function restoreAccount(account: Account, snapshot: CosmosSnapshot): void {
  if (snapshot.format !== FORMAT)
    throw new Error(`Unknown local Cosmos DB snapshot format: ${snapshot.format}`);
  for (const database of snapshot.databases.items) {
    account.databases._set(database.data);
    const collections = account.database(database.data.id).collections;
    for (const collection of database.collections.items) {
      collections._set(collection.data);
      const live = account.database(database.data.id).collection(collection.data.id);
      for (const document of collection.documents.items) live.documents._set(document);
      live.documents._ridCount = collection.documents.ridCount;
      for (const udf of collection.userDefinedFunctions.items) {
        live.userDefinedFunctions._set(udf);
        // The server keeps UDFs compiled next to their text; it compiles them the same way on create.
        live.userDefinedFunctions.functions[udf.id] = new Function(
          `"use strict";return (${String(udf.body)})`,
        )();
      }
      live.userDefinedFunctions._ridCount = collection.userDefinedFunctions.ridCount;
    }
    collections._ridCount = database.collections.ridCount;
  }
  account.databases._ridCount = snapshot.databases.ridCount;
}

export async function readSnapshotFile(file: string): Promise<CosmosSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as CosmosSnapshot;
  } catch (error) {
    throw new Error(`${file} is not a valid local Cosmos DB snapshot (delete it to start empty)`, {
      cause: error,
    });
  }
}

let tempCounter = 0;

/**
 * Temp file + rename: a reader (or a restart after a crash mid-write) sees the old snapshot or the new
 * one, never half of one. No fsync: this guards against the process dying, not the machine.
 *
 * The folder is not created here (the journal creates it at start): when it is gone, whoever removed it
 * threw the state away (a benchmark's or a test's temporary folder), so nothing is
 * written and the answer is false, also when it disappears during the write.
 */
export async function writeSnapshotFile(file: string, json: string): Promise<boolean> {
  tempCounter += 1;
  const temp = `${file}.${process.pid}.${tempCounter}.tmp`;
  try {
    await writeFile(temp, json);
    await rename(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await rm(temp, { force: true });
    return false;
  }
}
