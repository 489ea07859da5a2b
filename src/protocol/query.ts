/**
 * The AWS query protocol (STS, IAM): `Action=…&Version=…&Param=…` as a form-encoded POST body or
 * a GET query string; answers in XML, `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Action}Response>`, errors as
 * `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`
 * (the shapes in the STS API reference's GetCallerIdentity examples).
 *
 * The common errors are the query protocol's own names for what JSON services call
 * UnrecognizedClientException, InvalidSignatureException, … (the "Common Errors" page of the
 * query APIs: InvalidClientTokenId 403, MissingAuthenticationToken 403, IncompleteSignature 400,
 * InvalidAction 400, MissingAction 400). STS reports every signature problem, expiry and scope
 * included, as SignatureDoesNotMatch 403 (aws/aws-cli#6676: "SignatureDoesNotMatch … Signature
 * expired: …"; hashicorp/terraform-provider-aws#35860: "SignatureDoesNotMatch: Credential should
 * be scoped to a valid region."), and an unknown Action as InvalidAction "Could not find operation
 * <Action> for version <Version>" (aws/aws-cli#37).
 */
import { ServiceError } from '../kernel/errors.js';

export const FORM_URLENCODED = 'application/x-www-form-urlencoded';
export const QUERY_XML = 'text/xml';

export interface QueryRequest {
  action?: string;
  version?: string;
  /** Every other parameter, by name as sent (`Tags.member.1.Key`); the SigV4 X-Amz-* ones left out. */
  params: Record<string, string>;
}

/** Form or query-string text into Action, Version and parameters; `+` is a space here (form encoding). */
export function decodeQuery(text: string): QueryRequest {
  const params: Record<string, string> = Object.create(null);
  let action: string | undefined;
  let version: string | undefined;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = formDecode(eq < 0 ? part : part.slice(0, eq));
    const value = formDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (key === 'Action') action ??= value;
    else if (key === 'Version') version ??= value;
    // Presigned-URL authentication is SigV4's business, not the operation's.
    else if (!/^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/.test(key)) params[key] ??= value;
  }
  return { action, version, params };
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw MalformedQueryString('The query string contains a syntax error.');
  }
}

/** Whether a content type is the form encoding (parameters such as `; charset=utf-8` allowed). */
export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === FORM_URLENCODED;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** A result's members as XML elements, in the order given; nested objects become nested elements, lists `<member>`s. */
function members(value: Record<string, unknown>): string {
  let s = '';
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    s += `<${k}>${element(v)}</${k}>`;
  }
  return s;
}

function element(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => `<member>${element(x)}</member>`).join('');
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && v !== null) return members(v as Record<string, unknown>);
  return xmlEscape(String(v));
}

/** A successful answer; `result` undefined for an operation without output (no Result element). */
export function encodeQueryResponse(action: string, xmlns: string, result: Record<string, unknown> | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${members(result)}</${action}Result>`;
  return `<${action}Response xmlns="${xmlEscape(xmlns)}">${body}<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata></${action}Response>\n`;
}

export function encodeQueryError(xmlns: string, err: ServiceError, requestId: string): string {
  const type = err.fault === 'server' ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${xmlEscape(xmlns)}"><Error><Type>${type}</Type><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${xmlEscape(requestId)}</RequestId></ErrorResponse>\n`;
}

const make = (code: string, status: number) => (message: string) => new ServiceError(code, message, status);

export const InvalidAction = make('InvalidAction', 400);
export const MissingAction = make('MissingAction', 400);
export const MalformedQueryString = make('MalformedQueryString', 404);
export const InvalidClientTokenId = make('InvalidClientTokenId', 403);
export const ExpiredToken = make('ExpiredToken', 403);
export const SignatureDoesNotMatch = make('SignatureDoesNotMatch', 403);
export const IncompleteSignature = make('IncompleteSignature', 400);
export const MissingAuthenticationToken = make('MissingAuthenticationToken', 403);

/**
 * The query protocol's error for one raised in the JSON dialect by the shared steps (SigV4,
 * credentials). The signature mismatch keeps only its first sentence block: STS does not quote
 * the canonical request back the way JSON services do.
 */
export function toQueryError(e: ServiceError): ServiceError {
  switch (e.code) {
    case 'UnrecognizedClientException':
      return InvalidClientTokenId(e.message);
    case 'InvalidSignatureException': {
      const cut = e.message.indexOf('\n\nThe Canonical String');
      return SignatureDoesNotMatch(cut >= 0 ? e.message.slice(0, cut) : e.message);
    }
    case 'IncompleteSignatureException':
      return IncompleteSignature(e.message);
    case 'MissingAuthenticationTokenException':
      return MissingAuthenticationToken(e.message);
    case 'UnknownOperationException':
      return InvalidAction(e.message);
    case 'ExpiredTokenException':
      return ExpiredToken(e.message);
    default:
      return e;
  }
}

/** Parameters AWS's records show as numbers (STS/IAM API references: integer members). */
const NUMERIC = new Set(['DurationSeconds', 'MaxItems', 'MaxSessionDuration']);

/**
 * Query parameters as the structure they encode, the way CloudTrail's requestParameters show
 * them: `Tags.member.1.Key=k&Tags.member.1.Value=v` becomes `Tags: [{Key: k, Value: v}]`,
 * `TagKeys.member.1=k` becomes `TagKeys: [k]`, integer members become numbers.
 */
export function structuredParams(params: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(params)) {
    const path = key.split('.');
    let node: Record<string, unknown> | unknown[] = out;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      const value = NUMERIC.has(seg) && /^\d+$/.test(raw) ? Number(raw) : raw;
      // `member.N`: the next step is into element N-1 of a list.
      if (path[i + 1] === 'member' && /^\d+$/.test(path[i + 2] ?? '')) {
        const list = ((node as Record<string, unknown>)[seg] ??= []) as unknown[];
        const idx = Number(path[i + 2]) - 1;
        if (i + 2 === path.length - 1) {
          list[idx] = raw;
          break;
        }
        node = (list[idx] ??= {}) as Record<string, unknown>;
        i += 2;
        continue;
      }
      if (last) (node as Record<string, unknown>)[seg] = value;
      else node = ((node as Record<string, unknown>)[seg] ??= {}) as Record<string, unknown>;
    }
  }
  // Lists with gaps (member.2 without member.1) keep only what was sent.
  for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = v.filter((x) => x !== undefined);
  return out;
}
