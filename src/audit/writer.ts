import type { Store } from '../storage/ports.js';
import type { EventRecord } from '../storage/records.js';

/**
 * Durable events for calls that change no state (reads, failures). The events of every request
 * handled in one turn of the event loop go to the store as one batch, and all of them wait for
 * that batch's commit, so every event is on disk before its response without one fsync per read.
 * A batch is sent without waiting for the one before to commit (the SQLite store's writer thread
 * folds the batches that queue up behind a commit into the next transaction): a request never
 * waits for more than the commit in progress and its own.
 */
export class EventWriter {
  private pending: EventRecord[] = [];
  private committed?: Promise<void>;

  constructor(private readonly store: Store) {}

  append(e: EventRecord): Promise<void> {
    this.pending.push(e);
    // Deferred to the check phase so every request read in this turn of the event loop joins
    // the same batch; one promise for the batch, which its callers all wait on.
    this.committed ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        const events = this.pending;
        this.pending = [];
        this.committed = undefined;
        try {
          this.store.appendEvents(events).then(resolve, reject);
        } catch (err) {
          reject(err);
        }
      });
    });
    return this.committed;
  }
}
