import type { Store } from '../storage/ports.js';
import type { EventRecord } from '../storage/records.js';

/**
 * Durable events for calls that change no state (reads, failures). Calls that arrive while a
 * commit is in flight share the next transaction (group commit), so every event is on disk
 * before its response without one fsync per read.
 */
export class EventWriter {
  private queue: { e: EventRecord; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly store: Store) {}

  append(e: EventRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ e, resolve, reject });
      // Deferred to the check phase so every request read in this turn of the event loop joins
      // the same commit: one fsync for the lot.
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.store.appendEvents(batch.map((b) => b.e));
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
