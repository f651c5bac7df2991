// The syntax error Go's encoding/json reports for a malformed document ("invalid character 'x'
// looking for beginning of value", "unexpected end of JSON input"), since kube-apiserver's 400
// messages embed it. A small scanner with the same states as encoding/json/scanner.go.

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class Syntax extends Error {}

/** Returns Go's error text for text, or null when text is valid JSON. */
export function goJsonSyntaxError(text: string): string | null {
  let i = 0;
  const n = text.length;
  const ws = () => { while (i < n && ' \t\r\n'.includes(text[i]!)) i++; };
  const fail = (ctx: string): never => {
    if (i >= n) throw new Syntax('unexpected end of JSON input');
    throw new Syntax(`invalid character ${quoteChar(text[i]!)} ${ctx}`);
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= n) fail('');
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i++;
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= n) fail('');
      const c = text[i]!;
      if (c === '"') { i++; return; }
      if (c === '\\') {
        i++;
        if (i >= n) fail('');
        const e = text[i]!;
        if ('"\\/bfnrt'.includes(e)) { i++; continue; }
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) fail('');
            if (!/[0-9a-fA-F]/.test(text[i]!)) fail('in \\u hexadecimal character escape');
          }
          i++;
          continue;
        }
        fail('in string escape code');
      }
      if (c.charCodeAt(0) < 0x20) fail('in string literal');
      i++;
    }
  };
  const num = () => {
    if (text[i] === '-') { i++; if (i >= n) fail(''); if (!/[0-9]/.test(text[i]!)) fail('in numeric literal'); }
    if (text[i] === '0') i++;
    else while (i < n && /[0-9]/.test(text[i]!)) i++;
    if (text[i] === '.') {
      i++;
      if (i >= n) fail('');
      if (!/[0-9]/.test(text[i]!)) fail('after decimal point in numeric literal');
      while (i < n && /[0-9]/.test(text[i]!)) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= n) fail('');
      if (!/[0-9]/.test(text[i]!)) fail('in exponent of numeric literal');
      while (i < n && /[0-9]/.test(text[i]!)) i++;
    }
  };
  const value = (): void => {
    ws();
    if (i >= n) fail('');
    const c = text[i]!;
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        str(); ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < n) fail('after top-level value');
    return null;
  } catch (e) {
    if (e instanceof Syntax) return e.message;
    throw e;
  }
}
