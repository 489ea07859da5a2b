import { BlockList, isIP } from 'node:net';
import type { ContextValues } from './types.js';

const globs = new Map<string, RegExp>();

/** `*` any run of characters, `?` any one; the rest literal. Compiled once per pattern. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const k = (ignoreCase ? 'i' : 's') + pattern;
  let re = globs.get(k);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
    re = new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
    if (globs.size > 10_000) globs.clear();
    globs.set(k, re);
  }
  return re.test(value);
}

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
 * `${*}`, `${?}`, `${$}`), replaced from the request's context. A variable whose key the request
 * lacks, with no default, leaves nothing to match: undefined.
 */
export function substitute(text: string, context: ContextValues, literalEscape = true): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    const spec = inner.trim();
    if (spec === '*' || spec === '?' || spec === '$') return literalEscape ? `\u0000${spec}` : spec;
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

/** A glob match where `${*}` / `${?}` (marked by substitute) stand for the literal characters. */
export function patternMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes('\u0000')) return globMatch(pattern, value, ignoreCase);
  const parts = pattern.split(/\u0000([*?$])/);
  // Rebuild: literal escapes become regex-escaped characters, the rest keeps its wildcards.
  let body = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i % 2 === 1) body += '\\' + p;
    else body += p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  }
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '').test(value);
}

const resourceRes = new Map<string, RegExp>();

/**
 * A Resource / NotResource pattern against an ARN: wildcards stay within their colon-separated
 * segment, except a `*` that ends a segment, which may run on past colons; after the fifth colon
 * (the resource part) they match anything (IAM User Guide, "IAM JSON policy elements: Resource").
 */
export function resourceMatch(pattern: string, arn: string): boolean {
  let re = resourceRes.get(pattern);
  if (!re) {
    let body = '';
    let colons = 0;
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      const inArnPrefix = colons < 5;
      if (ch === '\u0000' && i + 1 < pattern.length) body += '\\' + pattern[++i];
      else if (ch === '*') body += !inArnPrefix || pattern[i + 1] === ':' || i + 1 === pattern.length ? '[\\s\\S]*' : '[^:]*';
      else if (ch === '?') body += inArnPrefix ? '[^:]' : '[\\s\\S]';
      else {
        if (ch === ':') colons++;
        body += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
    }
    re = new RegExp(`^${body}$`);
    if (resourceRes.size > 10_000) resourceRes.clear();
    resourceRes.set(pattern, re);
  }
  return re.test(arn);
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
