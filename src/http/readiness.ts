import type { Logger } from '../kernel/logger.js';
import type { Store } from '../storage/ports.js';

/** The account every data dir has (ensureDefaultAccount): reading it is the cheapest real query. */
const PROBE_ACCOUNT = '000000000000';

export interface ReadinessDeps {
  store: Store;
  /** Startup is done: migrations run, CA hierarchy in place, listening (false again once stopping). */
  isReady: () => boolean;
  logger: Logger;
  /** How long the database may take to answer before the node counts as not ready. */
  timeoutMs?: number;
}

export interface Readiness {
  ready: boolean;
  /** What is missing, for the operator reading the 503. */
  missing: string[];
  checks: { startup: 'ok' | 'starting'; database: 'ok' | 'unreachable' | 'timeout' };
}

/**
 * /_certtrail/ready: whether this node can serve calls now, for a load balancer to route by
 * (/_certtrail/health stays liveness: a node whose database is away must not be restarted for
 * it). The answer names what is missing but not the database's error, which can carry its host
 * and user; that goes to the server log.
 */
export function readinessCheck(d: ReadinessDeps): () => Promise<Readiness> {
  const timeoutMs = d.timeoutMs ?? 2_000;
  // A read still waiting from an earlier probe is waited on again rather than joined by another:
  // probes against a hung database do not pile up reads on its pool.
  let read: Promise<unknown> | undefined;

  const probe = () =>
    new Promise<Readiness['checks']['database']>((resolve) => {
      const timer = setTimeout(() => {
        d.logger.warn('readiness: database did not answer', { timeoutMs });
        resolve('timeout');
      }, timeoutMs);
      read ??= Promise.resolve()
        .then(() => d.store.read((tx) => tx.accounts.get(PROBE_ACCOUNT)))
        .finally(() => (read = undefined));
      read.then(
        () => {
          clearTimeout(timer);
          resolve('ok');
        },
        (e) => {
          clearTimeout(timer);
          d.logger.warn('readiness: database read failed', { error: e instanceof Error ? e.message : String(e) });
          resolve('unreachable');
        },
      );
    });

  return async () => {
    const startup = d.isReady() ? 'ok' : 'starting';
    const database = await probe();
    const missing = [...(startup === 'ok' ? [] : ['startup']), ...(database === 'ok' ? [] : ['database'])];
    return { ready: missing.length === 0, missing, checks: { startup, database } };
  };
}
