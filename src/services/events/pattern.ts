import { PatternFailure, TokenReader, type Token } from './pattern-json.js';
import {
  ValueError, cidrRange, eventComparable, foldAlternatives, foldBackward, foldForward, ipHex, ipLiteralRange,
  patternComparable, wildcardMatch, wildcardParts, type IpRange,
} from './pattern-values.js';

/**
 * EventBridge event patterns, with the semantics and the error messages of aws/event-ruler,
 * the library EventBridge matches with (its README and JsonRuleCompiler/RuleCompiler/ACFinder).
 *
 * A pattern compiles, as in event-ruler, to branches (one per combination of `$or` choices),
 * each a list of field paths ("detail.state": nesting joined by dots) with the values any of
 * which may match. An event is read at those paths, each leaf value remembering the array
 * elements it sits in; a branch matches when every field has a matching value and the chosen
 * values never come from different elements of one array (event-ruler's array consistency).
 * Parse once with parsePattern, then match many events; matchAll shares what it reads.
 */

/** An invalid pattern, with EventBridge's InvalidEventPatternException message. */
export class InvalidEventPatternError extends Error {
  /** event-ruler's own message, e.g. `"source" must be an object or an array`. */
  readonly reason: string;
  constructor(reason: string, location: string | undefined) {
    super(`Event pattern is not valid. Reason: ${reason}${location ? `\n at ${location}` : ''}`);
    this.name = 'InvalidEventPatternError';
    this.reason = reason;
  }
}

type Leaf = { readonly v: string | number | boolean | null; readonly m: readonly unknown[] | undefined; cmp?: number | null; ip?: string | null };
type Predicate = (leaf: Leaf) => boolean;

/** One match expression of a field's value list, as compiled. */
type Matcher =
  | { k: 'string'; s: string }
  | { k: 'number'; n: number; cmp: number | undefined }
  | { k: 'literal'; v: boolean | null }
  | { k: 'exists'; present: boolean }
  | { k: 'test'; test: Predicate };

interface Field {
  readonly path: string;
  /** keys[i][j]: segments i..i+j of the path joined with dots (an event key may contain dots). */
  readonly keys: readonly (readonly string[])[];
  readonly strings: ReadonlySet<string> | undefined;
  readonly numbers: readonly { n: number; cmp: number | undefined }[] | undefined;
  readonly literals: number; // bit 1 true, 2 false, 4 null
  readonly anyValue: boolean;
  readonly absent: boolean;
  readonly tests: readonly Predicate[];
}

type Branch = readonly Field[];

export class Pattern {
  /** @internal */ readonly branches: readonly Branch[];
  private constructor(readonly source: string, branches: Branch[]) {
    this.branches = branches;
  }
  /** @internal */ static of(source: string, branches: Branch[]): Pattern {
    return new Pattern(source, branches);
  }
}

// ---------------------------------------------------------------- compiling

/** Field names that cannot appear inside `$or` (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP). */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr', 'html',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
]);
const FIVE_BILLION = '5000000000';

const isNumber = (t: Token | null) => t === 'INT' || t === 'FLOAT';
const onStrings = (p: Predicate): Matcher => ({ k: 'test', test: (l) => typeof l.v === 'string' && p(l) });

function leafComparable(l: Leaf): number | null {
  if (l.cmp === undefined) l.cmp = typeof l.v === 'number' ? eventComparable(l.v) ?? null : null;
  return l.cmp;
}
function leafIp(l: Leaf): string | null {
  if (l.ip === undefined) l.ip = typeof l.v === 'string' ? ipHex(l.v) ?? null : null;
  return l.ip;
}
const inRange = (r: IpRange) => (l: Leaf) => {
  const h = leafIp(l);
  return h !== null && h.length === r.low.length && h >= r.low && h <= r.high;
};

/** event-ruler's JsonRuleCompiler (`or`: "$or" is an operator) or legacy RuleCompiler (a field). */
class Compiler {
  private readonly r: TokenReader;
  constructor(source: string, private readonly or: boolean) {
    this.r = new TokenReader(source);
  }

  compile(): Map<string, Matcher[]>[] {
    const rules: Map<string, Matcher[]>[] = [];
    if (this.r.next() !== 'START_OBJECT') this.r.fail('Filter is not an object');
    this.object(rules, [], false);
    return rules;
  }

  private object(rules: Map<string, Matcher[]>[], path: string[], inOr: boolean): void {
    const r = this.r;
    let fields = false;
    while (r.next() !== 'END_OBJECT') {
      fields = true;
      const name = r.name;
      if (this.or && name === '$or') {
        this.orRelationship(rules, path);
        continue;
      }
      if (inOr && RESERVED_IN_OR.has(name)) r.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
      switch (r.next()) {
        case 'START_OBJECT':
          path.push(name);
          this.object(rules, path, inOr);
          path.pop();
          break;
        case 'START_ARRAY':
          this.values(rules, path.length ? `${path.join('.')}.${name}` : name);
          break;
        default:
          r.fail(`"${name}" must be an object or an array`);
      }
    }
    if (!fields) r.fail('Empty objects are not allowed');
  }

  private orRelationship(rules: Map<string, Matcher[]>[], path: string[]): void {
    const r = this.r;
    const before = rules.map((m) => new Map(m));
    rules.length = 0;
    if (r.next() !== 'START_ARRAY') r.fail('It must be an Array followed with $or.');
    let count = 0;
    for (let t = r.next(); t !== 'END_ARRAY'; t = r.next()) {
      count++;
      if (t !== 'START_OBJECT') r.fail('Only JSON object is allowed in array of $or relationship.');
      const branch = before.map((m) => new Map(m));
      if (!branch.length) branch.push(new Map());
      this.object(branch, path, true);
      rules.push(...branch);
    }
    if (count < 2) r.fail('There must have at least 2 Objects in $or relationship.');
  }

  private values(rules: Map<string, Matcher[]>[], name: string): void {
    const r = this.r;
    const values: Matcher[] = [];
    for (let t = r.next(); t !== 'END_ARRAY'; t = r.next()) {
      switch (t) {
        case 'START_OBJECT':
          values.push(this.expression());
          break;
        case 'STRING': {
          const s = r.text()!;
          const ip = ipLiteralRange(s);
          values.push(ip ? onStrings(inRange(ip)) : { k: 'string', s });
          break;
        }
        case 'INT':
        case 'FLOAT': {
          // A number matches numerically when it can (300 = 3.0e2), else by its value.
          const text = r.text()!;
          let cmp: number | undefined;
          try {
            cmp = patternComparable(text);
          } catch {
            cmp = undefined;
          }
          values.push({ k: 'number', n: Number(text), cmp });
          break;
        }
        case 'TRUE': values.push({ k: 'literal', v: true }); break;
        case 'FALSE': values.push({ k: 'literal', v: false }); break;
        case 'NULL': values.push({ k: 'literal', v: null }); break;
        default:
          r.fail('Match value must be String, number, true, false, or null');
      }
    }
    if (!values.length) r.fail('Empty arrays are not allowed');
    if (!rules.length) rules.push(new Map());
    // A path given twice: the later value list wins (withOverriding), as the AWS guide notes.
    for (const rule of rules) rule.set(name, values);
  }

  /** A string, then the end of the one-key object. */
  private stringThenEnd(message: string): string {
    const r = this.r;
    if (r.next() !== 'STRING') r.fail(message);
    const s = r.text()!;
    if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
    return s;
  }

  private expression(): Matcher {
    const r = this.r;
    if (r.next() !== 'FIELD_NAME') r.fail('Match expression name not found');
    const op = r.name;
    switch (op) {
      case 'exactly': {
        const s = this.stringThenEnd('exact match pattern must be a string');
        return { k: 'string', s };
      }
      case 'prefix':
      case 'suffix': {
        const t = r.next();
        if (t === 'START_OBJECT') return this.ignoreCaseAffix(op);
        if (t !== 'STRING') r.fail(`${op} match pattern must be a string`);
        const s = r.text()!;
        if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
        return op === 'prefix' ? onStrings((l) => (l.v as string).startsWith(s)) : onStrings((l) => (l.v as string).endsWith(s));
      }
      case 'numeric': {
        if (r.next() !== 'START_ARRAY') r.fail('Value of numeric must be an array.');
        const m = this.numeric();
        if (r.next() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
        return m;
      }
      case 'anything-but':
        return this.anythingBut();
      case 'exists': {
        const t = r.next();
        if (t !== 'TRUE' && t !== 'FALSE') r.fail('exists match pattern must be either true or false.');
        if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
        return { k: 'exists', present: t === 'TRUE' };
      }
      case 'cidr': {
        if (r.next() !== 'STRING') r.fail('prefix match pattern must be a string'); // sic, in event-ruler
        const range = cidrRange(r.text()!);
        if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
        return onStrings(inRange(range));
      }
      case 'equals-ignore-case': {
        const alts = foldAlternatives(this.stringThenEnd('equals-ignore-case match pattern must be a string'));
        return onStrings((l) => foldForward(alts, l.v as string));
      }
      case 'wildcard': {
        if (r.next() !== 'STRING') r.fail('wildcard match pattern must be a string');
        const parts = this.wildcard(r.text()!);
        if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
        return onStrings((l) => wildcardMatch(parts, l.v as string));
      }
      default:
        return r.fail(`Unrecognized match type ${op}`);
    }
  }

  private wildcard(text: string): string[] {
    try {
      return wildcardParts(text);
    } catch (e) {
      return this.r.fail((e as Error).message);
    }
  }

  /** {"prefix": {"equals-ignore-case": "x"}} and the suffix form. */
  private ignoreCaseAffix(op: 'prefix' | 'suffix'): Matcher {
    const r = this.r;
    const Op = op === 'prefix' ? 'Prefix' : 'Suffix';
    if (r.next() !== 'FIELD_NAME') r.fail(`${Op} expression name not found`);
    if (r.name !== 'equals-ignore-case') r.fail(`Unsupported ${op} pattern: ${r.name}`);
    if (r.next() !== 'STRING') r.fail('equals-ignore-case match pattern must be a string');
    const alts = foldAlternatives(r.text()!);
    if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
    if (r.next() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
    return op === 'prefix'
      ? onStrings((l) => foldForward(alts, l.v as string, 0, 0, false))
      : onStrings((l) => foldBackward(alts, l.v as string));
  }

  /** A ValueError raised inside event-ruler's `catch (IllegalArgumentException e) { barf(…) }`. */
  private caught<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof ValueError && !e.fatal) return this.r.fail(e.message);
      throw e;
    }
  }

  private numeric(): Matcher {
    const r = this.r;
    let t = r.next();
    if (t !== 'STRING') r.fail(`Invalid member in numeric match: ${r.text()}`);
    const op = r.text()!;
    t = r.next();
    return this.caught(() => {
      switch (op) {
        case '=': {
          if (!isNumber(t)) r.fail('Value of equals must be numeric');
          const v = r.text()!;
          if (r.next() !== 'END_ARRAY') r.fail('Too many elements in numeric expression');
          const c = patternComparable(v);
          return { k: 'test', test: (l) => leafComparable(l) === c };
        }
        case '>=':
        case '>': {
          if (!isNumber(t)) r.fail(`Value of ${op} must be numeric`);
          const bottom = r.text()!;
          t = r.next();
          if (t === 'END_ARRAY') return range(bottom, op === '>', FIVE_BILLION, false);
          if (t !== 'STRING') r.fail(`Bad value in numeric range: ${r.text()}`);
          const top = r.text()!;
          if (top !== '<' && top !== '<=') r.fail(`Bad numeric range operator: ${top}`);
          if (!isNumber(r.next())) r.fail(`Value of ${top} must be numeric`);
          const topValue = r.text()!;
          if (r.next() !== 'END_ARRAY') r.fail('Too many terms in numeric range expression');
          return range(bottom, op === '>', topValue, top === '<');
        }
        case '<=':
        case '<': {
          if (!isNumber(t)) r.fail(`Value of ${op} must be numeric`);
          const top = r.text()!;
          if (r.next() !== 'END_ARRAY') r.fail('Too many elements in numeric expression');
          return range(`-${FIVE_BILLION}`, false, top, op === '<');
        }
        default:
          return r.fail(`Unrecognized numeric range operator: ${op}`);
      }
    });
  }

  /**
   * Errors inside event-ruler's list loops are caught and raised again at the same place, so
   * their message carries the location twice (`catch (IllegalArgumentException | IOException e)
   * { barf(parser, e.getMessage()); }`).
   */
  private list(each: (t: Token | null) => void): void {
    const r = this.r;
    try {
      for (let t = r.next(); t !== 'END_ARRAY'; t = r.next()) each(t);
    } catch (e) {
      if (e instanceof PatternFailure && e.recoverable) r.fail(e.message);
      if (e instanceof ValueError && !e.fatal) r.fail(e.message);
      throw e;
    }
  }

  private anythingBut(): Matcher {
    const r = this.r;
    let kind: 'values' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard' = 'values';
    let t = r.next();
    if (t === 'START_OBJECT') {
      if (r.next() !== 'FIELD_NAME') r.fail('Anything-But expression name not found');
      const op = r.name;
      if (op !== 'equals-ignore-case' && op !== 'prefix' && op !== 'suffix' && op !== 'wildcard') return r.fail(`Unsupported anything-but pattern: ${op}`);
      kind = op;
      t = r.next();
    }
    if (t !== 'START_ARRAY' && t !== 'STRING' && !isNumber(t)) r.fail('Value of anything-but must be an array or single string/number value.');

    let m: Matcher;
    if (kind === 'values') {
      const strs = new Set<string>();
      const nums = new Set<number>();
      if (t === 'START_ARRAY') {
        this.list((v) => {
          if (v === 'STRING') strs.add(r.text()!);
          else if (isNumber(v)) nums.add(patternComparable(r.text()!));
          else r.fail('Inside anything but list, start|null|boolean is not supported.');
        });
        if ((strs.size > 0) === (nums.size > 0))
          r.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
      } else if (t === 'STRING') strs.add(r.text()!);
      else nums.add(patternComparable(r.text()!)); // not caught by event-ruler: ends compilation
      // Fails only on an equal value of the same kind; anything else (null, true, the other
      // kind, a number outside ±5e9) passes, as in event-ruler's byte machine.
      m = nums.size
        ? { k: 'test', test: (l) => !(typeof l.v === 'number' && nums.has(leafComparable(l)!)) }
        : { k: 'test', test: (l) => !(typeof l.v === 'string' && strs.has(l.v)) };
    } else {
      const texts: string[] = [];
      const take = (v: Token | null) => {
        if (v === 'STRING') {
          const s = r.text()!;
          if ((kind === 'prefix' || kind === 'suffix') && s === '') r.fail('Null prefix/suffix not allowed');
          texts.push(s);
        } else if (kind === 'equals-ignore-case')
          r.fail(`Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.`);
        else r.fail(kind === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string');
      };
      if (t === 'START_ARRAY') this.list(take);
      else take(t);
      m = onStrings(this.negatedSet(kind, texts));
      if (r.next() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
    }
    if (r.next() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
    return m;
  }

  private negatedSet(kind: 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard', texts: string[]): Predicate {
    switch (kind) {
      case 'prefix': return (l) => !texts.some((p) => (l.v as string).startsWith(p));
      case 'suffix': return (l) => !texts.some((p) => (l.v as string).endsWith(p));
      case 'equals-ignore-case': {
        const alts = texts.map(foldAlternatives);
        return (l) => !alts.some((a) => foldForward(a, l.v as string));
      }
      case 'wildcard': {
        const parts = texts.map((w) => this.wildcard(w));
        return (l) => !parts.some((p) => wildcardMatch(p, l.v as string));
      }
    }
  }
}

/** Range.between: bottom below top, both ComparableNumbers; numbers only. */
function range(bottom: string, openBottom: boolean, top: string, openTop: boolean): Matcher {
  if (Number(bottom) >= Number(top)) throw new ValueError('Bottom must be less than top');
  const lo = patternComparable(bottom);
  const hi = patternComparable(top);
  return {
    k: 'test',
    test: (l) => {
      const c = leafComparable(l);
      return c !== null && (openBottom ? c > lo : c >= lo) && (openTop ? c < hi : c <= hi);
    },
  };
}

function field(path: string, matchers: Matcher[]): Field {
  let strs: Set<string> | undefined;
  let numbers: { n: number; cmp: number | undefined }[] | undefined;
  let literals = 0;
  let anyValue = false;
  let absent = false;
  const tests: Predicate[] = [];
  for (const m of matchers) {
    switch (m.k) {
      case 'string': (strs ??= new Set()).add(m.s); break;
      case 'number': (numbers ??= []).push({ n: m.n, cmp: m.cmp }); break;
      case 'literal': literals |= m.v === true ? 1 : m.v === false ? 2 : 4; break;
      case 'exists': if (m.present) anyValue = true; else absent = true; break;
      case 'test': tests.push(m.test); break;
    }
  }
  const segments = path.split('.');
  const keys = segments.map((_, i) => segments.slice(i).map((__, j) => segments.slice(i, i + j + 1).join('.')));
  return { path, keys, strings: strs, numbers, literals, anyValue, absent, tests };
}

function compileWith(source: string, or: boolean): Branch[] {
  return new Compiler(source, or).compile().map((rule) =>
    [...rule.keys()].sort().map((path) => field(path, rule.get(path)!)));
}

/**
 * Parses and validates a pattern as EventBridge does (PutRule, TestEventPattern). As event-ruler,
 * a pattern the current compiler refuses is tried again with the legacy one, where "$or" is just
 * a field name; if that refuses it too, its message is the answer.
 */
export function parsePattern(json: string): Pattern {
  try {
    return Pattern.of(json, compileWith(json, true));
  } catch (e) {
    if (!(e instanceof PatternFailure && e.recoverable)) throw asInvalid(e);
  }
  try {
    return Pattern.of(json, compileWith(json, false));
  } catch (e) {
    throw asInvalid(e);
  }
}

function asInvalid(e: unknown): unknown {
  if (e instanceof PatternFailure) return new InvalidEventPatternError(e.reason, e.location);
  if (e instanceof ValueError) return new InvalidEventPatternError(e.message, undefined);
  return e;
}

// ---------------------------------------------------------------- matching

/**
 * An event's leaf values, read by path on demand and kept for the call: a path is looked up by
 * walking the event (array elements are transparent; a key may itself contain dots, as
 * event-ruler joins names with dots on both sides), so only what the patterns name is read.
 * Each leaf lists the arrays it sits in, as [array, index] pairs, for array consistency.
 */
class EventView {
  private readonly cache = new Map<string, Leaf[]>();
  constructor(private readonly event: Record<string, unknown>) {}

  leaves(f: Field): Leaf[] {
    let out = this.cache.get(f.path);
    if (!out) {
      out = [];
      walk(this.event, f.keys, 0, undefined, out, 0);
      this.cache.set(f.path, out);
    }
    return out;
  }
}

const MAX_WALK_DEPTH = 1000;

function emit(v: unknown, m: readonly unknown[] | undefined, out: Leaf[], depth: number): void {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push({ v, m });
  else if (Array.isArray(v) && depth < MAX_WALK_DEPTH) for (let i = 0; i < v.length; i++) emit(v[i], m ? [...m, v, i] : [v, i], out, depth + 1);
}

/** keys[i][j]: the path's segments i..i+j joined with dots. */
function walk(node: unknown, keys: readonly (readonly string[])[], i: number, m: readonly unknown[] | undefined, out: Leaf[], depth: number): void {
  if (i === keys.length) return emit(node, m, out, depth);
  if (node === null || typeof node !== 'object' || depth >= MAX_WALK_DEPTH) return;
  if (Array.isArray(node)) {
    for (let x = 0; x < node.length; x++) walk(node[x], keys, i, m ? [...m, node, x] : [node, x], out, depth + 1);
    return;
  }
  const o = node as Record<string, unknown>;
  const joined = keys[i]!;
  for (let j = 0; j < joined.length; j++) {
    const k = joined[j]!;
    if (Object.hasOwn(o, k)) walk(o[k], keys, i + j + 1, m, out, depth + 1);
  }
}

function leafMatches(f: Field, l: Leaf): boolean {
  const v = l.v;
  switch (typeof v) {
    case 'string':
      if (f.strings?.has(v)) return true;
      break;
    case 'number':
      if (f.numbers)
        for (const n of f.numbers) if (v === n.n || (n.cmp !== undefined && leafComparable(l) === n.cmp)) return true;
      break;
    case 'boolean':
      if (f.literals & (v ? 1 : 2)) return true;
      break;
    default:
      if (f.literals & 4) return true;
  }
  if (f.anyValue) return true;
  for (const t of f.tests) if (t(l)) return true;
  return false;
}

/** Whether two leaves' array memberships agree (same element wherever they share an array). */
function consistent(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (!a || !b) return true;
  for (let i = 0; i < b.length; i += 2)
    for (let j = 0; j < a.length; j += 2) if (a[j] === b[i] && a[j + 1] !== b[i + 1]) return false;
  return true;
}

function merge(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): readonly unknown[] | undefined {
  if (!b) return a;
  if (!a) return b;
  const out = [...a];
  for (let i = 0; i < b.length; i += 2) if (!a.some((ref, j) => j % 2 === 0 && ref === b[i])) out.push(b[i], b[i + 1]);
  return out;
}

/** ACFinder: fields in path order, each from array elements consistent with those chosen before. */
function search(fields: Branch, view: EventView, i: number, m: readonly unknown[] | undefined): boolean {
  if (i === fields.length) return true;
  const f = fields[i]!;
  const leaves = view.leaves(f);
  for (const l of leaves) if (consistent(m, l.m) && leafMatches(f, l) && search(fields, view, i + 1, merge(m, l.m))) return true;
  // exists:false holds when no value of the field sits in the array elements chosen so far.
  return f.absent && !leaves.some((l) => consistent(m, l.m)) && search(fields, view, i + 1, m);
}

function branchMatches(fields: Branch, view: EventView): boolean {
  // Most fields sit in no array: check them directly, and search only when arrays are involved.
  let arrays = false;
  for (const f of fields) {
    const leaves = view.leaves(f);
    if (!leaves.length) {
      if (!f.absent) return false;
      continue;
    }
    let found = false;
    for (const l of leaves) {
      if (l.m) arrays = true;
      else if (!found && leafMatches(f, l)) found = true;
    }
    if (!found && !arrays) return false;
  }
  return !arrays || search(fields, view, 0, undefined);
}

function matchView(p: Pattern, view: EventView): boolean {
  for (const b of p.branches) if (branchMatches(b, view)) return true;
  return false;
}

const isObject = (e: unknown): e is Record<string, unknown> => e !== null && typeof e === 'object' && !Array.isArray(e);

/** Whether the event (parsed JSON) matches the pattern. */
export function matches(pattern: Pattern, event: unknown): boolean {
  return isObject(event) && matchView(pattern, new EventView(event));
}

/** matches() for many patterns over one event, sharing what is read of it: the answers in order. */
export function matchAll(patterns: readonly Pattern[], event: unknown): boolean[] {
  if (!isObject(event)) return patterns.map(() => false);
  const view = new EventView(event);
  return patterns.map((p) => matchView(p, view));
}
