// Label selectors (k8s.io/apimachinery/pkg/labels) and field selectors (pkg/fields): same grammar,
// same matching rules and the same parse error messages, since kubectl prints them verbatim.
import { isQualifiedName, isValidLabelValue } from './schema/index.js';

export type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

interface LabelRequirement { key: string; op: Op; values: string[] }
export type LabelSelector = LabelRequirement[];

export class SelectorError extends Error {
  readonly code = 'APISERVER_ERR_SELECTOR';
}

type Tok = 'err' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
const keywords: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };
const isSpecial = (c: string) => '=!(),><'.includes(c);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Array<[Tok, string]> {
  const out: Array<[Tok, string]> = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos]!)) pos++;
    if (pos >= s.length) { out.push(['end', '']); return out; }
    if (isSpecial(s[pos]!)) {
      let buf = '';
      let last: [Tok, string] | null = null;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        const t = keywords[buf];
        if (t) { last = [t, buf]; pos++; } else if (last) break; else pos++;
      }
      out.push(last ?? ['err', `error expected: keyword found '${buf}'`]);
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos]!) && !isSpace(s[pos]!)) buf += s[pos++];
      out.push([keywords[buf] ?? 'id', buf]);
    }
  }
}

function fieldInvalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
}

function newRequirement(key: string, op: Op, values: string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(fieldInvalid('key', key, keyErrs.join('; ')));
  if ((op === 'gt' || op === 'lt')) {
    values.forEach((v, i) => { if (!/^[+-]?\d+$/.test(v)) errs.push(fieldInvalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer")); });
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(fieldInvalid(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  if (errs.length) throw new SelectorError(`unable to parse requirement: ${aggregate(errs)}`);
  return { key, op, values };
}

/** labels.Parse: throws SelectorError with apimachinery's message. */
export function parseLabelSelector(selector: string): LabelSelector {
  const items = lex(selector);
  let p = 0;
  // In the "values" context the keywords in/notin are ordinary identifiers.
  const look = (values: boolean): [Tok, string] => {
    const [t, l] = items[p]!;
    return values && (t === 'in' || t === 'notin') ? ['id', l] : [t, l];
  };
  const take = (values: boolean): [Tok, string] => { const r = look(values); p++; return r; };
  const reqs: LabelSelector = [];

  const parseRequirement = (): LabelRequirement => {
    let op: Op | undefined;
    let [t, lit] = take(true);
    if (t === '!') { op = '!'; [t, lit] = take(true); }
    if (t !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(fieldInvalid('', key, keyErrs.join('; ')).replace(/^: /, ': '));
    const [nt] = look(true);
    if (nt === 'end' || nt === ',') return newRequirement(key, op ?? 'exists', []);
    if (op === '!') return newRequirement(key, '!', []);
    const [ot, olit] = take(false);
    const opMap: Partial<Record<Tok, Op>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const bop = opMap[ot];
    if (!bop) throw new Error(`found '${olit}', expected: in, notin, =, ==, !=, gt, lt`);
    let values: Set<string>;
    if (bop === 'in' || bop === 'notin') values = parseValues();
    else values = parseExactValue();
    return newRequirement(key, bop, [...values].sort());
  };
  const parseValues = (): Set<string> => {
    const [t, lit] = take(true);
    if (t !== '(') throw new Error(`found '${lit}' expected: '('`);
    const [t2, lit2] = look(true);
    if (t2 === ')') { take(true); return new Set(['']); }
    if (t2 !== 'id' && t2 !== ',') throw new Error(`found '${lit2}', expected: ',', ')' or identifier`);
    const s = parseIdentifiers();
    if (take(true)[0] !== ')') throw new Error(`found '${lit2}', expected: ')'`);
    return s;
  };
  const parseIdentifiers = (): Set<string> => {
    const s = new Set<string>();
    for (;;) {
      const [t, lit] = take(true);
      if (t === 'id') {
        s.add(lit);
        const [t2, l2] = look(true);
        if (t2 === ',') continue;
        if (t2 === ')') return s;
        throw new Error(`found '${l2}', expected: ',' or ')'`);
      } else if (t === ',') {
        if (s.size === 0) s.add('');
        const [t2] = look(true);
        if (t2 === ')') { s.add(''); return s; }
        if (t2 === ',') { take(true); s.add(''); }
      } else {
        throw new Error(`found '${lit}', expected: ',', or identifier`);
      }
    }
  };
  const parseExactValue = (): Set<string> => {
    const [t] = look(true);
    if (t === 'end' || t === ',') return new Set(['']);
    const [t2, lit] = take(true);
    if (t2 === 'id') return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
  };

  for (;;) {
    const [t, lit] = look(true);
    if (t === 'id' || t === '!') {
      try {
        reqs.push(parseRequirement());
      } catch (e) {
        if (e instanceof SelectorError) throw e;
        throw new SelectorError(`unable to parse requirement: ${(e as Error).message}`);
      }
      const [t2, l2] = take(true);
      if (t2 === 'end') break;
      if (t2 === ',') {
        const [t3, l3] = look(true);
        if (t3 !== 'id' && t3 !== '!') throw new SelectorError(`found '${l3}', expected: identifier after ','`);
        continue;
      }
      throw new SelectorError(`found '${l2}', expected: ',' or 'end of string'`);
    }
    if (t === 'end') break;
    throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const ls = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(ls, r.key);
    const v = ls[r.key];
    switch (r.op) {
      case 'in': case '=': case '==':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case 'notin': case '!=':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt': case 'lt': {
        if (!has || !/^[+-]?\d+$/.test(v!)) return false;
        const lv = BigInt(v!);
        const rv = BigInt(r.values[0]!);
        if (r.op === 'gt' ? !(lv > rv) : !(lv < rv)) return false;
        break;
      }
    }
  }
  return true;
}

export interface FieldTerm { field: string; value: string; negate: boolean }

function unescapeFieldValue(s: string): string {
  if (!s.includes('\\') && !s.includes(',') && !s.includes('=')) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new SelectorError(`invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new SelectorError(`invalid field selector: unescaped character ${c}`);
    else out += c;
  }
  if (inSlash) throw new SelectorError('invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector: =, == and !=, comma-separated and ANDed. */
export function parseFieldSelector(selector: string): FieldTerm[] {
  if (selector === '') return [];
  const parts: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { parts.push(selector.slice(start, i)); start = i + 1; }
  }
  parts.push(selector.slice(start));
  parts.sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    let found: FieldTerm | undefined;
    for (let i = 0; i < part.length && !found; i++) {
      for (const op of ['!=', '==', '=']) {
        if (part.startsWith(op, i)) {
          found = { field: part.slice(0, i), value: unescapeFieldValue(part.slice(i + op.length)), negate: op === '!=' };
          break;
        }
      }
    }
    if (!found) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push(found);
  }
  return terms;
}

export function matchesFields(terms: FieldTerm[], valueOf: (field: string) => string): boolean {
  for (const t of terms) {
    const v = valueOf(t.field);
    if (t.negate ? v === t.value : v !== t.value) return false;
  }
  return true;
}

/** The exact-match value a selector requires for a field (RequiresExactMatch), if any. */
export function requiredFieldValue(terms: FieldTerm[], field: string): string | undefined {
  const t = terms.find((x) => x.field === field && !x.negate);
  return t?.value;
}
