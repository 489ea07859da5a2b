import type { Ids } from '../../kernel/ids.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { Repositories, Store } from '../../storage/ports.js';
import type { EventsPaging } from './paging.js';

/** An event as EventBridge delivers it (the envelope every rule matches against). */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 UTC to the second, e.g. 2026-01-01T00:00:00Z. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** An event PutEvents accepted, for the bus of its account and region. */
export interface BusEventInput {
  accountId: string;
  region: string;
  envelope: EventEnvelope;
}

/**
 * Puts accepted events on the bus. Called inside the PutEvents call's write transaction
 * (`tx`), so the events, and the call's CloudTrail event, commit together or not at all.
 */
export type PublishEvents = (events: BusEventInput[], tx: Repositories) => Promise<void>;

/** What EventBridge handlers may use; wired in app.ts. Time comes from the request (ctx.now). */
export interface EventsDeps {
  store: Store;
  ids: Ids;
  /** Seals connection credentials. */
  box: SecretBox;
  paging: EventsPaging;
  /** Without one, accepted events are answered for and dropped. */
  publish?: PublishEvents;
  /** Asks the bus to look now, after events were committed. */
  wakeBus?: () => void;
}
