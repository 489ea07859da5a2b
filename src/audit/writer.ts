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
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.store.write(async (tx) => {
            for (const b of batch) await tx.events.put(b.e);
          });
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
