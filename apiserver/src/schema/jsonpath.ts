// The JSONPath dialect of k8s.io/client-go/util/jsonpath, as printer columns use it: the column's
// path is parsed as the template "{<path>}" with missing keys allowed. Supported: fields (.a,
// ['a']), indices and slices ([0], [-1], [1:3], [*]), wildcards, recursive descent (..), unions
// ([0,1]) and filters ([?(@.type=="Ready")], with ==, !=, <, >, <=, >= and existence).

export class JsonPathError extends Error {
  readonly code = 'JSONPATH';
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

type Node =
  | { t: 'list'; nodes: Node[] }
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'filter'; left: Node & { t: 'list' }; right: Node & { t: 'list' }; op: string }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; nodes: (Node & { t: 'list' })[] }
  | { t: 'identifier'; name: string };

interface Param { known: boolean; value: number; derived: boolean }

const list = (): Node & { t: 'list' } => ({ t: 'list', nodes: [] });

function isTerminator(c: string | undefined): boolean {
  return c === undefined || ' \t\r\n.,[]$@{}'.includes(c);
}

class Parser {
  pos = 0;
  start = 0;
  root = list();
  constructor(private readonly input: string) {}

  parse(): Node & { t: 'list' } {
    this.parseText(this.root);
    return this.root;
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  private parseText(cur: Node & { t: 'list' }): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
        this.pos += 1;
        this.consume();
        const n = list();
        cur.nodes.push(n);
        this.parseInside(n);
        return;
      }
      if (this.pos >= this.input.length) break;
      this.pos++;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
  }

  private parseInside(cur: Node & { t: 'list' }): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consume();
        this.parseText(this.root);
        return;
      }
      if (rest.startsWith('[?(')) { this.parseFilter(cur); continue; }
      if (rest.startsWith('..')) {
        const last = cur.nodes[cur.nodes.length - 1];
        if (last && last.t === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
        this.pos += 2;
        this.consume();
        cur.nodes.push({ t: 'recursive' });
        if (/[\p{L}\p{N}_]/u.test(this.input[this.pos] ?? '')) this.parseField(cur);
        continue;
      }
      const r = this.input[this.pos];
      if (r === undefined || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      this.pos++;
      if (r === ' ' || r === '@' || r === '$') { this.consume(); continue; }
      if (r === '[') { this.parseArray(cur); continue; }
      if (r === '"' || r === "'") { this.parseQuote(cur, r); continue; }
      if (r === '.') { this.parseField(cur); continue; }
      if (r === '+' || r === '-' || /\p{Nd}/u.test(r)) { this.pos--; this.parseNumber(cur); continue; }
      if (/[\p{L}\p{N}_]/u.test(r)) { this.pos--; this.parseIdentifier(cur); continue; }
      throw new JsonPathError(`unrecognized character in action: U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${r}'`);
    }
  }

  private parseIdentifier(cur: Node & { t: 'list' }): void {
    while (!isTerminator(this.input[this.pos])) this.pos++;
    const v = this.consume();
    if (v === 'true' || v === 'false') cur.nodes.push({ t: 'bool', value: v === 'true' });
    else cur.nodes.push({ t: 'identifier', name: v });
  }

  private parseNumber(cur: Node & { t: 'list' }): void {
    if (this.input[this.pos] === '+' || this.input[this.pos] === '-') this.pos++;
    while (this.input[this.pos] === '.' || /\p{Nd}/u.test(this.input[this.pos] ?? '')) this.pos++;
    const v = this.consume();
    if (/^[+-]?\d+$/.test(v)) cur.nodes.push({ t: 'int', value: Number(v) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v)) cur.nodes.push({ t: 'float', value: Number(v) });
    else throw new JsonPathError(`cannot parse number ${v}`);
  }

  private parseArray(cur: Node & { t: 'list' }): void {
    for (;;) {
      const c = this.input[this.pos++];
      if (c === undefined || c === '\n') throw new JsonPathError('unterminated array');
      if (c === ']') break;
    }
    let text = this.consume();
    text = text.slice(1, text.length - 1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      cur.nodes.push({ t: 'union', nodes: strs.map((s) => parseAction(`[${s.trim()}]`)) });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1]}`).nodes);
      return;
    }
    const m = /^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$/.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const parts = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: Param[] = [];
    for (let i = 0; i < 3; i++) {
      let v = parts[i];
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ known: false, value: 0, derived: false });
        else {
          if (!/^-?\d+$/.test(v)) throw new JsonPathError(`array index ${v} is not a number`);
          params.push({ known: true, value: Number(v), derived: false });
        }
      } else if (i === 1) {
        params.push({ known: true, value: params[0].value + 1, derived: true });
      } else {
        params.push({ known: false, value: 0, derived: false });
      }
    }
    cur.nodes.push({ t: 'array', params: params as [Param, Param, Param] });
  }

  private parseFilter(cur: Node & { t: 'list' }): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.input[this.pos++];
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) { begin = true; pair = r; continue; }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')') {
        if (begin === end) break;
      }
    }
    if (this.input[this.pos++] !== ']') throw new JsonPathError('unclosed array expect ]');
    let text = this.consume();
    text = text.slice(0, text.length - 2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) cur.nodes.push({ t: 'filter', left: parseAction(text), right: list(), op: 'exists' });
    else cur.nodes.push({ t: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), op: m[2] });
  }

  private parseQuote(cur: Node & { t: 'list' }, endCh: string): void {
    for (;;) {
      const c = this.input[this.pos++];
      if (c === undefined || c === '\n') throw new JsonPathError('unterminated quoted string');
      if (c === endCh && this.input[this.pos - 2] !== '\\') break;
    }
    const v = this.consume();
    const body = v.slice(1, v.length - 1).replace(/\\(.)/g, (_m, ch: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[ch] ?? ch);
    cur.nodes.push({ t: 'text', text: body });
  }

  private parseField(cur: Node & { t: 'list' }): void {
    this.consume();
    for (;;) {
      const r = this.input[this.pos];
      if (r === '\\') { this.pos += 2; continue; }
      if (isTerminator(r)) break;
      this.pos++;
    }
    const v = this.consume();
    if (v === '*') cur.nodes.push({ t: 'wildcard' });
    else cur.nodes.push({ t: 'field', name: v.replace(/\\/g, '') });
  }
}

function parseAction(text: string): Node & { t: 'list' } {
  const p = new Parser(`{${text}}`);
  const root = p.parse();
  return root.nodes[0] as Node & { t: 'list' };
}

/** A parsed template; throws JsonPathError on syntax errors (client-go's wording). */
export class JsonPath {
  private readonly root: Node & { t: 'list' };
  constructor(template: string) {
    this.root = new Parser(template).parse();
  }

  /** FindResults with AllowMissingKeys(true): one result list per top-level node. */
  findResults(data: unknown): unknown[][] {
    const out: unknown[][] = [];
    for (const n of this.root.nodes) {
      out.push(evalNode([data], n));
    }
    return out;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function evalNode(input: unknown[], node: Node): unknown[] {
  switch (node.t) {
    case 'list': {
      let cur = input;
      for (const n of node.nodes) cur = evalNode(cur, n);
      return cur;
    }
    case 'text': return [node.text];
    case 'int': case 'float': case 'bool': return input.map(() => node.value);
    case 'field': {
      const out: unknown[] = [];
      for (const v of input) {
        if (isObj(v) && Object.prototype.hasOwnProperty.call(v, node.name)) out.push(v[node.name]);
      }
      return out;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const v of input) {
        if (v === null || v === undefined) continue;
        if (!Array.isArray(v)) throw new JsonPathError(`${goTypeName(v)} is not array or slice`);
        const p = node.params.map((x) => ({ ...x }));
        const len = v.length;
        if (!p[0].known) p[0].value = 0;
        if (p[0].value < 0) p[0].value += len;
        if (!p[1].known) p[1].value = len;
        if (p[1].value < 0 || (p[1].value === 0 && p[1].derived)) p[1].value += len;
        if (p[1].value === p[0].value) return out;
        if (p[0].value >= len || p[0].value < 0) throw new JsonPathError(`array index out of bounds: index ${p[0].value}, length ${len}`);
        if (p[1].value > len || p[1].value < 0) throw new JsonPathError(`array index out of bounds: index ${p[1].value - 1}, length ${len}`);
        if (p[0].value > p[1].value) throw new JsonPathError(`starting index ${p[0].value} is greater than ending index ${p[1].value}`);
        let step = 1;
        if (p[2].known) {
          if (p[2].value <= 0) throw new JsonPathError('step must be > 0');
          step = p[2].value;
        }
        const slice = v.slice(p[0].value, p[1].value);
        for (let i = 0; i < slice.length; i += step) out.push(slice[i]);
      }
      return out;
    }
    case 'wildcard': {
      const out: unknown[] = [];
      for (const v of input) {
        if (isObj(v)) out.push(...Object.keys(v).sort().map((k) => v[k]));
        else if (Array.isArray(v)) out.push(...v);
        else if (typeof v === 'string') out.push(...Buffer.from(v, 'utf8'));
      }
      return out;
    }
    case 'recursive': {
      const out: unknown[] = [];
      const visit = (vals: unknown[]) => {
        for (const v of vals) {
          let kids: unknown[] = [];
          if (isObj(v)) kids = Object.keys(v).sort().map((k) => v[k]);
          else if (Array.isArray(v)) kids = v;
          if (kids.length !== 0) {
            out.push(v);
            visit(kids);
          }
        }
      };
      visit(input);
      return out;
    }
    case 'union': return node.nodes.flatMap((n) => evalNode(input, n));
    case 'identifier':
      if (node.name === 'range') return input;
      if (node.name === 'end') throw new JsonPathError('not in range, nothing to end');
      throw new JsonPathError(`unrecognized identifier ${node.name}`);
    case 'filter': {
      const out: unknown[] = [];
      for (const v of input) {
        if (!Array.isArray(v)) throw new JsonPathError(`${JSON.stringify(v)} is not array or slice and cannot be filtered`);
        for (const item of v) {
          const lefts = evalNode([item], node.left);
          if (node.op === 'exists') { if (lefts.length > 0) out.push(item); continue; }
          if (lefts.length === 0) continue;
          if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
          const rights = evalNode([item], node.right);
          if (rights.length === 0) continue;
          if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
          if (compare(lefts[0], rights[0], node.op)) out.push(item);
        }
      }
      return out;
    }
  }
}

function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'bigint') return 'int64';
  if (isObj(v)) return 'map[string]interface {}';
  return 'interface {}';
}

/** text/template's eq/ne/lt/... on basic kinds; incomparable kinds are an error, as in Go. */
function compare(a: unknown, b: unknown, op: string): boolean {
  const kindOf = (x: unknown) => (typeof x === 'bigint' ? 'number' : typeof x);
  if (kindOf(a) !== kindOf(b) || !['string', 'number', 'boolean'].includes(kindOf(a))) {
    if (op === '==' ) return false;
    if (op === '!=') return true;
    throw new JsonPathError('incompatible types for comparison');
  }
  const x = typeof a === 'bigint' ? Number(a) : (a as number | string | boolean);
  const y = typeof b === 'bigint' ? Number(b) : (b as number | string | boolean);
  switch (op) {
    case '==': return x === y;
    case '!=': return x !== y;
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    case '>=': return x >= y;
    default: throw new JsonPathError(`unrecognized filter operator ${op}`);
  }
}
