/**
 * Pre-generated key pairs, so a burst of RequestCertificate calls does not queue behind RSA
 * generation. Background generation is capped (default: one fewer than the cores, at most 2) so
 * refilling never takes the CPU the event loop needs; a failed generation is reported, waits,
 * and is retried — a pool must never be the reason the process dies.
 */
import { availableParallelism } from 'node:os';
import { generateKeyPair } from './keys.js';
import type { KeyAlgorithm, KeyPair } from './types.js';

export interface KeyPoolOptions {
  /** How many ready keys to keep per algorithm. Algorithms not listed are generated on demand. */
  targets: Partial<Record<KeyAlgorithm, number>>;
  generate?: (alg: KeyAlgorithm) => Promise<KeyPair>;
  maxInFlight?: number;
  /** Pause before retrying an algorithm whose background generation failed. */
  retryDelayMs?: number;
  /** Hears about background failures (the pool swallows them otherwise). */
  onError?: (alg: KeyAlgorithm, err: unknown) => void;
}

interface Waiter {
  resolve: (kp: KeyPair) => void;
  reject: (err: unknown) => void;
}

export class KeyPool {
  private readonly targets: Partial<Record<KeyAlgorithm, number>>;
  private readonly generate: (alg: KeyAlgorithm) => Promise<KeyPair>;
  private readonly maxInFlight: number;
  private readonly retryDelayMs: number;
  private readonly onError?: (alg: KeyAlgorithm, err: unknown) => void;
  private readonly ready = new Map<KeyAlgorithm, KeyPair[]>();
  /** Background generations running, per algorithm. */
  private readonly pending = new Map<KeyAlgorithm, number>();
  /** Callers that found the pool empty while a background key was already on its way. */
  private readonly waiters = new Map<KeyAlgorithm, Waiter[]>();
  private readonly retryTimers = new Map<KeyAlgorithm, NodeJS.Timeout>();
  private inFlight = 0;
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(opts: KeyPoolOptions) {
    this.targets = { ...opts.targets };
    this.generate = opts.generate ?? generateKeyPair;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? Math.min(2, availableParallelism() - 1));
    this.retryDelayMs = opts.retryDelayMs ?? 5_000;
    this.onError = opts.onError;
  }

  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops refilling. Keys already generating finish (they cannot be cancelled) and are dropped. */
  stop(): void {
    this.running = false;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    this.notifyIdle();
  }

  async take(alg: KeyAlgorithm): Promise<KeyPair> {
    const pooled = this.ready.get(alg)?.shift();
    if (pooled) {
      this.pump();
      return pooled;
    }
    const waiting = this.waiters.get(alg) ?? [];
    if ((this.pending.get(alg) ?? 0) > waiting.length) {
      // A key already half-way done arrives sooner than a fresh one would.
      const p = new Promise<KeyPair>((resolve, reject) => waiting.push({ resolve, reject }));
      this.waiters.set(alg, waiting);
      this.pump();
      return p;
    }
    this.pump();
    return this.generate(alg);
  }

  /** Ready keys for an algorithm (for metrics and tests). */
  available(alg: KeyAlgorithm): number {
    return this.ready.get(alg)?.length ?? 0;
  }

  /** Resolves when no background generation is running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running && this.inFlight < this.maxInFlight) {
      const alg = this.neediest();
      if (!alg) break;
      this.launch(alg);
    }
    this.notifyIdle();
  }

  private deficit(alg: KeyAlgorithm): number {
    const have = this.available(alg) + (this.pending.get(alg) ?? 0) - (this.waiters.get(alg)?.length ?? 0);
    return (this.targets[alg] ?? 0) - have;
  }

  private neediest(): KeyAlgorithm | undefined {
    let best: KeyAlgorithm | undefined;
    let bestDeficit = 0;
    for (const alg of Object.keys(this.targets) as KeyAlgorithm[]) {
      if (this.retryTimers.has(alg)) continue;
      const d = this.deficit(alg);
      if (d > bestDeficit) [best, bestDeficit] = [alg, d];
    }
    return best;
  }

  private launch(alg: KeyAlgorithm): void {
    this.inFlight++;
    this.pending.set(alg, (this.pending.get(alg) ?? 0) + 1);
    let job: Promise<KeyPair>;
    try {
      job = this.generate(alg);
    } catch (err) {
      job = Promise.reject(err);
    }
    job
      .then(
        (kp) => this.deliver(alg, kp),
        (err) => this.failed(alg, err),
      )
      .finally(() => {
        this.inFlight--;
        this.pending.set(alg, (this.pending.get(alg) ?? 1) - 1);
        this.pump();
      });
  }

  private deliver(alg: KeyAlgorithm, kp: KeyPair): void {
    const waiter = this.waiters.get(alg)?.shift();
    if (waiter) return waiter.resolve(kp);
    if (!this.running) return;
    const list = this.ready.get(alg) ?? [];
    if (list.length < (this.targets[alg] ?? 0)) list.push(kp);
    this.ready.set(alg, list);
  }

  private failed(alg: KeyAlgorithm, err: unknown): void {
    try {
      this.onError?.(alg, err);
    } catch {
      // A broken listener must not turn a handled failure into an unhandled rejection.
    }
    // The caller waiting on this key gets its own generation; its error, if any, is theirs.
    const waiter = this.waiters.get(alg)?.shift();
    if (waiter) Promise.resolve().then(() => this.generate(alg)).then(waiter.resolve, waiter.reject);
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(alg);
      this.pump();
    }, this.retryDelayMs);
    timer.unref();
    this.retryTimers.set(alg, timer);
  }

  private notifyIdle(): void {
    if (this.inFlight !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
