import { toEventRecord, type CallFacts } from '../audit/event.js';
import type { EventProfile } from '../audit/masks.js';
import type { EventWriter } from '../audit/writer.js';
import { CredentialCache } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { parseSigV4, verifySigV4, type IncomingSigned } from '../auth/sigv4.js';
import type { Clock } from '../kernel/clock.js';
import { InternalFailure, InvalidSignatureException, ServiceError, UnknownOperationException, isServiceError } from '../kernel/errors.js';
import type { Ids } from '../kernel/ids.js';
import { truncateUtf8 } from '../kernel/text.js';
import type { Logger } from '../kernel/logger.js';
import type { SecretBox } from '../kernel/secret-box.js';
import { EncodedOutput, JSON11, encodeJson, errorBody, parseJsonBody } from '../protocol/json11.js';
import { decodeInput, looseDecode } from '../protocol/validate.js';
import type { Store } from '../storage/ports.js';
import type { RequestContext } from './context.js';
import { isReadOnly, type JsonService, type Operation } from './service.js';

export interface RawRequest extends IncomingSigned {
  sourceIp: string;
  tls: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
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
  const credentials = new CredentialCache(d.store, d.box, () => d.clock.now().getTime());

  return async function handle(req: RawRequest): Promise<RawResponse> {
    const requestId = d.ids.uuid();
    const now = d.clock.now();
    let operation = '';
    let service: JsonService<any> | undefined;
    let principal: Principal | undefined;
    let region = '';
    let input: Record<string, unknown> | undefined;
    let recorded = false;
    let ua: string | undefined;
    const userAgent = () => (ua ??= truncateUtf8(header(req.headers, 'user-agent') ?? '', 1024));

    const facts = (outcome: { output?: unknown; error?: ServiceError }): CallFacts => {
      const op = Object.hasOwn(service!.operations, operation) ? service!.operations[operation] : undefined;
      return {
        requestId,
        eventId: d.ids.uuid(),
        eventTime: d.clock.now(),
        eventSource: service!.eventSource,
        eventName: operation,
        region,
        sourceIp: req.sourceIp,
        userAgent: userAgent(),
        principal: principal!,
        readOnly: isReadOnly(operation, op),
        input,
        readOnlyResponse: op?.readOnlyResponse,
        resource: outcome.error ? service!.resourceOf?.(input, undefined) : service!.resourceOf?.(input, outcome.output),
        output: outcome.output,
        error: outcome.error,
      };
    };

    try {
      const target = header(req.headers, 'x-amz-target');
      const dot = target?.lastIndexOf('.') ?? -1;
      service = target && dot > 0 ? byPrefix.get(target.slice(0, dot)) : undefined;
      operation = target && dot > 0 ? target.slice(dot + 1) : '';

      // Authenticate first, as AWS does: an unsigned probe learns nothing about operations.
      const claim = parseSigV4(req, now);
      const resolved = credentials.cached(claim.accessKeyId) ?? (await credentials.resolve(claim.accessKeyId));
      // From here the caller is known: failures are recorded (a bad signature from a known key too).
      principal = resolved.principal;
      region = claim.region;
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
        input = decodeInput(op.input, body);
      } catch (e) {
        // A body that fails validation: the event sees only a lenient, shape-directed reading of it.
        input = looseDecode(op.input, body) as Record<string, unknown>;
        throw e;
      }
      const ctx: RequestContext = {
        requestId, now, sourceIp: req.sourceIp, userAgent: userAgent(),
        tls: req.tls, service: service.signingName, operation, region, principal,
      };
      // The handler's (first) transaction also commits the call's event.
      const store: Store = {
        read: (fn) => d.store.read(fn),
        close: () => d.store.close(),
        appendEvents: (events) => d.store.appendEvents(events),
        write: (fn) =>
          d.store.write(async (tx) => {
            const out = await fn(tx);
            if (!recorded) {
              await tx.events.put(toEventRecord(facts({ output: out instanceof EncodedOutput ? out.value : out }), d.eventProfile));
              recorded = true;
            }
            return out;
          }),
      };
      // The service's deps with this call's store in front (a prototype, not a copy: a spread
      // into a new literal takes V8's slow path, microseconds on every call).
      const deps = Object.create(service.deps);
      deps.store = store;
      const out = await op.handler(ctx, input, deps);
      // A memoised rendering carries the value it was written from, which the event is built from.
      if (!recorded) await d.events.append(toEventRecord(facts({ output: out instanceof EncodedOutput ? out.value : out }), d.eventProfile));
      return { status: 200, headers: { 'x-amzn-RequestId': requestId, 'Content-Type': JSON11 }, body: encodeJson(out) };
    } catch (e) {
      let err = toServiceError(e, d.logger, requestId, operation);
      if (principal && service && !recorded && (Object.hasOwn(service.operations, operation) || service.notYetImplemented.includes(operation))) {
        try {
          await d.events.append(toEventRecord(facts({ error: err }), d.eventProfile));
        } catch (writeErr) {
          err = toServiceError(writeErr, d.logger, requestId, operation);
        }
      }
      return { status: err.status, headers: { 'x-amzn-RequestId': requestId, 'Content-Type': JSON11, 'x-amzn-ErrorType': err.code }, body: errorBody(err) };
    }
  };
}

export function toServiceError(e: unknown, logger: Logger, requestId: string, operation: string): ServiceError {
  if (isServiceError(e)) return e;
  // The detail (which may quote user input) stays in the server log; the client sees only the id.
  logger.error('internal failure', { requestId, operation, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  return InternalFailure(`An internal error occurred. Request ID: ${requestId}`);
}

