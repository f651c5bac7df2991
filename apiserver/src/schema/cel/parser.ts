// A recursive-descent parser for CEL expressions (cel-spec langdef grammar) producing ast.ts nodes,
// with cel-go's macro forms recognised during parsing. Message construction (`T{...}`) and
// optional aggregate elements (`[?x]`, `{?k: v}`) are rejected: CRD rules have no message types.
import type { Expr } from './ast.js';
import { CelSyntaxError, reservedWords, tokenize, type Token } from './lexer.js';

const maxRecursion = 250;
const namespaces = new Set(['optional', 'sets', 'math', 'strings', 'base64', 'format']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token { return this.toks[this.i]; }
  private next(): Token { return this.toks[this.i++]; }
  private is(text: string): boolean { const t = this.peek(); return t.kind === 'punct' && t.text === text; }
  private accept(text: string): boolean { if (this.is(text)) { this.i++; return true; } return false; }
  private expect(text: string): Token {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === text) return this.next();
    throw this.mismatch(t, `'${text}'`);
  }
  private mismatch(t: Token, expecting?: string): CelSyntaxError {
    const shown = t.kind === 'eof' ? '<EOF>' : `'${t.text}'`;
    return new CelSyntaxError(`Syntax error: mismatched input ${shown}${expecting ? ` expecting ${expecting}` : ''}`, t.pos);
  }

  parseTop(): Expr {
    const e = this.expr();
    const t = this.peek();
    if (t.kind !== 'eof') throw new CelSyntaxError(`Syntax error: extraneous input '${t.text}' expecting <EOF>`, t.pos);
    return e;
  }

  private expr(): Expr {
    if (++this.depth > maxRecursion) throw new CelSyntaxError('expression recursion limit exceeded: 250', this.peek().pos);
    try {
      const cond = this.or();
      if (this.is('?')) {
        const q = this.next();
        const a = this.or();
        this.expect(':');
        const b = this.expr();
        return { k: 'call', pos: q.pos, fn: '_?_:_', args: [cond, a, b] };
      }
      return cond;
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    let left = this.and();
    while (this.is('||')) { const op = this.next(); left = { k: 'call', pos: op.pos, fn: '_||_', args: [left, this.and()] }; }
    return left;
  }

  private and(): Expr {
    let left = this.relation();
    while (this.is('&&')) { const op = this.next(); left = { k: 'call', pos: op.pos, fn: '_&&_', args: [left, this.relation()] }; }
    return left;
  }

  private relation(): Expr {
    let left = this.addition();
    const ops: Record<string, string> = { '<': '_<_', '<=': '_<=_', '>': '_>_', '>=': '_>=_', '==': '_==_', '!=': '_!=_' };
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && ops[t.text]) { this.next(); left = { k: 'call', pos: t.pos, fn: ops[t.text], args: [left, this.addition()] }; continue; }
      if (t.kind === 'ident' && t.text === 'in') { this.next(); left = { k: 'call', pos: t.pos, fn: '@in', args: [left, this.addition()] }; continue; }
      return left;
    }
  }

  private addition(): Expr {
    let left = this.multiplication();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && (t.text === '+' || t.text === '-')) {
        this.next();
        left = { k: 'call', pos: t.pos, fn: t.text === '+' ? '_+_' : '_-_', args: [left, this.multiplication()] };
        continue;
      }
      return left;
    }
  }

  private multiplication(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && (t.text === '*' || t.text === '/' || t.text === '%')) {
        this.next();
        left = { k: 'call', pos: t.pos, fn: `_${t.text}_`, args: [left, this.unary()] };
        continue;
      }
      return left;
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '!') {
      let n = 0;
      while (this.is('!')) { this.next(); n++; }
      let e = this.member();
      for (let j = 0; j < n; j++) e = { k: 'call', pos: t.pos, fn: '!_', args: [e] };
      return e;
    }
    if (t.kind === 'punct' && t.text === '-') {
      let n = 0;
      while (this.is('-')) { this.next(); n++; }
      let e = this.member();
      // cel-go folds a negated numeric literal into the literal (so -9223372036854775808 is valid).
      if (n % 2 === 1 && e.k === 'lit' && (e.type === 'int' || e.type === 'double') && e.pos === t.pos + n) {
        e = { ...e, pos: t.pos, value: e.type === 'int' ? -(e.value as bigint) : -(e.value as number) };
        n--;
      }
      for (let j = 0; j < n; j++) e = { k: 'call', pos: t.pos, fn: '-_', args: [e] };
      return e;
    }
    return this.member();
  }

  private member(): Expr {
    let e = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct') return e;
      if (t.text === '.') {
        this.next();
        // optional field selection is spelled `x.?field`
        const optionalSel = this.accept('?');
        const id = this.next();
        if (id.kind !== 'ident') throw this.mismatch(id, 'IDENTIFIER');
        if (!optionalSel && this.is('(')) {
          this.next();
          const args = this.args(')');
          if (e.k === 'ident' && namespaces.has(e.name)) {
            // namespaced functions: optional.of(x), sets.contains(a, b)
            e = { k: 'call', pos: e.pos, fn: `${e.name}.${id.text}`, args };
            continue;
          }
          e = this.macroOrCall(id, e, args, t.pos);
          continue;
        }
        e = { k: 'select', pos: t.pos, operand: e, field: id.text, test: false, optional: optionalSel };
        continue;
      }
      if (t.text === '[' || t.text === '[?') {
        this.next();
        const idx = this.expr();
        this.expect(']');
        e = { k: 'index', pos: t.pos, operand: e, index: idx, optional: t.text === '[?' };
        continue;
      }
      return e;
    }
  }

  private args(close: string): Expr[] {
    const out: Expr[] = [];
    if (this.accept(close)) return out;
    for (;;) {
      out.push(this.expr());
      if (this.accept(close)) return out;
      this.expect(',');
    }
  }

  private macroOrCall(id: Token, target: Expr | undefined, args: Expr[], pos: number): Expr {
    const name = id.text;
    if (target === undefined && name === 'has' && args.length === 1) {
      const a = args[0];
      if (a.k !== 'select' || a.optional) throw new CelSyntaxError('invalid argument to has() macro', a.pos);
      return { ...a, test: true };
    }
    if (target !== undefined && (name === 'all' || name === 'exists' || name === 'exists_one' || name === 'filter') && args.length === 2) {
      const v = this.iterVar(args[0]);
      return { k: 'comp', pos, macro: name, range: target, iterVar: v, body: args[1] };
    }
    if (target !== undefined && name === 'map' && (args.length === 2 || args.length === 3)) {
      const v = this.iterVar(args[0]);
      if (args.length === 3) return { k: 'comp', pos, macro: 'map', range: target, iterVar: v, filter: args[1], body: args[2] };
      return { k: 'comp', pos, macro: 'map', range: target, iterVar: v, body: args[1] };
    }
    return { k: 'call', pos: target ? pos : id.pos, fn: name, target, args };
  }

  private iterVar(e: Expr): string {
    if (e.k !== 'ident') throw new CelSyntaxError('argument is not an identifier', e.pos);
    return e.name;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'int': return { k: 'lit', pos: t.pos, value: t.value, type: 'int' };
      case 'uint': return { k: 'lit', pos: t.pos, value: t.value, type: 'uint' };
      case 'double': return { k: 'lit', pos: t.pos, value: t.value, type: 'double' };
      case 'string': return { k: 'lit', pos: t.pos, value: t.value, type: 'string' };
      case 'bytes': return { k: 'lit', pos: t.pos, value: t.value, type: 'bytes' };
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') return { k: 'lit', pos: t.pos, value: t.text === 'true', type: 'bool' };
        if (t.text === 'null') return { k: 'lit', pos: t.pos, value: null, type: 'null' };
        if (reservedWords.has(t.text) || t.text === 'in') throw new CelSyntaxError(`reserved identifier: ${t.text}`, t.pos);
        const name = t.text;
        // qualified names (optional.none, sets.contains) are resolved by the checker as dotted idents
        if (this.is('(')) {
          this.next();
          return this.macroOrCall(t, undefined, this.args(')'), t.pos);
        }
        if (this.is('{')) throw new CelSyntaxError(`Syntax error: message construction is not supported: ${name}{`, this.peek().pos);
        return { k: 'ident', pos: t.pos, name };
      }
      case 'punct':
        if (t.text === '(') { const e = this.expr(); this.expect(')'); return e; }
        if (t.text === '[') {
          if (this.is('?')) throw new CelSyntaxError('Syntax error: optional list elements are not supported', this.peek().pos);
          const elems = this.args(']').filter((x) => x !== undefined);
          return { k: 'list', pos: t.pos, elems };
        }
        if (t.text === '[?') throw new CelSyntaxError('Syntax error: optional list elements are not supported', t.pos);
        if (t.text === '{') {
          const entries: { key: Expr; value: Expr }[] = [];
          if (this.accept('}')) return { k: 'map', pos: t.pos, entries };
          for (;;) {
            if (this.is('?')) throw new CelSyntaxError('Syntax error: optional map entries are not supported', this.peek().pos);
            const key = this.expr();
            this.expect(':');
            const value = this.expr();
            entries.push({ key, value });
            if (this.accept('}')) return { k: 'map', pos: t.pos, entries };
            this.expect(',');
            if (this.accept('}')) return { k: 'map', pos: t.pos, entries };
          }
        }
        if (t.text === '.') {
          const id = this.next();
          if (id.kind !== 'ident') throw this.mismatch(id, 'IDENTIFIER');
          return { k: 'ident', pos: id.pos, name: id.text };
        }
        throw this.mismatch(t);
      default:
        throw new CelSyntaxError('Syntax error: mismatched input \'<EOF>\' expecting {\'[\', \'{\', \'(\', \'.\', \'-\', \'!\', \'true\', \'false\', \'null\', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}', t.pos);
    }
  }
}

export function parseCel(src: string): Expr {
  return new Parser(tokenize(src)).parseTop();
}
