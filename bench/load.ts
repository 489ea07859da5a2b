/**
 * Closed-loop load: `concurrency` workers, each sending its next request as soon as the last
 * one answered, over one keep-alive agent. A warm-up runs first and is discarded; the workers
 * then go straight on into the measured window without a pause. Only requests that started
 * inside the window count. Every answer is checked: anything but 200, or a body of another
 * length than the reference answer, is counted as an error.
 */
import type { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { send, type Prepared } from './client.js';
import { cpuSeconds } from './proc.js';

export interface LoadOptions {
  agent: Agent;
  port: number;
  /** Next request to send: a pre-signed one from a pool, or a freshly signed one. */
  next: () => Prepared | Promise<Prepared>;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  /** Body length of a correct answer (all answers of a phase are byte-for-byte the same size). */
  expectLength: number;
  /** The server's pid, to report the CPU it used in the measured window. */
  serverPid?: number;
  /**
   * Several servers behind one load: worker i sends `targets[i % n].next()` to `targets[i % n].port`
   * instead of `next()` to `port` (each server checks the port its requests were signed for), and
   * the server CPU is that of all the pids.
   */
  targets?: { port: number; next: () => Prepared | Promise<Prepared>; pid?: number }[];
  /** CPU seconds used so far by a process the servers depend on (the database server), for `dbCpu`. */
  dbCpuSeconds?: () => number | undefined;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Requests that were not a 200 with a body of the expected size. */
  errors: number;
  /** Status code (0 = network error) → count, for the non-200s. */
  statuses: Record<string, number>;
  wrongLength: number;
  firstError?: string;
  /** HTTP 200 answers over the whole run, warm-up included (to check against what the server recorded). */
  okIncludingWarmup: number;
  /** CPU seconds per wall second (1.0 = one core), when measurable. */
  serverCpu?: number;
  /** The same for `dbCpuSeconds`. */
  dbCpu?: number;
  loadgenCpu: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest-rank.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const start = performance.now();
  const measureStart = start + o.warmupMs;
  const measureEnd = measureStart + o.measureMs;

  let lat = new Float64Array(1 << 16);
  let n = 0;
  let lastDone = measureStart;
  const statuses: Record<string, number> = {};
  let wrongLength = 0;
  let firstError: string | undefined;
  let okAll = 0;

  const targets = o.targets ?? [{ port: o.port, next: o.next, pid: o.serverPid }];
  const serverCpu = () => {
    let sum = 0;
    for (const t of targets) {
      const c = t.pid ? cpuSeconds(t.pid) : undefined;
      if (c === undefined) return undefined;
      sum += c;
    }
    return sum;
  };
  // CPU snapshots at the edges of the measured window.
  let cpuAtStart: { server?: number; db?: number; loadgen: NodeJS.CpuUsage } | undefined;
  const snapStart = setTimeout(() => {
    cpuAtStart = { server: serverCpu(), db: o.dbCpuSeconds?.(), loadgen: process.cpuUsage() };
  }, o.warmupMs);

  const worker = async (i: number) => {
    const { port, next } = targets[i % targets.length];
    for (;;) {
      const prepared = await next();
      const t0 = performance.now();
      if (t0 >= measureEnd) return;
      const r = await send(o.agent, port, prepared);
      const t1 = performance.now();
      if (r.status === 200) okAll++;
      if (t0 < measureStart) continue;
      if (n === lat.length) {
        const bigger = new Float64Array(lat.length * 2);
        bigger.set(lat);
        lat = bigger;
      }
      lat[n++] = t1 - t0;
      if (t1 > lastDone) lastDone = t1;
      if (r.status !== 200) {
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        firstError ??= r.error ?? `HTTP ${r.status}`;
      } else if (r.length !== o.expectLength) {
        wrongLength++;
        firstError ??= `body of ${r.length} bytes, expected ${o.expectLength}`;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, i) => worker(i)));
  clearTimeout(snapStart);

  const wallEnd = performance.now();
  const serverEnd = serverCpu();
  const dbEnd = o.dbCpuSeconds?.();
  const loadgenEnd = process.cpuUsage(cpuAtStart?.loadgen);
  const windowSeconds = (wallEnd - measureStart) / 1000;

  const sorted = lat.subarray(0, n).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const seconds = (lastDone - measureStart) / 1000;
  const non200 = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    requests: n,
    seconds,
    rps: n / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1] : NaN,
    mean: n ? sum / n : NaN,
    errors: non200 + wrongLength,
    statuses,
    wrongLength,
    firstError,
    okIncludingWarmup: okAll,
    serverCpu:
      serverEnd !== undefined && cpuAtStart?.server !== undefined ? (serverEnd - cpuAtStart.server) / windowSeconds : undefined,
    dbCpu: dbEnd !== undefined && cpuAtStart?.db !== undefined ? (dbEnd - cpuAtStart.db) / windowSeconds : undefined,
    loadgenCpu: (loadgenEnd.user + loadgenEnd.system) / 1e6 / windowSeconds,
  };
}

/**
 * A pool of requests signed before the timed phase, each at a different second (so each
 * carries its own signature, as a client's successive requests would), all inside the
 * server's 5-minute skew window (keep `size` well under 300); re-signed in the background every minute so a long phase
 * never sends a stale one.
 */
export async function presignedPool(size: number, sign: (at: Date) => Promise<Prepared>): Promise<{ next: () => Prepared; stop: () => void }> {
  const build = async () => {
    const now = Date.now();
    const out: Prepared[] = [];
    for (let i = 0; i < size; i++) out.push(await sign(new Date(now - i * 1000)));
    return out;
  };
  let pool = await build();
  let i = 0;
  const timer = setInterval(() => {
    build().then((p) => (pool = p), () => undefined);
  }, 60_000);
  timer.unref();
  return { next: () => pool[i++ % pool.length], stop: () => clearInterval(timer) };
}
