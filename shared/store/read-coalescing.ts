/**
 * Joins concurrent point reads of one document. A read asked for while another read of the same
 * document is in flight does not take that read's answer (it may predate a write the caller has seen
 * complete); it waits for it to end and shares the *next* read with every caller that asked meanwhile.
 * So each caller's answer was read after it asked — what a read of its own would give — and a burst of
 * N reads of a hot document (the scope lock and the run behind it when many starts of one tenant come
 * at once, a workspace membership) costs two round trips instead of N.
 *
 * Each caller gets its own copy of a shared answer: callers may change what they read.
 */
interface Flight {
  running: Promise<unknown>;
  /** The read the callers who came while `running` was in flight share. */
  queued?: Promise<unknown>;
}

export class ReadCoalescing {
  private readonly flights = new Map<string, Flight>();

  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const flight = this.flights.get(key);
    if (!flight) {
      const started = {} as Flight;
      this.flights.set(key, started);
      return this.start(key, started, load);
    }
    flight.queued ??= flight.running.then(settled, settled).then(() => {
      flight.queued = undefined;
      return this.start(key, flight, load);
    });
    return flight.queued.then((answer) => structuredClone(answer) as T);
  }

  private start<T>(key: string, flight: Flight, load: () => Promise<T>): Promise<T> {
    const running = load();
    flight.running = running;
    const end = () => {
      if (flight.running === running && !flight.queued) this.flights.delete(key);
    };
    running.then(end, end);
    return running;
  }
}

function settled(): void {}
