// Tokens of the CEL grammar (github.com/google/cel-spec, doc/langdef.md): literals with their
// escapes and prefixes, identifiers, reserved words and operators including optional syntax.

type TokKind = 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'ident' | 'punct' | 'eof';

export interface Token { kind: TokKind; text: string; value?: unknown; pos: number }

export class CelSyntaxError extends Error {
  readonly code = 'CEL_SYNTAX';
  constructor(message: string, readonly pos: number) {
    super(message);
    this.name = 'CelSyntaxError';
  }
}

const puncts = ['[?', '==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '{', '}', '.', ',', ':', '?', '!', '-', '+', '*', '/', '%', '<', '>'];

export const reservedWords = new Set(['as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

function unescape(body: string, raw: boolean, isBytes: boolean, pos: number): string | Uint8Array {
  if (raw) return isBytes ? new TextEncoder().encode(body) : body;
  const bytes: number[] = [];
  let out = '';
  const pushCp = (cp: number) => {
    if (isBytes) bytes.push(...new TextEncoder().encode(String.fromCodePoint(cp)));
    else out += String.fromCodePoint(cp);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { pushCp(body.codePointAt(i) as number); if ((body.codePointAt(i) as number) > 0xffff) i++; continue; }
    const e = body[++i];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
    if (e !== undefined && simple[e] !== undefined) { pushCp(simple[e]); continue; }
    if (e === 'x' || e === 'X') {
      const h = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new CelSyntaxError('Syntax error: invalid escape sequence', pos);
      if (isBytes) bytes.push(parseInt(h, 16)); else out += String.fromCodePoint(parseInt(h, 16));
      i += 2;
      continue;
    }
    if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new CelSyntaxError('Syntax error: invalid escape sequence', pos);
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new CelSyntaxError('Syntax error: invalid unicode code point', pos);
      pushCp(cp);
      i += n;
      continue;
    }
    if (e !== undefined && /[0-3]/.test(e)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-3][0-7]{2}$/.test(o)) throw new CelSyntaxError('Syntax error: invalid escape sequence', pos);
      if (isBytes) bytes.push(parseInt(o, 8)); else out += String.fromCodePoint(parseInt(o, 8));
      i += 2;
      continue;
    }
    throw new CelSyntaxError(`Syntax error: token recognition error at: '\\${e ?? ''}'`, pos);
  }
  return isBytes ? Uint8Array.from(bytes) : out;
}

export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    const start = i;
    // string and bytes literals, with optional r/b prefixes
    let k = i;
    let prefixText = '';
    while (k < i + 2 && /[rRbB]/.test(src[k] ?? '')) prefixText += src[k++].toLowerCase();
    const quoteAt = src.startsWith("'''", k) ? "'''" : src.startsWith('"""', k) ? '"""' : src[k] === "'" || src[k] === '"' ? src[k] : '';
    if (quoteAt !== '' && !(prefixText.length === 2 && prefixText[0] === prefixText[1])) {
      const pre = [src.slice(i, k + quoteAt.length), prefixText, quoteAt];
      const prefix = pre[1];
      const quote = pre[2];
      let j = i + pre[0].length;
      const raw = prefix.includes('r');
      let body = '';
      for (;;) {
        if (j >= src.length) throw new CelSyntaxError(`Syntax error: token recognition error at: '${src.slice(start)}'`, start);
        if (src.startsWith(quote, j)) break;
        if (quote.length === 1 && (src[j] === '\n' || src[j] === '\r')) throw new CelSyntaxError(`Syntax error: token recognition error at: '${src.slice(start, j)}'`, start);
        if (src[j] === '\\' && !raw) { body += src[j] + (src[j + 1] ?? ''); j += 2; continue; }
        if (src[j] === '\\' && raw) { body += src[j]; j++; if (src[j] === quote[0] && quote.length === 1) { body += src[j]; j++; } continue; }
        body += src[j++];
      }
      j += quote.length;
      const isBytes = prefix.includes('b');
      toks.push({ kind: isBytes ? 'bytes' : 'string', text: src.slice(start, j), value: unescape(body, raw, isBytes, start), pos: start });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const hex = /^0[xX][0-9a-fA-F]+[uU]?/.exec(src.slice(i));
      if (hex) {
        const t = hex[0];
        const isU = /[uU]$/.test(t);
        const v = BigInt(t.replace(/[uU]$/, ''));
        toks.push({ kind: isU ? 'uint' : 'int', text: t, value: v, pos: start });
        i += t.length;
        continue;
      }
      const m = /^([0-9]*\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)([uU])?/.exec(src.slice(i));
      const t = m![0];
      if (m![5]) {
        if (/[.eE]/.test(t)) throw new CelSyntaxError(`Syntax error: token recognition error at: '${t}'`, start);
        toks.push({ kind: 'uint', text: t, value: BigInt(t.slice(0, -1)), pos: start });
      } else if (/[.eE]/.test(t)) {
        toks.push({ kind: 'double', text: t, value: Number(t), pos: start });
      } else {
        toks.push({ kind: 'int', text: t, value: BigInt(t), pos: start });
      }
      i += t.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      toks.push({ kind: 'ident', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const p = puncts.find((x) => src.startsWith(x, i));
    if (!p) throw new CelSyntaxError(`Syntax error: token recognition error at: '${c}'`, start);
    // "[?" only starts an optional index after an operand; "[" followed by "?" elsewhere is a list.
    toks.push({ kind: 'punct', text: p, pos: start });
    i += p.length;
  }
  toks.push({ kind: 'eof', text: '<EOF>', pos: src.length });
  return toks;
}
