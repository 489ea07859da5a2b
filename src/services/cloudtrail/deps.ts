import type { Store } from '../../storage/ports.js';
import type { EventCursor } from './cursor.js';

/** What CloudTrail handlers may use; wired in app.ts. Time comes from the request (ctx.now). */
export interface CloudTrailDeps {
  store: Store;
  cursor: EventCursor;
}
