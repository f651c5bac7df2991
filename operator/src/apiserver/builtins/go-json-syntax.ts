// Go's encoding/json syntax check (scanner.go's checkValid) with its error messages, for the Secret
// types whose data must be a JSON object (.dockercfg, .dockerconfigjson): the 422 quotes the Go
// error, e.g. "invalid character 'x' looking for beginning of value".

const NAMED_ESCAPES: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v' };

/** Go's quoteChar: the byte as a rune, strconv.Quote'd, in single quotes */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const named = NAMED_ESCAPES[c];
  if (named !== undefined) return `'${named}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if ((c >= 0x80 && c < 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

type Context = 'object' | 'array';

class GoSyntaxError extends Error {}

function fail(c: number, context: string): never {
  throw new GoSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Walks the bytes like Go's scanner; returns the top-level value's kind or throws GoSyntaxError. */
function scan(bytes: Buffer): string {
  let i = 0;
  const stack: Context[] = [];
  const eof = (): never => {
    throw new GoSyntaxError('unexpected end of JSON input');
  };
  const peek = (): number => (i < bytes.length ? bytes[i]! : -1);
  const skipSpace = (): void => {
    while (i < bytes.length && isSpace(bytes[i]!)) i++;
  };
  const literal = (word: string): void => {
    for (let k = 1; k < word.length; k++) {
      const c = peek();
      if (c < 0) eof();
      if (c !== word.charCodeAt(k)) fail(c, `in literal ${word} (expecting '${word[k]}')`);
      i++;
    }
  };
  const string = (): void => {
    for (;;) {
      const c = peek();
      if (c < 0) eof();
      i++;
      if (c === 0x22) return;
      if (c < 0x20) fail(c, 'in string literal');
      if (c === 0x5c) {
        const e = peek();
        if (e < 0) eof();
        i++;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            const h = peek();
            if (h < 0) eof();
            if (!isHex(h)) fail(h, 'in \\u hexadecimal character escape');
            i++;
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          fail(e, 'in string escape code');
        }
      }
    }
  };
  const number = (): void => {
    if (peek() === 0x2d) {
      i++;
      const c = peek();
      if (c < 0) eof();
      if (!isDigit(c)) fail(c, 'in numeric literal');
    }
    if (peek() === 0x30) i++;
    else while (isDigit(peek())) i++;
    if (peek() === 0x2e) {
      i++;
      const c = peek();
      if (c < 0) eof();
      if (!isDigit(c)) fail(c, 'after decimal point in numeric literal');
      while (isDigit(peek())) i++;
    }
    if (peek() === 0x65 || peek() === 0x45) {
      i++;
      if (peek() === 0x2b || peek() === 0x2d) i++;
      const c = peek();
      if (c < 0) eof();
      if (!isDigit(c)) fail(c, 'in exponent of numeric literal');
      while (isDigit(peek())) i++;
    }
  };
  const value = (): string => {
    skipSpace();
    const c = peek();
    if (c < 0) eof();
    i++;
    switch (c) {
      case 0x7b: return 'object';
      case 0x5b: return 'array';
      case 0x22: string(); return 'string';
      case 0x74: literal('true'); return 'bool';
      case 0x66: literal('false'); return 'bool';
      case 0x6e: literal('null'); return 'null';
      default:
        if (c === 0x2d || isDigit(c)) {
          i--;
          number();
          return 'number';
        }
        return fail(c, 'looking for beginning of value');
    }
  };

  const top = value();
  let current = top;
  for (;;) {
    if (current === 'object') {
      stack.push('object');
      skipSpace();
      const c = peek();
      if (c < 0) eof();
      if (c === 0x7d) { i++; stack.pop(); current = 'done'; continue; }
      if (c !== 0x22) fail(c, 'looking for beginning of object key string');
      i++;
      string();
      skipSpace();
      const colon = peek();
      if (colon < 0) eof();
      if (colon !== 0x3a) fail(colon, 'after object key');
      i++;
      current = value();
      continue;
    }
    if (current === 'array') {
      stack.push('array');
      skipSpace();
      if (peek() < 0) eof();
      if (peek() === 0x5d) { i++; stack.pop(); current = 'done'; continue; }
      current = value();
      continue;
    }
    // a value just ended: close containers or move to the next element
    const ctx = stack[stack.length - 1];
    skipSpace();
    const c = peek();
    if (ctx === undefined) {
      if (c >= 0) fail(c, 'after top-level value');
      return top;
    }
    if (c < 0) eof();
    i++;
    if (ctx === 'object') {
      if (c === 0x7d) { stack.pop(); current = 'done'; continue; }
      if (c !== 0x2c) fail(c, 'after object key:value pair');
      skipSpace();
      const q = peek();
      if (q < 0) eof();
      if (q !== 0x22) fail(q, 'looking for beginning of object key string');
      i++;
      string();
      skipSpace();
      const colon = peek();
      if (colon < 0) eof();
      if (colon !== 0x3a) fail(colon, 'after object key');
      i++;
      current = value();
    } else {
      if (c === 0x5d) { stack.pop(); current = 'done'; continue; }
      if (c !== 0x2c) fail(c, 'after array element');
      current = value();
    }
  }
}

/** The error Go's json.Unmarshal(text, &map[string]interface{}{}) returns, or undefined. */
export function goJsonObjectError(text: string): string | undefined {
  try {
    const top = scan(Buffer.from(text, 'utf8'));
    if (top === 'object' || top === 'null') return undefined;
    return `json: cannot unmarshal ${top} into Go value of type map[string]interface {}`;
  } catch (err) {
    if (err instanceof GoSyntaxError) return err.message;
    throw err;
  }
}
