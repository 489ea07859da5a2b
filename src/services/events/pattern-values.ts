/**
 * Value-level pieces of EventBridge pattern matching, as aws/event-ruler defines them: numbers
 * compared to six decimal places within ±5e9 (ComparableNumber), IP addresses and CIDR blocks
 * (CIDR), wildcard expressions (WildcardParser) and equals-ignore-case folding.
 */

/** An IllegalArgumentException (or similar) in event-ruler: the reason only, no location. */
export class ValueError extends Error {
  /** ArithmeticException and the like escape event-ruler's handlers; these end compilation. */
  constructor(message: string, readonly fatal = false) {
    super(message);
  }
}

// ---------------------------------------------------------------- numbers

const FIVE_BILLION_E6 = 5_000_000_000_000_000n;
const LONG_MAX = 9_223_372_036_854_775_807n;

interface Decimal {
  negative: boolean;
  /** Significant digits, no leading zeros ("0" for zero). */
  digits: string;
  /** value = digits × 10^exp */
  exp: number;
}

/** A JSON number's text (or JavaScript's String(n)) as digits and a power of ten. */
function decimal(text: string): Decimal {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new ValueError(`Character array is missing "exponent" mark 'e' or 'E'.`);
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let digits = (int + frac).replace(/^0+/, '');
  let exp = (m[4] ? Number(m[4]) : 0) - frac.length;
  if (!digits) {
    digits = '0';
    exp = 0;
  }
  // BigDecimal.stripTrailingZeros
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  exp += digits.length - end;
  return { negative: m[1] === '-' && digits !== '0', digits: digits.slice(0, end), exp };
}

/** java.math.BigDecimal#toString of digits × 10^exp. */
function bigDecimalString(d: Decimal): string {
  const sign = d.negative ? '-' : '';
  const scale = -d.exp;
  if (scale === 0) return sign + d.digits;
  const adjusted = d.digits.length - 1 - scale;
  if (scale > 0 && adjusted >= -6) {
    const point = d.digits.length - scale;
    return sign + (point > 0 ? `${d.digits.slice(0, point)}.${d.digits.slice(point)}` : `0.${'0'.repeat(-point)}${d.digits}`);
  }
  const rest = d.digits.length > 1 ? '.' + d.digits.slice(1) : '';
  return `${sign}${d.digits[0]}${rest}E${adjusted > 0 ? '+' : ''}${adjusted}`;
}

/** java.lang.Double#toHexString. */
function doubleHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  const exponent = (hi >>> 20) & 0x7ff;
  const mantissa = ((hi & 0xfffff).toString(16).padStart(5, '0') + lo.toString(16).padStart(8, '0')).replace(/0+$/, '') || '0';
  if (exponent === 0 && mantissa === '0') return `${sign}0x0.0p0`;
  return exponent === 0 ? `${sign}0x0.${mantissa}p-1022` : `${sign}0x1.${mantissa}p${exponent - 1023}`;
}

/** BigDecimal#setScale(6, HALF_UP) as a decimal string. */
function roundedToSix(d: Decimal): string {
  const shift = d.exp + 6; // negative: digits beyond the sixth decimal
  let units = BigInt(d.digits);
  if (shift < 0) {
    const div = 10n ** BigInt(-shift);
    const q = units / div;
    units = units % div >= (div + 1n) / 2n ? q + 1n : q;
  } else units *= 10n ** BigInt(shift);
  return `${d.negative ? '-' : ''}${units}e-6`;
}

/**
 * ComparableNumber.generate for a number written in a pattern: the value in millionths, or the
 * error event-ruler raises (more than six decimals, outside ±5e9, or past a Java long).
 */
export function patternComparable(text: string): number {
  const d = decimal(text);
  if (-d.exp > 6) {
    const hex = doubleHex(Number(roundedToSix(d)));
    throw new ValueError(`Only values upto 6 decimals are supported${bigDecimalString(d)} ${text} ${hex}`);
  }
  // BigDecimal#longValueExact of value × 10^6
  if (d.digits !== '0' && d.digits.length + d.exp + 6 > 19) throw new ValueError('Overflow', true);
  let units = BigInt(d.digits) * 10n ** BigInt(d.exp + 6);
  if (units > LONG_MAX + (d.negative ? 1n : 0n)) throw new ValueError('Overflow', true);
  if (d.negative) units = -units;
  if (units < -FIVE_BILLION_E6 || units > FIVE_BILLION_E6) throw new ValueError('Value must be between -5.0E9 and 5.0E9, inclusive');
  return Number(units);
}

/**
 * An event's number in millionths, or undefined when it is outside ±5e9 (event-ruler then
 * compares it only as text). Digits past the sixth decimal are dropped, as event-ruler always
 * has for event values.
 */
export function eventComparable(n: number): number | undefined {
  if (!Number.isFinite(n) || n < -5e9 || n > 5e9) return undefined;
  if (Number.isInteger(n)) return n * 1e6;
  const d = decimal(String(n));
  const shift = d.exp + 6;
  let units: number;
  if (shift >= 0) units = Number(d.digits) * 10 ** shift;
  else {
    const keep = d.digits.length + shift;
    units = keep > 0 ? Number(d.digits.slice(0, keep)) : 0;
    if (d.negative) units += 1; // toward negative infinity, as the old long cast of (5e9 + x) did
  }
  return d.negative ? -units : units;
}

// ---------------------------------------------------------------- IP addresses

// Constants.IPv4_REGEX / IPv6_REGEX: only what looks like an address is parsed (java.net).
const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  const out: number[] = [];
  for (const p of parts) {
    if (p.length > 3) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  if (halves.length === 1 ? all.length !== 8 : all.length > 7) return undefined;
  const words = [...head.map((g) => parseInt(g, 16)), ...Array(8 - all.length).fill(0), ...tail.map((g) => parseInt(g, 16))];
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  // java.net returns an Inet4Address for an IPv4-mapped address (::ffff:a.b.c.d).
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  return bytes;
}

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');

/** a.b.c.d (decimal, each at most 255) as 8 hex digits, without the regex and arrays. */
function fastIPv4(s: string): string | undefined {
  let n = 0;
  let octet = -1;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = (octet < 0 ? 0 : octet) * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (c === 46 && octet >= 0 && dots < 3) {
      n = n * 256 + octet;
      octet = -1;
      digits = 0;
      dots++;
    } else return undefined;
  }
  if (dots !== 3 || octet < 0) return undefined;
  return (n * 256 + octet).toString(16).toUpperCase().padStart(8, '0');
}

/** CIDR.ipToString: an address literal as upper-case hex (8 digits for IPv4, 32 for IPv6). */
export function ipHex(s: string): string | undefined {
  const c = s.charCodeAt(0);
  if (s.length > 39 || !(c === 58 || (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return undefined;
  if (IPV4.test(s)) return fastIPv4(s);
  const bytes = IPV6.test(s) ? parseIPv6(s) : undefined;
  return bytes && hex(bytes);
}

export interface IpRange {
  low: string;
  high: string;
}

/** CIDR.ipToRangeIfPossible: a string pattern that is an address literal matches that address. */
export function ipLiteralRange(s: string): IpRange | undefined {
  const h = ipHex(s);
  return h ? { low: h, high: h } : undefined;
}

/** Java's String.split("/"): trailing empty strings dropped. */
function javaSplit(s: string): string[] {
  const parts = s.split('/');
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** CIDR.cidr: the block's range; the bottom is the address as written, the top its mask filled. */
export function cidrRange(cidr: string): IpRange {
  const slashed = javaSplit(cidr);
  if (slashed.length !== 2) throw new ValueError("Malformed CIDR, one '/' required", true);
  const [ip, bits] = slashed as [string, string];
  // Integer.parseInt
  const mask = /^[+-]?\d+$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(mask) || mask > 2147483647 || mask < -2147483648) throw new ValueError('Malformed CIDR, mask bits must be an integer', true);
  if (mask < 0) throw new ValueError('Malformed CIDR, mask bits must not be negative', true);
  const looks = IPV4.test(ip) || IPV6.test(ip);
  if (!looks) throw new ValueError(`Nonstandard IP address: ${ip}`, true);
  const bytes = IPV4.test(ip) ? parseIPv4(ip) : parseIPv6(ip);
  if (!bytes) throw new ValueError(`Invalid IP address: ${ip}`, true);
  if (bytes.length === 4 && mask > 31) throw new ValueError('IPv4 mask bits must be < 32', true);
  if (bytes.length === 16 && mask > 127) throw new ValueError('IPv6 mask bits must be < 128', true);
  let free = bytes.length * 8 - mask;
  const top = [...bytes];
  for (let i = top.length - 1; i >= 0 && free > 0; i--, free -= 8) top[i] = free >= 8 ? 0xff : top[i]! | ((1 << free) - 1);
  return { low: hex(bytes), high: hex(top) };
}

// ---------------------------------------------------------------- wildcards

/**
 * WildcardParser over the quoted value event-ruler builds ('"' + text + '"'): positions in its
 * messages are UTF-8 byte offsets into that. Returns the literal runs between the stars.
 */
export function wildcardParts(text: string): string[] {
  const bytes = Buffer.from(`"${text}"`, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 42) {
      if (bytes[i + 1] === 42) throw new ValueError(`Consecutive wildcard characters at pos ${i}`);
    } else if (b === 92) {
      const n = bytes[i + 1];
      if (n !== 42 && n !== 92) throw new ValueError(`Invalid escape character at pos ${i}`);
      i++;
    }
  }
  const parts: string[] = [];
  let run = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') run += text[++i];
    else if (c === '*') {
      parts.push(run);
      run = '';
    } else run += c;
  }
  parts.push(run);
  return parts;
}

/** Whether `s` matches the wildcard whose literal runs are `parts` (a star between each). */
export function wildcardMatch(parts: readonly string[], s: string): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return s === first;
  const last = parts[parts.length - 1]!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const p = parts[i]!;
    const found = s.indexOf(p, at);
    if (found < 0 || found + p.length > end) return false;
    at = found + p.length;
  }
  return true;
}

// ---------------------------------------------------------------- equals-ignore-case

/**
 * event-ruler's equals-ignore-case: each character of the pattern matches its lower-case or its
 * upper-case form (Locale.ROOT), as whole strings ("ß" upper-cases to "SS").
 */
export function foldAlternatives(pattern: string): string[][] {
  const out: string[][] = [];
  for (const ch of pattern) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out.push(lower === upper ? [lower] : [lower, upper]);
  }
  return out;
}

/** Whether `s` from `at` is spelt by alternatives[i..], to the end of `s` when `whole`. */
export function foldForward(alts: readonly string[][], s: string, at = 0, i = 0, whole = true): boolean {
  for (; i < alts.length; i++) {
    const options = alts[i]!;
    if (options.length === 1) {
      const o = options[0]!;
      if (!s.startsWith(o, at)) return false;
      at += o.length;
      continue;
    }
    for (const o of options) if (s.startsWith(o, at) && foldForward(alts, s, at + o.length, i + 1, whole)) return true;
    return false;
  }
  return !whole || at === s.length;
}

/** Whether `s` ends with what alternatives[..i] spell. */
export function foldBackward(alts: readonly string[][], s: string, end = s.length, i = alts.length - 1): boolean {
  for (; i >= 0; i--) {
    const options = alts[i]!;
    let next = -1;
    for (const o of options) {
      if (end >= o.length && s.startsWith(o, end - o.length)) {
        if (options.length === 1) next = end - o.length;
        else if (foldBackward(alts, s, end - o.length, i - 1)) return true;
      }
    }
    if (options.length > 1 || next < 0) return false;
    end = next;
  }
  return true;
}
