import type { ItemDefinition } from '@azure/cosmos';

/** Changes read past the checkpoint; the checkpoint moves past them only through `commit`. */
export interface ChangeBatch {
  documents: ItemDefinition[];
  /** Writes the checkpoint after the batch. False: another instance moved the lease first (now re-read). */
  commit(): Promise<boolean>;
}

/** Where a change-feed consumer reads from: the emulated feed (poll) or the real one (changeFeed). */
export interface ChangeSource {
  /** The next changes after the checkpoint (at most maxItems), or an empty batch. */
  next(maxItems: number): Promise<ChangeBatch>;
  /** Forget anything read but not committed: the next read starts again from the checkpoint. */
  rewind(): Promise<void>;
}
