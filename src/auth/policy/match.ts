import { BlockList, isIP } from 'node:net';
import type { ContextValues } from './types.js';

/**
 * The regular expression body of an IAM wildcard pattern: `*` any run of characters, `?` any
 * one, `${*}`/`${?}`/`${$}` (marked by substitute) the literal character, the rest literal. With
 * `arnSegments`, wildcards before the fifth colon stay within their segment unless a `*` ends one
 * (IAM User Guide, "IAM JSON policy elements: Resource").
 */
export function globBody(pattern: string, arnSegments = false): string {
  let body = '';
  let colons = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const inSegment = arnSegments && colons < 5;
    if (ch === '\u0000' && i + 1 < pattern.length) body += '\\' + pattern[++i];
    else if (ch === '*') body += inSegment && pattern[i + 1] !== ':' && i + 1 !== pattern.length ? '[^:]*' : '[\\s\\S]*';
    else if (ch === '?') body += inSegment ? '[^:]' : '[\\s\\S]';
    else {
      if (ch === ':') colons++;
      body += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return body;
}

const compiled = new Map<string, RegExp>();

function compile(pattern: string, mode: 'plain' | 'nocase' | 'resource'): RegExp {
  const k = mode + '\u0001' + pattern;
  let re = compiled.get(k);
  if (!re) {
    re = new RegExp(`^${globBody(pattern, mode === 'resource')}$`, mode === 'nocase' ? 'i' : '');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(k, re);
  }
  return re;
}

/** A string-condition or ARN-segment pattern against a value, compiled once per pattern. */
export function patternMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return compile(pattern, ignoreCase ? 'nocase' : 'plain').test(value);
}

/** A Resource / NotResource pattern against an ARN (wildcards per segment, see globBody). */
export function resourceMatch(pattern: string, arn: string): boolean {
  return compile(pattern, 'resource').test(arn);
}

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
 * `${*}`, `${?}`, `${$}`), replaced from the request's context. A variable whose key the request
 * lacks, with no default, leaves nothing to match: undefined.
 */
export function substitute(text: string, context: ContextValues): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    const spec = inner.trim();
    if (spec === '*' || spec === '?' || spec === '$') return `\u0000${spec}`;
    const m = /^([^,\s]+)\s*(?:,\s*'([^']*)')?$/.exec(spec);
    if (!m) {
      missing = true;
      return '';
    }
    const v = context[m[1]!.toLowerCase()];
    if (typeof v === 'string') return v;
    if (m[2] !== undefined) return m[2];
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}

/** Removes the escape marks for exact comparisons. */
export const literal = (s: string) => s.replace(/\u0000/g, '');

/** ARN operators compare the six colon-separated parts one by one, each with wildcards. */
export function arnMatch(pattern: string, value: string): boolean {
  const split = (s: string) => {
    const parts = s.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const v = split(value);
  if (!p || !v) return false;
  return p.every((x, i) => patternMatch(x, v[i]!));
}

/** IpAddress: a CIDR block or a single address, IPv4 or IPv6 (node:net's BlockList does the arithmetic). */
const blocks = new Map<string, BlockList | null>();

/** A CIDR (or single address) as a BlockList, built once; null when it is not one. */
function blockOf(cidr: string): BlockList | null {
  let b = blocks.get(cidr);
  if (b !== undefined) return b;
  const [addr, bits] = cidr.split('/');
  const cidrFamily = isIP(addr ?? '');
  const prefix = bits === undefined ? (cidrFamily === 4 ? 32 : 128) : Number(bits);
  if (!cidrFamily || !Number.isInteger(prefix) || prefix < 0 || prefix > (cidrFamily === 4 ? 32 : 128)) b = null;
  else {
    b = new BlockList();
    b.addSubnet(addr!, prefix, cidrFamily === 4 ? 'ipv4' : 'ipv6');
  }
  if (blocks.size > 10_000) blocks.clear();
  blocks.set(cidr, b);
  return b;
}

export function ipMatch(cidr: string, ip: string): boolean {
  const family = isIP(ip);
  const b = family ? blockOf(cidr) : null;
  return !!b && b.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Dates in conditions: ISO 8601 or epoch seconds. */
export function parseDate(s: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function parseNumber(s: string): number | undefined {
  if (!/^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
}
