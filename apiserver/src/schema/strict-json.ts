// JSON decoding as sigs.k8s.io/json does it for the API server: duplicate object keys are reported
// as paths (`duplicate field "spec.x"` is a strict decoding error), integer literals stay exact
// (int64 as bigint when beyond 2^53; beyond int64 they become float64 as in Go), and syntax errors
// carry encoding/json's wording. JSON.parse can do none of that.

export class JsonSyntaxError extends Error {
  readonly code = 'JSON_SYNTAX';
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function quoteChar(c: string): string {
  // encoding/json's quoteChar: 'x', with ' and " escaped and controls as \u00XX
  if (c === "'") return '\'\\\'\'';
  if (c === '"') return '\'"\'';
  const cp = c.codePointAt(0) as number;
  if (cp < 0x20) return `'\\x${cp.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

class Parser {
  private i = 0;
  readonly duplicates: string[] = [];
  constructor(private readonly s: string) {}

  parseTop(): unknown {
    this.ws();
    if (this.i >= this.s.length) throw this.eof();
    const v = this.value('');
    this.ws();
    if (this.i < this.s.length) {
      throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i])} after top-level value`, this.i);
    }
    return v;
  }

  private eof(): JsonSyntaxError {
    return new JsonSyntaxError('unexpected end of JSON input', this.i);
  }

  private ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  private value(path: string): unknown {
    if (this.i >= this.s.length) throw this.eof();
    const c = this.s[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (this.s.startsWith('true', this.i)) { this.i += 4; return true; }
    if (this.s.startsWith('false', this.i)) { this.i += 5; return false; }
    if (this.s.startsWith('null', this.i)) { this.i += 4; return null; }
    return this.literalError(c);
  }

  private literalError(c: string): never {
    const lits = ['true', 'false', 'null'];
    for (const lit of lits) {
      if (c === lit[0]) {
        let j = 0;
        while (j < lit.length && this.i + j < this.s.length && this.s[this.i + j] === lit[j]) j++;
        if (this.i + j >= this.s.length) throw this.eof();
        throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i + j])} in literal ${lit} (expecting ${quoteChar(lit[j])})`, this.i + j);
      }
    }
    throw new JsonSyntaxError(`invalid character ${quoteChar(c)} looking for beginning of value`, this.i);
  }

  private object(path: string): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return out; }
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      if (this.s[this.i] !== '"') {
        throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i])} looking for beginning of object key string`, this.i);
      }
      const key = this.string();
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      if (this.s[this.i] !== ':') throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i])} after object key`, this.i);
      this.i++;
      this.ws();
      const childPath = path ? `${path}.${key}` : key;
      const v = this.value(childPath);
      if (seen.has(key)) this.duplicates.push(childPath);
      seen.add(key);
      // NB: a JS object with a "__proto__" own key must be created with defineProperty.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') throw new JsonSyntaxError(`invalid character ${quoteChar(c)} after object key:value pair`, this.i - 1);
    }
  }

  private array(path: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === ']') { this.i++; return out; }
    for (;;) {
      this.ws();
      out.push(this.value(`${path}[${out.length}]`));
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') throw new JsonSyntaxError(`invalid character ${quoteChar(c)} after array element`, this.i - 1);
    }
  }

  private string(): string {
    this.i++;
    let out = '';
    let start = this.i;
    for (;;) {
      if (this.i >= this.s.length) throw this.eof();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) {
        out += this.s.slice(start, this.i);
        this.i++;
        return out.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
      }
      if (c < 0x20) throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i])} in string literal`, this.i);
      if (c === 0x5c) {
        out += this.s.slice(start, this.i);
        const e = this.s[this.i + 1];
        if (e === undefined) { this.i++; throw this.eof(); }
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (simple[e] !== undefined) {
          out += simple[e];
          this.i += 2;
        } else if (e === 'u') {
          const hex = this.s.slice(this.i + 2, this.i + 6);
          for (let k = 0; k < 4; k++) {
            if (this.i + 2 + k >= this.s.length) { this.i = this.s.length; throw this.eof(); }
            if (!/[0-9a-fA-F]/.test(hex[k])) {
              throw new JsonSyntaxError(`invalid character ${quoteChar(hex[k])} in \\u hexadecimal character escape`, this.i + 2 + k);
            }
          }
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else {
          throw new JsonSyntaxError(`invalid character ${quoteChar(e)} in string escape code`, this.i + 1);
        }
        start = this.i;
        continue;
      }
      this.i++;
    }
  }

  private number(): number | bigint {
    const re = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (!m || m[0] === '-') {
      const at = this.i + 1;
      if (at >= this.s.length) throw this.eof();
      throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[at])} in numeric literal`, at);
    }
    const text = m[0];
    const next = this.s[this.i + text.length];
    if (next === '.' || next === 'e' || next === 'E') {
      const at = this.i + text.length + 1;
      if (at >= this.s.length) throw this.eof();
      throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[at])} after decimal point in numeric literal`, at);
    }
    this.i += text.length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
      const big = BigInt(text);
      if (big >= INT64_MIN && big <= INT64_MAX) return big;
      return n;
    }
    return Number(text);
  }
}

/** Strict JSON decoding helper: JSON.parse that also reports duplicate keys (paths) and keeps
 *  integers exact (int64 beyond 2^53 as bigint). Throws JsonSyntaxError with encoding/json's wording. */
export function parseJsonStrict(text: string): { value: unknown; duplicates: string[] } {
  const p = new Parser(text);
  const value = p.parseTop();
  return { value, duplicates: p.duplicates };
}

/** JSON.stringify that writes bigints as JSON integers (the inverse of parseJsonStrict). */
export function stringifyJson(value: unknown, indent?: number): string {
  const marks: string[] = [];
  // A per-call nonce keeps a user string from ever looking like a placeholder.
  const nonce = Math.random().toString(36).slice(2);
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') {
      marks.push(v.toString());
      return `bigint:${nonce}:${marks.length - 1}`;
    }
    return v;
  }, indent);
  if (marks.length === 0) return text;
  return text.replace(new RegExp(`"bigint:${nonce}:(\\d+)"`, 'g'), (_m, idx: string) => marks[Number(idx)]);
}

export type ParsedJson = { value: unknown; duplicates: string[]; syntax?: undefined } | { syntax: string };

/** parseJsonStrict; a syntax error comes back worded as encoding/json words it. */
export function parseJson(text: string): ParsedJson {
  try {
    return parseJsonStrict(text);
  } catch (e) {
    if ((e as { code?: string }).code === 'JSON_SYNTAX') return { syntax: (e as Error).message };
    throw e;
  }
}
