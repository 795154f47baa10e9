/** One start of this process taking a tenant's scope lock: from finding it free to its run document. */
export interface ScopeClaim {
  /** The run the lock is being taken for. */
  readonly runId: string;
  /** Resolves when the claim is settled (never rejects). */
  readonly settled: Promise<void>;
  /** Ends the claim: the lock is taken and the run written, or the attempt failed. Idempotent. */
  settle(): void;
}

/**
 * The starts of this process that are taking a tenant's scope lock right now. When a burst of starts
 * reaches an idle tenant, all of them read "no lock" at once; without this, each would read the tenant,
 * try the conditional create (all but one refused), and poll for the winner's run document while it is
 * still being written. A start that finds another start of this process claiming the same lock waits
 * for that claim and then reads the lock again.
 *
 * Only this process's own in-flight work is waited for, and every decision is still made by reads
 * issued after the wait and by the conditional create: starts on other instances race as before, and
 * no start is answered from a read older than its request (decision 0082).
 */
export class ScopeClaims {
  private readonly inFlight = new Map<string, ScopeClaim>();

  /** The claim a start of this process holds on this lock, if any. */
  pending(lockId: string): ScopeClaim | undefined {
    return this.inFlight.get(lockId);
  }

  /** Claims the lock for `runId`; the caller settles the claim whatever happens. */
  take(lockId: string, runId: string): ScopeClaim {
    let resolve!: () => void;
    const settled = new Promise<void>((done) => (resolve = done));
    const claim: ScopeClaim = {
      runId,
      settled,
      settle: () => {
        if (this.inFlight.get(lockId) === claim) this.inFlight.delete(lockId);
        resolve();
      },
    };
    this.inFlight.set(lockId, claim);
    return claim;
  }
}
