/**
 * A JSON token reader that fails where, and as, EventBridge's pattern parser fails.
 *
 * EventBridge validates patterns with aws/event-ruler, which reads them through Jackson's
 * streaming parser and reports each problem as a JsonParseException: the reason, then
 * "\n at [Source: (String)"<pattern>"; line: L, column: C]" with the parser's position at that
 * moment (AWS answers, e.g. cloud-custodian#6507: `… Reason: Empty objects are not allowed at
 * [Source: (String)"{"source": ["aws.health"], "detail": {}}"; line: 1, column: 40]`). The
 * position depends on how far Jackson has read, so this reader consumes exactly as it does:
 * after a field name it has already read the colon and the first character of the value (the
 * whole value for numbers and literals); a string's body is read only when its text is asked
 * for or the next token is; numbers stop before the character that ends them. Jackson's own
 * syntax messages are reproduced for the common mistakes (ParserBase/ReaderBasedJsonParser 2.x).
 */

export type Token =
  | 'START_OBJECT' | 'END_OBJECT' | 'START_ARRAY' | 'END_ARRAY' | 'FIELD_NAME'
  | 'STRING' | 'INT' | 'FLOAT' | 'TRUE' | 'FALSE' | 'NULL';

/** A failure as Jackson/event-ruler would report it. */
export class PatternFailure extends Error {
  constructor(
    /** The exception's own message (no location). */
    readonly reason: string,
    /** "[Source: …; line: L, column: C]" for a JsonParseException; none for other exceptions. */
    readonly location: string | undefined,
    /**
     * A JsonParseException: event-ruler then retries the pattern with its legacy compiler, for
     * which "$or" is an ordinary field name. Other exceptions end compilation.
     */
    readonly recoverable: boolean,
  ) {
    super(location ? `${reason}\n at ${location}` : reason);
  }
}

// Jackson's list of what may start a value (ParserMinimalBase._validJsonValueList, 2.12+).
const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const MAX_SNIPPET = 500; // ContentReference.DEFAULT_MAX_CONTENT_SNIPPET
const MAX_DEPTH = 1000; // StreamReadConstraints.DEFAULT_MAX_DEPTH
const MAX_ERROR_TOKEN = 256;

interface Context {
  type: 'root' | 'array' | 'object';
  index: number;
  line: number;
  column: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
// Java's Character.isJavaIdentifierStart/Part, as near as JavaScript's Unicode classes get.
const IDENT_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const IDENT_PART = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\u0000-\u0008\u000e-\u001b\u007f-\u009f]/u;
const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f);

/** Jackson's ParserMinimalBase._getCharDesc. */
export function charDesc(c: number): string {
  if (isControl(c)) return `(CTRL-CHAR, code ${c})`;
  const ch = String.fromCharCode(c);
  return c > 255 ? `'${ch}' (code ${c} / 0x${c.toString(16)})` : `'${ch}' (code ${c})`;
}

/** How Jackson names a String source: its first 500 characters, control characters escaped. */
function sourceDescription(src: string): string {
  let s = '(String)"';
  const n = Math.min(src.length, MAX_SNIPPET);
  for (let i = 0; i < n; i++) {
    const c = src.charCodeAt(i);
    s += isControl(c) && c !== 10 && c !== 13 ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : src[i];
  }
  s += '"';
  if (src.length > MAX_SNIPPET) s += `[truncated ${src.length - MAX_SNIPPET} chars]`;
  return s;
}

export class TokenReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly stack: Context[] = [{ type: 'root', index: -1, line: 1, column: 0 }];
  private current: Token | null = null;
  private afterName: Token | null = null;
  private stringPending = false;
  private stringValue = '';
  private numberText = '';
  private fieldName = '';
  private desc: string | undefined;

  constructor(private readonly src: string) {}

  /** "[Source: …; line: L, column: C]" at the current position (JsonParser.getCurrentLocation). */
  location(line = this.line, column = this.pos - this.lineStart + 1): string {
    this.desc ??= sourceDescription(this.src);
    return `[Source: ${this.desc}; line: ${line}, column: ${column}]`;
  }

  /** A JsonParseException at the current position. */
  fail(reason: string): never {
    throw new PatternFailure(reason, this.location(), true);
  }

  /** The current field name (JsonParser.getCurrentName). */
  get name(): string {
    return this.fieldName;
  }

  next(): Token | null {
    if (this.current === 'FIELD_NAME') {
      const t = this.afterName!;
      this.afterName = null;
      if (t === 'START_OBJECT' || t === 'START_ARRAY') this.push(t === 'START_OBJECT' ? 'object' : 'array', this.valueLine, this.valueColumn);
      return (this.current = t);
    }
    if (this.stringPending) this.readString(false);
    let c = this.skipSpaceOrEnd();
    if (c < 0) {
      this.endOfInput();
      return (this.current = null);
    }
    if (c === 93 || c === 125) return (this.current = this.closeScope(c));
    const ctx = this.stack[this.stack.length - 1]!;
    if (++ctx.index > 0 && ctx.type !== 'root') c = this.skipComma(c, ctx);
    const inObject = ctx.type === 'object';
    if (inObject) {
      if (c !== 34) this.unexpected(c, 'was expecting double-quote to start field name');
      this.fieldName = this.readName();
      c = this.skipColon();
    }
    // Where the value's first character sits (Jackson's _updateLocation after reading it).
    this.valueLine = this.line;
    this.valueColumn = this.pos - this.lineStart;
    const t = this.value(c, inObject);
    if (inObject) {
      this.afterName = t;
      return (this.current = 'FIELD_NAME');
    }
    return (this.current = t);
  }

  private valueLine = 1;
  private valueColumn = 0;

  /** JsonParser.getText: for a string, reads its body first. */
  text(): string | null {
    switch (this.current) {
      case 'FIELD_NAME': return this.fieldName;
      case 'STRING':
        if (this.stringPending) this.readString(true);
        return this.stringValue;
      case 'INT': case 'FLOAT': return this.numberText;
      case 'TRUE': return 'true';
      case 'FALSE': return 'false';
      case 'NULL': return 'null';
      case 'START_OBJECT': return '{';
      case 'END_OBJECT': return '}';
      case 'START_ARRAY': return '[';
      case 'END_ARRAY': return ']';
      default: return null;
    }
  }

  private push(type: 'object' | 'array', line: number, column: number): void {
    if (this.stack.length > MAX_DEPTH)
      this.fail(`Document nesting depth (${this.stack.length}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    this.stack.push({ type, index: -1, line, column });
  }

  private typeDesc(ctx: Context): string {
    return ctx.type === 'root' ? 'root' : ctx.type === 'array' ? 'Array' : 'Object';
  }

  private closeScope(c: number): Token {
    const ctx = this.stack[this.stack.length - 1]!;
    const want = c === 93 ? 'array' : 'object';
    if (ctx.type !== want)
      this.fail(`Unexpected close marker '${String.fromCharCode(c)}': expected '${c === 93 ? '}' : ']'}' (for ${this.typeDesc(ctx)} starting at ${this.location(ctx.line, ctx.column)})`);
    this.stack.pop();
    return c === 93 ? 'END_ARRAY' : 'END_OBJECT';
  }

  private endOfInput(): void {
    const ctx = this.stack[this.stack.length - 1]!;
    if (ctx.type !== 'root')
      this.fail(`Unexpected end-of-input: expected close marker for ${this.typeDesc(ctx)} (start marker at ${this.location(ctx.line, ctx.column)})`);
  }

  private unexpected(c: number, comment: string): never {
    this.fail(`Unexpected character (${charDesc(c)}): ${comment}`);
  }

  private newline(c: number): void {
    if (c === 13 && this.src.charCodeAt(this.pos) === 10) this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Jackson's _skipWSOrEnd: the next significant character (consumed), or -1 at the end. */
  private skipSpaceOrEnd(): number {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos++);
      if (c > 32) {
        if (c === 47) this.unexpected(c, "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
        return c;
      }
      if (c === 10 || c === 13) this.newline(c);
      else if (c !== 32 && c !== 9) this.fail(`Illegal character (${charDesc(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
    }
    return -1;
  }

  private skipComma(c: number, ctx: Context): number {
    if (c !== 44) this.unexpected(c, `was expecting comma to separate ${this.typeDesc(ctx)} entries`);
    const next = this.skipSpaceOrEnd();
    if (next < 0) this.fail(`Unexpected end-of-input within/between ${this.typeDesc(ctx)} entries`);
    return next;
  }

  /** After a name: the colon, the blanks around it, and the value's first character. */
  private skipColon(): number {
    let colon = false;
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos++);
      if (c > 32) {
        if (c === 47) this.unexpected(c, "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
        if (colon) return c;
        if (c !== 58) this.unexpected(c, 'was expecting a colon to separate field name and value');
        colon = true;
      } else if (c === 10 || c === 13) this.newline(c);
      else if (c !== 32 && c !== 9) this.fail(`Illegal character (${charDesc(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
    }
    this.fail('Unexpected end-of-input within/between Object entries');
  }

  private value(c: number, inObject: boolean): Token {
    switch (c) {
      case 34:
        this.stringPending = true;
        return 'STRING';
      case 91:
      case 123:
        if (!inObject) this.push(c === 123 ? 'object' : 'array', this.valueLine, this.valueColumn);
        return c === 123 ? 'START_OBJECT' : 'START_ARRAY';
      case 125:
        return this.unexpected(c, 'expected a value');
      case 116: this.word('true'); return 'TRUE';
      case 102: this.word('false'); return 'FALSE';
      case 110: this.word('null'); return 'NULL';
      case 45: return this.number(true);
      default:
        if (isDigit(c)) return this.number(false);
        return this.oddValue(c);
    }
  }

  private oddValue(c: number): never {
    if (c === 78) { this.word('NaN', true); this.fail("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"); }
    if (c === 73) { this.word('Infinity', true); this.fail("Non-standard token 'Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"); }
    if (c === 43) {
      if (this.pos >= this.src.length) this.fail('Unexpected end-of-input in a Number value');
      const d = this.src.charCodeAt(this.pos++);
      this.fail(`Unexpected character (${charDesc(d)}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`);
    }
    if (IDENT_START.test(String.fromCharCode(c))) this.invalidToken(String.fromCharCode(c));
    this.unexpected(c, `expected a valid value ${VALID_VALUES}`);
  }

  /** Jackson's _matchToken: the rest of a literal, which must not run on into a name. */
  private word(w: string, nonStandard = false): void {
    for (let i = 1; i < w.length; i++) {
      if (this.pos >= this.src.length || this.src[this.pos] !== w[i]) this.invalidToken(w.slice(0, i));
      this.pos++;
    }
    if (nonStandard || this.pos >= this.src.length) return;
    const ch = this.src.charCodeAt(this.pos);
    if (ch >= 48 && ch !== 93 && ch !== 125 && IDENT_PART.test(this.src[this.pos]!)) this.invalidToken(w);
  }

  private invalidToken(start: string): never {
    let tok = start;
    while (this.pos < this.src.length && IDENT_PART.test(this.src[this.pos]!)) {
      tok += this.src[this.pos++];
      if (tok.length >= MAX_ERROR_TOKEN) {
        tok += '...';
        break;
      }
    }
    this.fail(`Unrecognized token '${tok}': was expecting ${VALID_VALUES}`);
  }

  /** A number, its first character already read; stops before the character that ends it. */
  private number(negative: boolean): Token {
    const src = this.src;
    const start = this.pos - 1;
    let c: number;
    if (negative) {
      if (this.pos >= src.length) this.fail('Unexpected end-of-input in a Number value');
      c = src.charCodeAt(this.pos++);
      if (!isDigit(c)) {
        if (c === 73) { this.word('Infinity'); this.fail("Non-standard token '-Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"); }
        this.fail(`Unexpected character (${charDesc(c)}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`);
      }
    } else c = src.charCodeAt(start);
    if (c === 48 && isDigit(src.charCodeAt(this.pos))) this.fail('Invalid numeric value: Leading zeroes not allowed');
    // Jackson reads a number starting with 0 through its slow path, which consumes a bad
    // character after '.' or 'e'; the fast path reports it from just after the first '.' or 'e'.
    const slow = c === 48;
    let entry = -1;
    const bad = (mark: number, comment: string): never => {
      let ch = mark;
      if (this.pos < src.length) {
        ch = src.charCodeAt(this.pos);
        this.pos = slow ? this.pos + 1 : entry;
      }
      this.fail(`Unexpected character (${charDesc(ch)}) in numeric value: ${comment}`);
    };
    while (isDigit(src.charCodeAt(this.pos))) this.pos++;
    let float = false;
    if (src.charCodeAt(this.pos) === 46) {
      float = true;
      entry = ++this.pos;
      if (!isDigit(src.charCodeAt(this.pos))) bad(46, 'Decimal point not followed by a digit');
      while (isDigit(src.charCodeAt(this.pos))) this.pos++;
    }
    const e = src.charCodeAt(this.pos);
    if (e === 101 || e === 69) {
      float = true;
      this.pos++;
      if (entry < 0) entry = this.pos;
      const sign = src.charCodeAt(this.pos);
      if (sign === 43 || sign === 45) this.pos++;
      if (!isDigit(src.charCodeAt(this.pos))) bad(this.pos < src.length ? 0 : src.charCodeAt(this.pos - 1), 'Exponent indicator not followed by a digit');
      while (isDigit(src.charCodeAt(this.pos))) this.pos++;
    }
    this.numberText = src.slice(start, this.pos);
    // A root-level value must be followed by white space (Jackson's _verifyRootSpace).
    if (this.stack.length === 1 && this.pos < src.length) {
      const after = src.charCodeAt(this.pos);
      if (after !== 32 && after !== 9 && after !== 10 && after !== 13) {
        this.pos++;
        this.unexpected(after, 'Expected space separating root-level values');
      }
    }
    return float ? 'FLOAT' : 'INT';
  }

  private readName(): string {
    let out = '';
    let from = this.pos;
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos++);
      if (c === 34) return out + src.slice(from, this.pos - 1);
      if (c === 92) {
        out += src.slice(from, this.pos - 1) + this.escape();
        from = this.pos;
      } else if (c < 32) this.fail(`Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in name`);
    }
    this.fail("Unexpected end-of-input: was expecting closing '\"' for name");
  }

  /** The rest of a string value: decoded when `keep`, else only skipped (with the same checks). */
  private readString(keep: boolean): void {
    this.stringPending = false;
    let out = '';
    let from = this.pos;
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos++);
      if (c === 34) {
        if (keep) this.stringValue = out + src.slice(from, this.pos - 1);
        return;
      }
      if (c === 92) {
        out += src.slice(from, this.pos - 1);
        out += this.escape();
        from = this.pos;
      } else if (c < 32) this.fail(`Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in string value`);
    }
    this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
  }

  /** After a backslash: the escaped character. */
  private escape(): string {
    if (this.pos >= this.src.length) this.fail('Unexpected end-of-input in character escape sequence');
    const c = this.src.charCodeAt(this.pos++);
    switch (c) {
      case 98: return '\b';
      case 116: return '\t';
      case 110: return '\n';
      case 102: return '\f';
      case 114: return '\r';
      case 34: case 47: case 92: return String.fromCharCode(c);
      case 117: {
        let v = 0;
        for (let i = 0; i < 4; i++) {
          if (this.pos >= this.src.length) this.fail('Unexpected end-of-input in character escape sequence');
          const h = this.src.charCodeAt(this.pos++);
          if (!isHex(h)) this.unexpected(h, 'expected a hex-digit for character escape sequence');
          v = (v << 4) | parseInt(String.fromCharCode(h), 16);
        }
        return String.fromCharCode(v);
      }
      default:
        this.fail(`Unrecognized character escape ${charDesc(c)}`);
    }
  }
}
