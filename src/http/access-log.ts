import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import type { CallSummary } from '../pipeline/handle.js';

/**
 * What the edge notes of every API call once it is answered: the request metrics, and one
 * access log line at debug level (`CERTTRAIL_LOG_LEVEL=debug`). Not at info: stderr writes to a
 * pipe are synchronous in Node, and a line per call cost a fifth of DescribeCertificate's
 * throughput in the bench (4,983 against 6,074 req/s). Names and numbers only: never the path,
 * query, headers or body, which carry bucket keys, signatures and (ImportCertificate, PutObject)
 * secrets.
 */
export function recordAccess(d: { logger: Logger; metrics?: Metrics }, method: string, call: CallSummary, status: number, seconds: number): void {
  d.metrics?.request(call.service, call.operation, status, seconds);
  d.logger.debug('request', {
    requestId: call.requestId,
    method,
    service: call.service,
    operation: call.operation,
    status,
    durationMs: Math.round(seconds * 1e6) / 1000,
  });
}
