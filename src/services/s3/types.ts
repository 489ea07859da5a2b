import type { Principal } from '../../auth/principal.js';
import type { Clock } from '../../kernel/clock.js';
import type { Ids } from '../../kernel/ids.js';
import type { Logger } from '../../kernel/logger.js';
import type { LocalObjectStore } from '../../objects/local.js';
import type { Params } from './router.js';

/** One authenticated S3 call, as the handlers see it. */
export interface S3Call {
  requestId: string;
  hostId: string;
  /** Read once when the request arrived. */
  now: Date;
  principal: Principal;
  /** The region the request was signed for. */
  region: string;
  operation: string;
  method: string;
  bucket?: string;
  key?: string;
  params: Params;
  /** Lowercase names; repeats as arrays (Node's headersDistinct). */
  headers: Record<string, string | string[] | undefined>;
  /** The payload after aws-chunked decoding and every integrity check. */
  body: Buffer;
  /** x-amz-checksum-<algorithm> values the client sent, verified. */
  checksums: Record<string, string>;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export interface S3Deps {
  buckets: LocalObjectStore;
  clock: Clock;
  ids: Ids;
  logger: Logger;
}

export type S3Handler = (call: S3Call, deps: S3Deps) => Promise<S3Response>;

export function header(call: Pick<S3Call, 'headers'>, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
