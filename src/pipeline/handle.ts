import { resolveAccessKey } from '../auth/credentials.js';
import { parseSigV4, verifySigV4, type IncomingSigned } from '../auth/sigv4.js';
import type { Clock } from '../kernel/clock.js';
import {
  InternalFailure, InvalidSignatureException, MissingAuthenticationTokenException, ServiceError,
  UnknownOperationException, isServiceError,
} from '../kernel/errors.js';
import type { Ids } from '../kernel/ids.js';
import type { Logger } from '../kernel/logger.js';
import type { SecretBox } from '../kernel/secret-box.js';
import { JSON11, encodeJson, errorBody, parseJsonBody } from '../protocol/json11.js';
import { decodeInput } from '../protocol/validate.js';
import type { Store } from '../storage/ports.js';
import type { RequestContext } from './context.js';
import type { JsonService } from './service.js';

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
  services: JsonService<any>[];
}

const header = (h: RawRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The request flow for AWS JSON 1.1 services, in order: route by X-Amz-Target, authenticate
 * (SigV4), decode and validate the input, run the handler, encode. Every failure becomes an
 * AWS-shaped error; anything unexpected becomes InternalFailure with its detail in the log only.
 */
export function createPipeline(d: PipelineDeps) {
  const byPrefix = new Map(d.services.map((s) => [s.targetPrefix, s]));

  return async function handle(req: RawRequest): Promise<RawResponse> {
    const requestId = d.ids.uuid();
    const now = d.clock.now();
    const base = { 'x-amzn-RequestId': requestId, 'Content-Type': JSON11 };
    let operation = '';
    try {
      const target = header(req.headers, 'x-amz-target');
      const dot = target?.lastIndexOf('.') ?? -1;
      const service = target && dot > 0 ? byPrefix.get(target.slice(0, dot)) : undefined;
      operation = target && dot > 0 ? target.slice(dot + 1) : '';

      // Authenticate first, as AWS does: an unsigned probe learns nothing about operations.
      const claim = parseSigV4(req, now);
      const { secret, principal } = await resolveAccessKey(d.store, d.box, claim.accessKeyId);
      if (service && claim.service !== service.signingName)
        throw InvalidSignatureException(`Credential should be scoped to correct service: '${service.signingName}'. `);
      await verifySigV4(req, claim, secret);

      if (req.method !== 'POST' || !service) throw UnknownOperationException(target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
      const op = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
      if (!op) {
        if (service.notYetImplemented.includes(operation))
          throw UnknownOperationException(`Operation ${operation} is not implemented by certtrail yet.`);
        throw UnknownOperationException(`Unknown operation ${target}`);
      }

      const body = parseJsonBody(header(req.headers, 'content-type'), req.body);
      const input = decodeInput(op.input, body);
      const ctx: RequestContext = {
        requestId,
        now,
        sourceIp: req.sourceIp,
        userAgent: (header(req.headers, 'user-agent') ?? '').slice(0, 1024),
        tls: req.tls,
        service: service.signingName,
        operation,
        region: claim.region,
        principal,
      };
      const out = await op.handler(ctx, input, service.deps);
      return { status: 200, headers: base, body: encodeJson(out) };
    } catch (e) {
      const err = toServiceError(e, d.logger, requestId, operation);
      return { status: err.status, headers: { ...base, 'x-amzn-ErrorType': err.code }, body: errorBody(err) };
    }
  };
}

export function toServiceError(e: unknown, logger: Logger, requestId: string, operation: string): ServiceError {
  if (isServiceError(e)) return e;
  // The detail (which may quote user input) stays in the server log; the client sees only the id.
  logger.error('internal failure', { requestId, operation, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  return InternalFailure(`An internal error occurred. Request ID: ${requestId}`);
}

export { MissingAuthenticationTokenException };
