import { toEventRecord, type CallFacts } from '../audit/event.js';
import type { EventProfile } from '../audit/masks.js';
import type { EventWriter } from '../audit/writer.js';
import type { Authorizer } from '../auth/authorizer.js';
import { CredentialCache } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { parseSigV4, verifySigV4, type IncomingSigned } from '../auth/sigv4.js';
import type { Clock } from '../kernel/clock.js';
import { InternalFailure, InvalidSignatureException, ServiceError, UnknownOperationException, isServiceError } from '../kernel/errors.js';
import { timeOrderedUuid, type Ids } from '../kernel/ids.js';
import { truncateUtf8 } from '../kernel/text.js';
import type { Logger } from '../kernel/logger.js';
import type { SecretBox } from '../kernel/secret-box.js';
import { EncodedOutput, JSON11, encodeJson, errorBody, parseJsonBody } from '../protocol/json11.js';
import { decodeInput, looseDecode } from '../protocol/validate.js';
import { StoreBusy, type Repositories, type Store } from '../storage/ports.js';
import type { EventRecord } from '../storage/records.js';
import type { RequestContext } from './context.js';
import { isReadOnly, type JsonService, type Operation } from './service.js';

export interface RawRequest extends IncomingSigned {
  sourceIp: string;
  tls: boolean;
}

export interface RawResponse {
  status: number;
  /** A new object for every answer: the HTTP edge adds Content-Length to it. */
  headers: Record<string, string>;
  body: string;
  /** `body` as UTF-8 when it is at hand already (a memoised rendering): sent instead of encoding `body`. */
  bytes?: Buffer;
  call: CallSummary;
}

/**
 * An answered call as the edge's access log and metrics name it. Service and operation come from
 * the services' own tables ("unknown"/"Unknown" otherwise), never from a target as sent: a
 * client making up operation names must not mint metric series.
 */
export interface CallSummary {
  requestId: string;
  service: string;
  operation: string;
}

export interface PipelineDeps {
  clock: Clock;
  ids: Ids;
  store: Store;
  box: SecretBox;
  logger: Logger;
  events: EventWriter;
  eventProfile: EventProfile;
  services: JsonService<any>[];
  /** Decides each call by the caller's IAM policies; absent, every authenticated call is allowed. */
  authorizer?: Authorizer;
  /** Access keys as resolved lately, shared by every pipeline so one IAM change clears them all. */
  credentials?: CredentialCache;
}

const header = (h: RawRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The request flow for AWS JSON 1.1 services, in order: route by X-Amz-Target, authenticate
 * (SigV4), decode and validate the input, run the handler, record the CloudTrail event, encode.
 * A call that changes state commits its event in the same transaction; any other call's event
 * is committed before the response is sent. No event, no success (fail closed).
 */
export function createPipeline(d: PipelineDeps) {
  const byPrefix = new Map(d.services.flatMap((s) => [s.targetPrefix, ...(s.targetPrefixes ?? [])].map((p) => [p, s] as const)));
  const credentials = d.credentials ?? new CredentialCache(d.store, d.box, () => d.clock.now().getTime());

  return async function handle(req: RawRequest): Promise<RawResponse> {
    const requestId = d.ids.uuid();
    const now = d.clock.now();
    // What the event needs, filled in as the call goes (per-call state in one object rather than
    // closures: this runs for every request).
    const call = new Call(d, req, requestId);

    try {
      const target = header(req.headers, 'x-amz-target');
      const dot = target?.lastIndexOf('.') ?? -1;
      const service = target && dot > 0 ? byPrefix.get(target.slice(0, dot)) : undefined;
      const operation = target && dot > 0 ? target.slice(dot + 1) : '';
      call.service = service;
      call.operation = operation;

      // Authenticate first, as AWS does: an unsigned probe learns nothing about operations.
      const claim = parseSigV4(req, now);
      const resolved = credentials.cached(claim.accessKeyId, claim.securityToken) ?? (await credentials.resolve(claim.accessKeyId, claim.securityToken));
      // From here the caller is known: failures are recorded (a bad signature from a known key too).
      const principal = resolved.principal;
      call.principal = principal;
      call.region = claim.region;
      if (service && claim.service !== service.signingName)
        throw InvalidSignatureException(`Credential should be scoped to correct service: '${service.signingName}'. `);
      await verifySigV4(req, claim, resolved.secret);

      if (req.method !== 'POST' || !service) throw UnknownOperationException(target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
      const op: Operation<unknown> | undefined = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
      if (!op) {
        if (service.notYetImplemented.includes(operation))
          throw UnknownOperationException(`Operation ${operation} is not implemented by certtrail yet.`);
        throw UnknownOperationException(`Unknown operation ${target}`);
      }

      const body = parseJsonBody(header(req.headers, 'content-type'), req.body);
      try {
        call.input = decodeInput(op.input, body);
      } catch (e) {
        // A body that fails validation: the event sees only a lenient, shape-directed reading of it.
        call.input = looseDecode(op.input, body) as Record<string, unknown>;
        throw e;
      }
      const ctx: RequestContext = {
        requestId, now, sourceIp: req.sourceIp, userAgent: call.userAgent,
        tls: req.tls, service: service.signingName, operation, region: claim.region, principal,
      };
      // Root needs no policy (and the hot path no lookup); everyone else is asked about.
      if (d.authorizer && principal.type !== 'Root') {
        const access = service.access ? await service.access(ctx, call.input, service.deps) : { resource: '*', context: {} };
        await d.authorizer.check(ctx, `${service.signingName}:${operation}`, access);
      }
      // The service's deps with this call's store in front (a prototype, not a copy: a spread
      // into a new literal takes V8's slow path, microseconds on every call). The handler's
      // (first) transaction also commits the call's event.
      const deps = Object.create(service.deps);
      deps.store = new CallStore(d.store, call);
      const out = await op.handler(ctx, call.input, deps);
      if (!call.recorded) await d.events.append(call.event(out));
      const headers = { 'x-amzn-RequestId': requestId, 'Content-Type': JSON11 };
      if (out instanceof EncodedOutput) return { status: 200, headers, body: out.json, bytes: out.bytes, call: call.summary() };
      return { status: 200, headers, body: encodeJson(out), call: call.summary() };
    } catch (e) {
      let err = toServiceError(e, d.logger, requestId, call.operation);
      const service = call.service;
      if (call.principal && service && !call.recorded && (Object.hasOwn(service.operations, call.operation) || service.notYetImplemented.includes(call.operation))) {
        try {
          await d.events.append(call.event(undefined, err));
        } catch (writeErr) {
          err = toServiceError(writeErr, d.logger, requestId, call.operation);
        }
      }
      return { status: err.status, headers: { 'x-amzn-RequestId': requestId, 'Content-Type': JSON11, 'x-amzn-ErrorType': err.code }, body: errorBody(err), call: call.summary() };
    }
  };
}

/** One call as its CloudTrail event will describe it. */
class Call {
  operation = '';
  service?: JsonService<any>;
  principal?: Principal;
  region = '';
  input?: Record<string, unknown>;
  /** The event went into the handler's transaction. */
  recorded = false;
  readonly userAgent: string;

  constructor(private readonly d: PipelineDeps, private readonly req: RawRequest, private readonly requestId: string) {
    this.userAgent = truncateUtf8(header(req.headers, 'user-agent') ?? '', 1024);
  }

  /** Its names for the edge's access log and metrics. */
  summary(): CallSummary {
    const s = this.service;
    const known = s !== undefined && (Object.hasOwn(s.operations, this.operation) || s.notYetImplemented.includes(this.operation));
    return { requestId: this.requestId, service: s?.signingName ?? 'unknown', operation: known ? this.operation : 'Unknown' };
  }

  /** The event of the call's outcome; a memoised rendering carries the value it was written from. */
  event(output: unknown, error?: ServiceError): EventRecord {
    const service = this.service!;
    const op = Object.hasOwn(service.operations, this.operation) ? service.operations[this.operation] : undefined;
    const value = output instanceof EncodedOutput ? output.value : output;
    const eventTime = this.d.clock.now();
    const facts: CallFacts = {
      requestId: this.requestId,
      eventId: timeOrderedUuid(this.d.ids, eventTime),
      eventTime,
      eventSource: service.eventSource,
      eventName: this.operation,
      region: this.region,
      sourceIp: this.req.sourceIp,
      userAgent: this.userAgent,
      principal: this.principal!,
      readOnly: isReadOnly(this.operation, op),
      input: this.input,
      readOnlyResponse: op?.readOnlyResponse,
      resource: error ? service.resourceOf?.(this.input, undefined) : service.resourceOf?.(this.input, value),
      output: value,
      error,
    };
    return toEventRecord(facts, this.d.eventProfile);
  }
}

/** The store as a handler sees it: its first write transaction also commits the call's event. */
class CallStore implements Store {
  constructor(private readonly store: Store, private readonly call: Call) {}

  read<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.store.read(fn);
  }

  write<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.store.write(async (tx) => {
      const out = await fn(tx);
      if (!this.call.recorded) {
        await tx.events.put(this.call.event(out));
        this.call.recorded = true;
      }
      return out;
    });
  }

  appendEvents(events: EventRecord[]): Promise<void> {
    return this.store.appendEvents(events);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export function toServiceError(e: unknown, logger: Logger, requestId: string, operation: string): ServiceError {
  if (isServiceError(e)) return e;
  // Contention the store could not resolve in time is AWS's throttle, which SDKs retry by themselves:
  // ThrottlingException is a 400 (acm.md §1), "Rate exceeded" AWS's text for it (LookupEvents' throttle, cloudtrail.md §6).
  if (e instanceof StoreBusy) {
    logger.warn('store busy', { requestId, operation, attempts: e.attempts });
    return new ServiceError('ThrottlingException', 'Rate exceeded', 400);
  }
  // The detail (which may quote user input) stays in the server log; the client sees only the id.
  logger.error('internal failure', { requestId, operation, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  return InternalFailure(`An internal error occurred. Request ID: ${requestId}`);
}

