import type { Principal } from '../auth/principal.js';

/** Everything known about one request, built once at the edge and passed down. */
export interface RequestContext {
  requestId: string;
  /** Read once when the request arrived: every rule of this request uses this instant. */
  now: Date;
  sourceIp: string;
  userAgent: string;
  tls: boolean;
  service: string;
  operation: string;
  region: string;
  principal: Principal;
}
