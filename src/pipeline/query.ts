import { toEventRecord } from '../audit/event.js';
import { CredentialCache } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { parseSigV4, verifySigV4 } from '../auth/sigv4.js';
import { type ServiceError } from '../kernel/errors.js';
import { timeOrderedUuid } from '../kernel/ids.js';
import { truncateUtf8 } from '../kernel/text.js';
import {
  InvalidAction, MissingAction, QUERY_XML, decodeQuery, encodeQueryError, encodeQueryResponse, structuredParams, toQueryError, type QueryRequest,
} from '../protocol/query.js';
import type { RequestContext } from './context.js';
import { toServiceError, type CallSummary, type PipelineDeps, type RawRequest, type RawResponse } from './handle.js';
import { isReadOnly, type QueryService } from './service.js';

export interface QueryPipelineDeps extends Omit<PipelineDeps, 'services'> {
  services: QueryService<any>[];
}

/** STS's namespace answers a call signed for a service certtrail does not serve (yet) over the query protocol. */
const FALLBACK_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const header = (h: RawRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The request flow for AWS query-protocol services (STS now, IAM later), the JSON pipeline's
 * steps in the same order: authenticate (SigV4, the same verifier and credentials), pick the
 * operation by the scope's service and `Action`, run the handler, record the CloudTrail event
 * through the same builder and writer, encode XML. The event is committed before the answer.
 */
export function createQueryPipeline(d: QueryPipelineDeps) {
  const bySigningName = new Map(d.services.map((s) => [s.signingName, s] as const));
  const credentials = d.credentials ?? new CredentialCache(d.store, d.box, () => d.clock.now().getTime());

  return async function handleQuery(req: RawRequest): Promise<RawResponse> {
    const requestId = d.ids.uuid();
    const now = d.clock.now();
    const userAgent = truncateUtf8(header(req.headers, 'user-agent') ?? '', 1024);
    let service: QueryService<any> | undefined;
    let principal: Principal | undefined;
    let region = '';
    let q: QueryRequest = { params: {} };
    let known = false;

    const event = (result: Record<string, unknown> | undefined, error?: ServiceError) => {
      const eventTime = d.clock.now();
      const op = service!.operations[q.action!];
      const output = op?.eventOutput ? op.eventOutput(result) : result;
      return toEventRecord(
        {
          requestId, eventId: timeOrderedUuid(d.ids, eventTime), eventTime,
          eventSource: service!.eventSource, eventName: q.action!, region: service!.eventRegion ?? region, sourceIp: req.sourceIp, userAgent,
          principal: principal!, readOnly: isReadOnly(q.action!, op), input: structuredParams(q.params), output, error,
        },
        d.eventProfile,
      );
    };

    // Only an action the service lists is named (see CallSummary).
    const summary = (): CallSummary => ({ requestId, service: service?.signingName ?? 'unknown', operation: known ? q.action! : 'Unknown' });

    try {
      // A GET carries its parameters in the query string; a POST in its form body.
      q = decodeQuery(req.method.toUpperCase() === 'GET' ? req.query : req.body.toString('utf8'));
      const claim = parseSigV4(req, now);
      service = bySigningName.get(claim.service);
      known = Boolean(service && q.action && Object.hasOwn(service.operations, q.action));
      const resolved = credentials.cached(claim.accessKeyId, claim.securityToken) ?? (await credentials.resolve(claim.accessKeyId, claim.securityToken));
      principal = resolved.principal;
      region = claim.region;
      await verifySigV4(req, claim, resolved.secret);

      if (!q.action) throw MissingAction('Missing Action');
      const version = q.version ?? service?.version;
      if (!service || !known || version !== service.version)
        throw InvalidAction(`Could not find operation ${q.action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
      const ctx: RequestContext = {
        requestId, now, sourceIp: req.sourceIp, userAgent, tls: req.tls,
        service: service.signingName, operation: q.action, region, principal,
      };
      const op = service.operations[q.action];
      if (d.authorizer && principal.type !== 'Root' && !op.unauthorized) {
        const access = service.access ? await service.access(ctx, q.params, service.deps) : { resource: '*', context: {} };
        await d.authorizer.check(ctx, `${service.signingName}:${q.action}`, access, 'AccessDenied');
      }
      const out = await op.handler(ctx, q.params, service.deps);
      await d.events.append(event(out));
      // A change to IAM changes who may call and what they may do: keys and policies are read afresh.
      if (service.signingName === 'iam' && !isReadOnly(q.action, op)) {
        d.authorizer?.invalidate();
        credentials.clear();
      }
      return { status: 200, headers: { 'x-amzn-RequestId': requestId, 'Content-Type': QUERY_XML }, body: encodeQueryResponse(q.action, service.xmlns, out, requestId), call: summary() };
    } catch (e) {
      let err = toQueryError(toServiceError(e, d.logger, requestId, q.action ?? ''));
      if (principal && service && known) {
        try {
          await d.events.append(event(undefined, err));
        } catch (writeErr) {
          err = toServiceError(writeErr, d.logger, requestId, q.action ?? '');
        }
      }
      const xmlns = service?.xmlns ?? FALLBACK_XMLNS;
      return { status: err.status, headers: { 'x-amzn-RequestId': requestId, 'Content-Type': QUERY_XML }, body: encodeQueryError(xmlns, err, requestId), call: summary() };
    }
  };
}
