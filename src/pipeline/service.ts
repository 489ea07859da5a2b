import type { AccessRequest } from '../auth/authorizer.js';
import type { Shape } from '../protocol/shape.js';
import type { RequestContext } from './context.js';

export interface Operation<D> {
  input: Shape;
  handler: (ctx: RequestContext, input: any, deps: D) => Promise<unknown>;
  /** Overrides the naming rule (Describe/Get/List/Search… are read-only; cloudtrail.md §1.4). */
  readOnly?: boolean;
  /** Output members a read-only call still shows in responseElements (GetCertificate's PEMs). */
  readOnlyResponse?: readonly string[];
}

/** A JSON 1.1 service as the router sees it. */
export interface JsonService<D = unknown> {
  /** Short name (`acm`), also the expected SigV4 signing name. */
  signingName: string;
  targetPrefix: string;
  /** Further X-Amz-Target prefixes the same service answers to. */
  targetPrefixes?: readonly string[];
  /** CloudTrail's eventSource for its calls, e.g. `acm.amazonaws.com`. */
  eventSource: string;
  operations: Record<string, Operation<D>>;
  /** Operations the current SDK knows that certtrail has not built yet: a clear error, not "unknown". */
  notYetImplemented: readonly string[];
  /** The resource a call is about, for LookupEvents' ResourceType/ResourceName. */
  resourceOf?: (input: Record<string, unknown> | undefined, output: unknown) => { type: string; name: string } | undefined;
  /** What IAM is asked about a call (its resource ARN, its service's condition keys); `*` and none when absent. */
  access?: (ctx: RequestContext, input: Record<string, unknown>, deps: D) => AccessRequest | Promise<AccessRequest>;
  deps: D;
}

export function isReadOnly(name: string, op?: { readOnly?: boolean }): boolean {
  return op?.readOnly ?? /^(Describe|Get|List|Search|Lookup)/.test(name);
}

/** One operation of a query-protocol service: its parameters as sent (no shape yet), its Result members. */
export interface QueryOperation<D> {
  handler: (ctx: RequestContext, params: Record<string, string>, deps: D) => Promise<Record<string, unknown> | undefined>;
  readOnly?: boolean;
  /** Needs no permission (STS GetCallerIdentity: "No permissions are required to perform this operation"), or decides it itself. */
  unauthorized?: boolean;
  /** The output as CloudTrail records it, when that differs from the answer (issued secrets left out). */
  eventOutput?: (out: Record<string, unknown> | undefined) => unknown;
}

/** An AWS query-protocol service (STS, IAM) as the query router sees it. */
export interface QueryService<D = unknown> {
  /** The SigV4 signing name it answers for (`sts`). */
  signingName: string;
  /** The API version (`2011-06-15`) and the XML namespace of its answers. */
  version: string;
  xmlns: string;
  eventSource: string;
  /** A global service's events are recorded in one region whatever the client signed for (IAM: us-east-1). */
  eventRegion?: string;
  operations: Record<string, QueryOperation<D>>;
  /** What IAM is asked about a call; `*` and no keys when absent. */
  access?: (ctx: RequestContext, params: Record<string, string>, deps: D) => AccessRequest | Promise<AccessRequest>;
  deps: D;
}
