import type { Shape } from '../protocol/shape.js';
import type { RequestContext } from './context.js';

export interface Operation<D> {
  input: Shape;
  handler: (ctx: RequestContext, input: any, deps: D) => Promise<unknown>;
}

/** A JSON 1.1 service as the router sees it. */
export interface JsonService<D = unknown> {
  /** Short name (`acm`), also the expected SigV4 signing name. */
  signingName: string;
  targetPrefix: string;
  operations: Record<string, Operation<D>>;
  /** Operations the current SDK knows that certtrail has not built yet: a clear error, not "unknown". */
  notYetImplemented: readonly string[];
  deps: D;
}
