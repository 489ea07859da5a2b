import { SerializationException, ValidationException, ServiceError } from '../kernel/errors.js';
import type { Shape } from './shape.js';

/**
 * Decodes a parsed JSON body against an input shape: blobs are base64-decoded to Buffers,
 * timestamps become Dates, unknown members are dropped. Type mismatches are
 * SerializationException (the body could not be read as the shape); constraint failures are
 * collected and reported in one ValidationException in Coral's wording:
 * "2 validation errors detected: Value 'x' at 'a.b' failed to satisfy constraint: Member must …; …"
 */
export function decodeInput(shape: Shape, body: unknown): Record<string, unknown> {
  const problems: string[] = [];
  const out = decode(shape, body, '', problems);
  if (problems.length) {
    const n = problems.length;
    throw ValidationException(`${n} validation error${n > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
  return (out ?? {}) as Record<string, unknown>;
}

const REDACTED = '*** Sensitive Data Redacted ***';
const regexCache = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let r = regexCache.get(pattern);
  if (!r) {
    try {
      r = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      // Java's regex syntax allows identity escapes (`\-` outside a class, EventBridge's ARN
      // patterns) that unicode mode refuses; without it they mean what Java means.
      r = new RegExp(`^(?:${pattern})$`);
    }
    regexCache.set(pattern, r);
  }
  return r;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function join(path: string, member: string): string {
  return path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);
}

/** How Coral prints a value in a constraint message (Java toString of the deserialised value). */
function show(v: unknown, sensitive = false): string {
  if (v === null || v === undefined) return 'null';
  // AWS quotes offending values; we do too, except anything carrying a PEM private key that a
  // client pasted into the wrong member: keys never appear in error messages.
  if (sensitive || (typeof v === 'string' && /PRIVATE KEY/i.test(v))) return `'${REDACTED}'`;
  if (Buffer.isBuffer(v)) return `'java.nio.HeapByteBuffer[pos=0 lim=${v.length} cap=${v.length}]'`;
  if (Array.isArray(v)) return `'[${v.map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? objectString(x) : scalar(x))).join(', ')}]'`;
  if (typeof v === 'object') return `'${objectString(v as Record<string, unknown>)}'`;
  return `'${scalar(v)}'`;
}

function objectString(o: Record<string, unknown>): string {
  return `{${Object.entries(o).map(([k, v]) => `${lowerFirst(k)}: ${scalar(v)}`).join(', ')}}`;
}

/** Never calls a client-supplied toString: a member named `toString` must not break the message. */
function scalar(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  return JSON.stringify(v) ?? '';
}

function typeError(path: string, expected: string): ServiceError {
  return SerializationException(
    path ? `Unable to parse member '${path}' as ${expected}` : `Unable to parse request body as ${expected}`,
  );
}

/** Recursive shapes (SearchCertificates' FilterStatement) would otherwise let a body exhaust the stack. */
const MAX_DEPTH = 64;

function decode(shape: Shape, v: unknown, path: string, problems: string[], depth = 0): unknown {
  if (depth > MAX_DEPTH) throw SerializationException(`The request is nested more than ${MAX_DEPTH} levels deep.`);
  if (shape.type === 'lazy') return decode(shape.get(), v, path, problems, depth);
  if (v === null || v === undefined) return undefined;
  switch (shape.type) {
    case 'string': {
      if (typeof v !== 'string') throw typeError(path, 'string');
      const len = [...v].length;
      if (shape.enum && !shape.enum.includes(v)) {
        problems.push(`Value ${show(v, shape.sensitive)} at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        return v;
      }
      if (shape.min !== undefined && len < shape.min)
        problems.push(`Value ${show(v, shape.sensitive)} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && len > shape.max)
        problems.push(`Value ${show(v, shape.sensitive)} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
      if (shape.pattern !== undefined && !fullMatch(shape.pattern).test(v))
        problems.push(`Value ${show(v, shape.sensitive)} at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`);
      return v;
    }
    case 'integer': {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(path, 'integer');
      const n = Math.trunc(v);
      if (shape.min !== undefined && n < shape.min)
        problems.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max)
        problems.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`);
      return n;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw typeError(path, 'boolean');
      return v;
    case 'timestamp': {
      const d = typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime())) throw typeError(path, 'timestamp');
      return d;
    }
    case 'blob': {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v.replace(/[\r\n]/g, '')) || v.replace(/[\r\n]/g, '').length % 4 === 1)
        throw typeError(path, 'blob (base64)');
      const b = Buffer.from(v, 'base64');
      if (shape.min !== undefined && b.length < shape.min)
        problems.push(`Value ${show(b, shape.sensitive)} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && b.length > shape.max)
        problems.push(`Value ${show(b, shape.sensitive)} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
      return b;
    }
    case 'list': {
      if (!Array.isArray(v)) throw typeError(path, 'list');
      if (shape.min !== undefined && v.length < shape.min)
        problems.push(`Value ${show(v)} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && v.length > shape.max)
        problems.push(`Value ${show(v)} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
      return v.map((item, i) => {
        const p = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) {
          problems.push(`Value null at '${p}' failed to satisfy constraint: Member must not be null`);
          return undefined;
        }
        return decode(shape.member, item, p, problems, depth + 1);
      });
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v) || Buffer.isBuffer(v)) throw typeError(path, 'map');
      const entries = Object.entries(v as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        problems.push(`Value ${show(v)} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max)
        problems.push(`Value ${show(v)} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
      const out: Record<string, unknown> = {};
      for (const [k, x] of entries) {
        // Coral reports a key's constraints as one "Map keys must satisfy constraint: [...]".
        const keyProblems: string[] = [];
        decode(shape.key, k, path, keyProblems, depth + 1);
        if (keyProblems.length)
          problems.push(`Value ${show(v)} at '${path}' failed to satisfy constraint: Map keys must satisfy constraint: [${keyProblems.map((p) => p.replace(/^.*failed to satisfy constraint: /, '')).join(', ')}]`);
        if (x === null || x === undefined) continue;
        const value = decode(shape.value, x, `${path}.${k}`, problems, depth + 1);
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
    case 'structure':
    case 'union': {
      if (typeof v !== 'object' || Array.isArray(v) || Buffer.isBuffer(v)) throw typeError(path, 'structure');
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        if (!Object.hasOwn(src, name)) continue;
        const value = decode(member, src[name], join(path, name), problems, depth + 1);
        if (value !== undefined) out[name] = value;
      }
      if (shape.type === 'structure') {
        for (const name of shape.required ?? []) {
          if (src[name] === null || src[name] === undefined)
            problems.push(`Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`);
        }
      } else if (Object.keys(out).length !== 1) {
        problems.push(`Value ${show(src)} at '${path}' failed to satisfy constraint: Member must have exactly one member set`);
      }
      return out;
    }
  }
}

/**
 * A best-effort reading of a body that failed validation, for the failed call's CloudTrail
 * event: known members only, blobs base64-decoded (so the masks apply to them as to valid
 * input), no type checks, depth-limited. Never throws.
 */
export function looseDecode(shape: Shape, v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || v === null || v === undefined) return undefined;
  if (shape.type === 'lazy') return looseDecode(shape.get(), v, depth);
  switch (shape.type) {
    case 'blob':
      return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
    case 'list':
      return Array.isArray(v) ? v.map((x) => looseDecode(shape.member, x, depth + 1)) : undefined;
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const y = looseDecode(shape.value, x, depth + 1);
        if (y !== undefined) out[k] = y;
      }
      return out;
    }
    case 'structure':
    case 'union': {
      if (typeof v !== 'object' || Array.isArray(v)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        if (!Object.hasOwn(v, name)) continue;
        const x = looseDecode(member, (v as Record<string, unknown>)[name], depth + 1);
        if (x !== undefined) out[name] = x;
      }
      return out;
    }
    default:
      return typeof v === 'object' ? undefined : v;
  }
}
