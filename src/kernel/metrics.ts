import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * certtrail's Prometheus metrics, served at /_certtrail/metrics: every definition is here, on a
 * registry of the app's own (not prom-client's global one), so two apps in one process (tests)
 * never share a counter. Callers see only the methods below, never the metric objects.
 *
 * Label values are names from certtrail's own tables (signing names, operation names of the
 * services' operation maps, HTTP statuses), never raw input: a client sending made-up targets
 * must not be able to mint series.
 */
export interface Metrics {
  readonly registry: Registry;
  /** One API call answered (JSON 1.1, query or S3), `seconds` from arrival to answer. */
  request(service: string, operation: string, status: number, seconds: number): void;
  /** One batch of events committed by the EventWriter (the store's appendEvents). */
  eventWrite(seconds: number): void;
  /** A trail delivery round ran. */
  deliveryRound(): void;
  /** The age of the oldest event the logging trails have not delivered yet (0: none). */
  deliveryLag(seconds: number): void;
  /** Whether this node now leads the background work. */
  leading(leading: boolean): void;
}

/** Request latencies: most calls take a millisecond or two; issuance and slow stores take longer. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Event commits: a group commit is one fsync (SQLite) or one round trip (PostgreSQL). */
const WRITE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics(o: { nodeId: string; processMetrics?: boolean }): Metrics {
  const registry = new Registry();
  // Node's process metrics (CPU, memory, event-loop lag, GC) under their usual names, so stock
  // Node.js dashboards work unchanged.
  if (o.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'certtrail_requests_total',
    help: 'API calls answered, by service, operation and HTTP status.',
    labelNames: ['service', 'operation', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'certtrail_request_duration_seconds',
    help: 'Time from a request arriving to its answer, by service and operation.',
    labelNames: ['service', 'operation'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const eventWrites = new Histogram({
    name: 'certtrail_event_write_duration_seconds',
    help: 'Time to commit one batch of CloudTrail events of calls that change no state (reads, failures).',
    buckets: WRITE_BUCKETS,
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'certtrail_delivery_lag_seconds',
    help: 'Age of the oldest event not yet delivered to the logging trails (0 when all are delivered).',
    registers: [registry],
  });
  const rounds = new Counter({
    name: 'certtrail_delivery_rounds_total',
    help: 'Trail delivery rounds run on this node.',
    registers: [registry],
  });
  const leader = new Gauge({
    name: 'certtrail_background_leader',
    help: '1 on the node that leads the background work (delivery, lifecycle, event bus), 0 on the others.',
    labelNames: ['node'] as const,
    registers: [registry],
  });
  const node = { node: o.nodeId };
  // Present from the start: a follower says 0 rather than nothing.
  leader.set(node, 0);
  lag.set(0);

  return {
    registry,
    request(service, operation, status, seconds) {
      requests.inc({ service, operation, status });
      requestDuration.observe({ service, operation }, seconds);
    },
    eventWrite: (seconds) => eventWrites.observe(seconds),
    deliveryRound: () => rounds.inc(),
    deliveryLag: (seconds) => lag.set(seconds),
    leading: (leading) => leader.set(node, leading ? 1 : 0),
  };
}

/** A monotonic stopwatch for durations (the injected Clock is for what events say, and tests freeze it). */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => (performance.now() - start) / 1000;
}
