import { SerializationException, type ServiceError } from '../kernel/errors.js';

export const JSON11 = 'application/x-amz-json-1.1';
const ACCEPTED = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

/** Parses a JSON 1.1 request body. An empty body means an empty input structure. */
export function parseJsonBody(contentType: string | undefined, body: Buffer): unknown {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!ACCEPTED.has(ct)) throw SerializationException(`Unsupported Content-Type: '${contentType ?? ''}'. Expected '${JSON11}'.`);
  if (body.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw SerializationException('Unable to parse request body as JSON.');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw SerializationException('Start of structure or map found where not expected.');
  return v;
}

/**
 * A handler's output already written as AWS JSON (a memoised rendering, see services/acm/render.ts),
 * with the value it was written from, which the CloudTrail event and the resource are taken from.
 * `json` must be exactly `encodeJson(value)`.
 */
export class EncodedOutput {
  private utf8?: Buffer;

  constructor(readonly value: unknown, readonly json: string) {}

  /** `json` as UTF-8, made once: a memoised output is written to many sockets. */
  get bytes(): Buffer {
    return (this.utf8 ??= Buffer.from(this.json, 'utf8'));
  }
}

/** AWS JSON: timestamps are epoch seconds (fractional), undefined members are left out. */
export function encodeJson(value: unknown): string {
  if (value instanceof EncodedOutput) return value.json;
  return JSON.stringify(wire(value ?? {}));
}

/** A copy with Dates as epoch seconds; a plain walk is much cheaper than a stringify replacer. */
function wire(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(wire);
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = wire(x);
  }
  return out;
}

export function errorBody(e: ServiceError): string {
  return JSON.stringify({ __type: e.code, [e.messageMember]: e.message, ...e.extra });
}
