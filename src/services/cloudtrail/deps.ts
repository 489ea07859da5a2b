import type { DigestKeys } from '../../audit/digest-keys.js';
import type { Store } from '../../storage/ports.js';
import type { EventCursor } from './cursor.js';

/** What CloudTrail handlers may use; wired in app.ts. Time comes from the request (ctx.now). */
export interface CloudTrailDeps {
  store: Store;
  cursor: EventCursor;
  /** Digest signing keys (ListPublicKeys). */
  digestKeys: DigestKeys;
  /** Asks trail delivery to look now (a stopped trail's final files are due at once). */
  wakeDelivery?: () => void;
}
