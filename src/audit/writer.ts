import { stopwatch, type Metrics } from '../kernel/metrics.js';
import type { Store } from '../storage/ports.js';
import type { EventRecord } from '../storage/records.js';

/**
 * Durable events for calls that change no state (reads, failures), group-committed: the events
 * of the requests handled while earlier batches are being committed go to the store together,
 * and their callers all wait for that batch's commit, so every event is on disk before its
 * response without one fsync per read.
 *
 * Two batches may be outstanding: one committing and the next already queued behind it (the
 * SQLite store's writer thread starts on it the moment the first is on disk, without waiting for
 * this thread to hear of it and send more). Events that arrive meanwhile wait here and go as one
 * batch when a slot frees: a request waits for at most the commit in progress and its own.
 */
export class EventWriter {
  private pending: EventRecord[] = [];
  /** What the pending events' callers wait on. */
  private next?: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void };
  private scheduled = false;
  private inFlight = 0;

  private readonly maxInFlight: number;
  private readonly metrics?: Pick<Metrics, 'eventWrite'>;

  constructor(private readonly store: Store, o: { maxInFlight?: number; metrics?: Pick<Metrics, 'eventWrite'> } = {}) {
    this.maxInFlight = o.maxInFlight ?? 2;
    this.metrics = o.metrics;
  }

  append(e: EventRecord): Promise<void> {
    this.pending.push(e);
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { promise, resolve, reject };
    }
    this.schedule();
    return this.next.promise;
  }

  /** Deferred to the check phase, so every request read in this turn of the event loop joins the batch. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || !this.next) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.next;
    if (!batch || this.inFlight >= this.maxInFlight) return;
    const events = this.pending;
    this.pending = [];
    this.next = undefined;
    this.inFlight++;
    const elapsed = stopwatch();
    let committed: Promise<void>;
    try {
      committed = this.store.appendEvents(events);
    } catch (err) {
      committed = Promise.reject(err);
    }
    committed.then(
      () => {
        this.metrics?.eventWrite(elapsed());
        this.settle(batch.resolve);
      },
      (err) => this.settle(() => batch.reject(err)),
    );
  };

  private settle(done: () => void): void {
    this.inFlight--;
    done();
    this.schedule();
  }
}
