// Type checking of a CEL rule against the CEL type of its schema node, with cel-go's error texts
// ("undefined field 'x'", "undeclared reference to 'x' (in container '')", "found no matching
// overload for '_+_' applied to '(int, string)'"), and a static cost estimate in the spirit of
// cel-go's checker/cost.go: sizes come from maxLength/maxItems/maxProperties, or from the 3 MiB
// request limit when a schema sets none (see estimate() for the simplifications).
import type { Expr } from './ast.js';
import { functions, unimplementedFunctions, type Overload } from './library.js';
import { T, typeName, type CelType, type SizedType, maxRequestSizeBytes } from './types.js';

export interface CheckIssue { pos: number; message: string }

export class CelCheckError extends Error {
  readonly code = 'CEL_CHECK';
  constructor(readonly issues: CheckIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'CelCheckError';
  }
}

interface Checked {
  types: Map<Expr, CelType>;
  /** the schema-derived size information of expressions that are paths into self/oldSelf */
  sized: Map<Expr, SizedType>;
  usesOldSelf: boolean;
  result: CelType;
  cost: number;
}

type Bindings = Map<string, CelType>;

function resolve(t: CelType, b: Bindings): CelType {
  switch (t.k) {
    case 'param': { const x = b.get(t.name); return x ? resolve(x, b) : T.dyn; }
    case 'list': return T.list(resolve(t.elem, b));
    case 'map': return T.map(resolve(t.key, b), resolve(t.val, b));
    case 'optional': return T.optional(resolve(t.elem, b));
    default: return t;
  }
}

function sameType(a: CelType, b: CelType): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'list' && b.k === 'list') return sameType(a.elem, b.elem);
  if (a.k === 'map' && b.k === 'map') return sameType(a.key, b.key) && sameType(a.val, b.val);
  if (a.k === 'optional' && b.k === 'optional') return sameType(a.elem, b.elem);
  if (a.k === 'object' && b.k === 'object') return a.name === b.name;
  return true;
}

/** Is `actual` assignable to `formal`, binding type parameters (cel-go's isAssignable, simplified). */
function assignable(formal: CelType, actual: CelType, b: Bindings): boolean {
  if (actual.k === 'dyn' || actual.k === 'error') {
    if (formal.k === 'param' && !b.has(formal.name)) b.set(formal.name, T.dyn);
    return true;
  }
  if (formal.k === 'dyn') return true;
  if (formal.k === 'param') {
    const bound = b.get(formal.name);
    if (!bound) { b.set(formal.name, actual); return true; }
    if (bound.k === 'dyn') return true;
    if (sameType(bound, actual)) return true;
    // a bound of dyn-containing type unifies with a more specific one
    if (assignable(bound, actual, new Map(b))) return true;
    return false;
  }
  if (formal.k !== actual.k) return false;
  if (formal.k === 'list' && actual.k === 'list') return assignable(formal.elem, actual.elem, b);
  if (formal.k === 'map' && actual.k === 'map') return assignable(formal.key, actual.key, b) && assignable(formal.val, actual.val, b);
  if (formal.k === 'optional' && actual.k === 'optional') return assignable(formal.elem, actual.elem, b);
  if (formal.k === 'object' && actual.k === 'object') return formal.name === actual.name;
  return true;
}

const maxStr = maxRequestSizeBytes - 2;

/** Type denotations usable as values: type(x) == int */
export const typeIdents = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type',
  'google.protobuf.Timestamp', 'google.protobuf.Duration']);

interface Scope { vars: Map<string, { type: CelType; sized?: SizedType }>; parent?: Scope }

function lookup(s: Scope | undefined, name: string): { type: CelType; sized?: SizedType } | undefined {
  for (let x = s; x; x = x.parent) {
    const v = x.vars.get(name);
    if (v) return v;
  }
  return undefined;
}

export function checkRule(ast: Expr, self: SizedType, oldSelfOptional: boolean): Checked {
  return checkExpression(ast, new Map([
    ['self', { type: self.type, sized: self }],
    ['oldSelf', { type: oldSelfOptional ? T.optional(self.type) : self.type, sized: oldSelfOptional ? undefined : self }],
  ]));
}

/** Checks an expression against declared variables (a CRD rule's self/oldSelf, or an admission
 *  policy's object, oldObject, request, ...). */
export function checkExpression(ast: Expr, vars: Map<string, { type: CelType; sized?: SizedType }>): Checked {
  const types = new Map<Expr, CelType>();
  const sized = new Map<Expr, SizedType>();
  const issues: CheckIssue[] = [];
  let usesOldSelf = false;
  const root: Scope = { vars };
  const fail = (pos: number, message: string): CelType => {
    issues.push({ pos, message });
    return T.error;
  };

  const check = (e: Expr, scope: Scope): CelType => {
    const t = checkNode(e, scope);
    types.set(e, t);
    return t;
  };

  const selectField = (pos: number, opType: CelType, opSized: SizedType | undefined, field: string): { type: CelType; sized?: SizedType } => {
    switch (opType.k) {
      case 'object': {
        const ft = opType.fields.get(field);
        if (!ft) return { type: fail(pos, `undefined field '${field}'`) };
        return { type: ft, sized: opSized?.fields?.get(field) };
      }
      case 'map':
        if (opType.key.k !== 'string' && opType.key.k !== 'dyn') return { type: fail(pos, `type '${typeName(opType)}' does not support field selection`) };
        return { type: opType.val, sized: opSized?.elem };
      case 'dyn': case 'error':
        return { type: T.dyn };
      default:
        return { type: fail(pos, `type '${typeName(opType)}' does not support field selection`) };
    }
  };

  const checkNode = (e: Expr, scope: Scope): CelType => {
    switch (e.k) {
      case 'lit':
        return ({ int: T.int, uint: T.uint, double: T.double, string: T.string, bytes: T.bytes, bool: T.bool, null: T.null } as const)[e.type];
      case 'ident': {
        const v = lookup(scope, e.name);
        if (!v && typeIdents.has(e.name)) return T.type;
        if (!v) return fail(e.pos, `undeclared reference to '${e.name}' (in container '')`);
        if (e.name === 'oldSelf' && lookup(scope, e.name) === root.vars.get('oldSelf')) usesOldSelf = true;
        if (v.sized) sized.set(e, v.sized);
        return v.type;
      }
      case 'select': {
        let opType = check(e.operand, scope);
        const opSized = sized.get(e.operand);
        let optional = e.optional;
        if (opType.k === 'optional') {
          // selection on an optional value continues the optional chain (cel-go optional types)
          opType = opType.elem;
          optional = true;
        }
        const r = selectField(e.pos, opType, opSized, e.field);
        if (r.sized) sized.set(e, r.sized);
        if (e.test) return T.bool;
        return optional && r.type.k !== 'error' ? T.optional(r.type) : r.type;
      }
      case 'index': {
        let opType = check(e.operand, scope);
        const idxType = check(e.index, scope);
        const opSized = sized.get(e.operand);
        let optional = e.optional;
        if (opType.k === 'optional') { opType = opType.elem; optional = true; }
        let result: CelType;
        if (opType.k === 'list' && ['int', 'uint', 'dyn', 'error'].includes(idxType.k)) { result = opType.elem; if (opSized?.elem) sized.set(e, opSized.elem); } else if (opType.k === 'map' && (assignable(opType.key, idxType, new Map()) || idxType.k === 'dyn')) { result = opType.val; if (opSized?.elem) sized.set(e, opSized.elem); } else if (opType.k === 'dyn' || opType.k === 'error') result = T.dyn;
        else return fail(e.pos, `found no matching overload for '_[_]' applied to '(${typeName(opType)}, ${typeName(idxType)})'`);
        return optional ? T.optional(result) : result;
      }
      case 'list': {
        const elemTypes = e.elems.map((x) => check(x, scope));
        let elem: CelType | undefined;
        e.elems.forEach((x, i) => {
          const t = elemTypes[i];
          if (t.k === 'error') return;
          if (!elem || elem.k === 'dyn') { elem = elem?.k === 'dyn' ? elem : t; return; }
          if (t.k !== 'dyn' && !assignable(elem, t, new Map())) fail(x.pos, `expected type '${typeName(elem)}' but found '${typeName(t)}'`);
        });
        return T.list(elem ?? T.dyn);
      }
      case 'map': {
        let key: CelType | undefined;
        let val: CelType | undefined;
        for (const en of e.entries) {
          const kt = check(en.key, scope);
          const vt = check(en.value, scope);
          if (!['string', 'int', 'uint', 'bool', 'dyn', 'error'].includes(kt.k)) fail(en.key.pos, `unsupported map key type: ${typeName(kt)}`);
          if (!key) key = kt; else if (kt.k !== 'dyn' && key.k !== 'dyn' && !assignable(key, kt, new Map())) fail(en.key.pos, `expected type '${typeName(key)}' but found '${typeName(kt)}'`);
          if (!val) val = vt; else if (vt.k !== 'dyn' && val.k !== 'dyn' && !assignable(val, vt, new Map())) fail(en.value.pos, `expected type '${typeName(val)}' but found '${typeName(vt)}'`);
        }
        return T.map(key ?? T.dyn, val ?? T.dyn);
      }
      case 'comp': {
        const rt = check(e.range, scope);
        const rs = sized.get(e.range);
        let iterType: CelType;
        let iterSized: SizedType | undefined;
        if (rt.k === 'list') { iterType = rt.elem; iterSized = rs?.elem; } else if (rt.k === 'map') { iterType = rt.key; iterSized = undefined; } else if (rt.k === 'dyn' || rt.k === 'error') iterType = T.dyn;
        else return fail(e.range.pos, `expression of type '${typeName(rt)}' cannot be range of a comprehension (must be list, map, or dynamic)`);
        const inner: Scope = { vars: new Map([[e.iterVar, { type: iterType, sized: iterSized }]]), parent: scope };
        if (e.filter) {
          const ft = check(e.filter, inner);
          if (!['bool', 'dyn', 'error'].includes(ft.k)) fail(e.filter.pos, `found no matching overload for '_?_:_' applied to '(${typeName(ft)}, list(${typeName(iterType)}), list(${typeName(iterType)}))'`);
        }
        const bt = check(e.body, inner);
        if (e.macro === 'map') return T.list(bt);
        if (!['bool', 'dyn', 'error'].includes(bt.k)) {
          const op = e.macro === 'all' ? '_&&_' : e.macro === 'exists' ? '_||_' : '_?_:_';
          return fail(e.body.pos, `found no matching overload for '${op}' applied to '(bool, ${typeName(bt)})'`);
        }
        return e.macro === 'filter' ? T.list(iterType) : T.bool;
      }
      case 'call':
        return checkCall(e, scope);
    }
  };

  const checkCall = (e: Expr & { k: 'call' }, scope: Scope): CelType => {
    if (e.fn === '_&&_' || e.fn === '_||_') {
      const [a, b] = e.args.map((x) => check(x, scope));
      for (const t of [a, b]) if (!['bool', 'dyn', 'error'].includes(t.k)) return fail(e.pos, `found no matching overload for '${e.fn}' applied to '(${typeName(a)}, ${typeName(b)})'`);
      return T.bool;
    }
    if (e.fn === '_?_:_') {
      const [c, a, b] = e.args.map((x) => check(x, scope));
      if (!['bool', 'dyn', 'error'].includes(c.k)) return fail(e.pos, `found no matching overload for '_?_:_' applied to '(${typeName(c)}, ${typeName(a)}, ${typeName(b)})'`);
      if (a.k === 'dyn' || a.k === 'error') return b;
      if (b.k === 'dyn' || b.k === 'error') return a;
      if (!assignable(a, b, new Map()) && !assignable(b, a, new Map())) return fail(e.pos, `found no matching overload for '_?_:_' applied to '(${typeName(c)}, ${typeName(a)}, ${typeName(b)})'`);
      return a;
    }
    const isTsGetterWithTz = /^get(FullYear|Month|Date|DayOfMonth|DayOfWeek|DayOfYear|Hours|Minutes|Seconds|Milliseconds)$/.test(e.fn) && e.target !== undefined && e.args.length === 1;
    if (unimplementedFunctions.has(e.fn) || isTsGetterWithTz) {
      return fail(e.pos, `function '${e.fn}'${isTsGetterWithTz ? ' with a time zone argument' : ''} is part of Kubernetes' CEL environment but is not supported by this API server`);
    }
    const ovs = functions.get(e.fn);
    const argTypes = [...(e.target ? [check(e.target, scope)] : []), ...e.args.map((x) => check(x, scope))];
    if (!ovs) return fail(e.pos, `undeclared reference to '${e.fn}' (in container '')`);
    const matches: { o: Overload; result: CelType }[] = [];
    for (const o of ovs) {
      if (o.receiver !== (e.target !== undefined) || o.params.length !== argTypes.length) continue;
      const b: Bindings = new Map();
      if (o.params.every((p, i) => assignable(p, argTypes[i], b))) matches.push({ o, result: resolve(o.result, b) });
    }
    if (matches.length === 0) {
      if (argTypes.some((t) => t.k === 'error')) return T.error;
      const shown = e.target
        ? `${typeName(argTypes[0])}.(${argTypes.slice(1).map(typeName).join(', ')})`
        : `(${argTypes.map(typeName).join(', ')})`;
      return fail(e.pos, `found no matching overload for '${e.fn}' applied to '${shown}'`);
    }
    const first = matches[0].result;
    if (matches.every((m) => sameType(m.result, first))) return first;
    return T.dyn;
  };

  const result = check(ast, root);
  if (issues.length > 0) throw new CelCheckError(issues);
  return { types, sized, usesOldSelf, result, cost: estimate(ast, types, sized) };
}

function sizeMax(e: Expr, types: Map<Expr, CelType>, sized: Map<Expr, SizedType>): number {
  const s = sized.get(e);
  if (s) return s.type.k === 'string' ? s.maxElements : s.maxElements;
  if (e.k === 'lit') {
    if (typeof e.value === 'string') return e.value.length;
    if (e.value instanceof Uint8Array) return e.value.length;
  }
  if (e.k === 'list') return e.elems.length;
  if (e.k === 'map') return e.entries.length;
  const t = types.get(e);
  if (t && (t.k === 'string' || t.k === 'bytes')) return maxStr;
  if (t && (t.k === 'list' || t.k === 'map')) return Math.floor(maxStr / 2);
  return 1;
}

/** Worst-case cost (cel-go's estimate, simplified): 1 per identifier/select/index/call, string
 *  operations at 0.1 per character of their largest operand, `in`/list functions per element,
 *  matches() at string size times pattern size over 100, comprehensions range size times body. */
function estimate(ast: Expr, types: Map<Expr, CelType>, sized: Map<Expr, SizedType>): number {
  const size = (e: Expr) => sizeMax(e, types, sized);
  const tenth = (n: number) => Math.ceil(n * 0.1);
  const walk = (e: Expr): number => {
    switch (e.k) {
      case 'lit': return 0;
      case 'ident': return 1;
      case 'select': return walk(e.operand) + (e.test ? 0 : 1);
      case 'index': return walk(e.operand) + walk(e.index) + 1;
      case 'list': return 10 + e.elems.reduce((a, x) => a + walk(x), 0);
      case 'map': return 30 + e.entries.reduce((a, x) => a + walk(x.key) + walk(x.value), 0);
      case 'comp': {
        const n = size(e.range);
        const per = walk(e.body) + (e.filter ? walk(e.filter) : 0) + 1;
        return walk(e.range) + n * per + (e.macro === 'map' || e.macro === 'filter' ? n : 0);
      }
      case 'call': {
        const args = [...(e.target ? [e.target] : []), ...e.args];
        const base = args.reduce((a, x) => a + walk(x), 0);
        const t0 = args[0] ? types.get(args[0]) : undefined;
        switch (e.fn) {
          case '_==_': case '_!=_': case '_<_': case '_<=_': case '_>_': case '_>=_':
            if (t0 && (t0.k === 'string' || t0.k === 'bytes')) return base + tenth(Math.min(size(args[0]), size(args[1])));
            if (t0 && (t0.k === 'list' || t0.k === 'map' || t0.k === 'object')) return base + Math.min(size(args[0]), size(args[1]));
            return base + 1;
          case '_+_':
            if (t0 && (t0.k === 'string' || t0.k === 'bytes')) return base + tenth(size(args[0]) + size(args[1]));
            if (t0 && t0.k === 'list') return base + size(args[0]) + size(args[1]);
            return base + 1;
          case '@in':
            return base + (types.get(args[1])?.k === 'list' ? size(args[1]) : 1);
          case 'matches':
            return base + tenth(size(args[0])) * Math.max(1, tenth(size(args[1])));
          case 'contains': case 'startsWith': case 'endsWith': case 'lowerAscii': case 'upperAscii': case 'trim':
          case 'replace': case 'split': case 'substring': case 'indexOf': case 'lastIndexOf': case 'find': case 'findAll':
            if (t0 && t0.k === 'list') return base + size(args[0]);
            return base + tenth(size(args[0])) * (e.fn === 'contains' || e.fn === 'replace' || e.fn === 'indexOf' ? Math.max(1, tenth(size(args[1] ?? args[0]))) : 1) + 1;
          case 'join': case 'isSorted': case 'sum': case 'min': case 'max':
            return base + size(args[0]);
          case 'sets.contains': case 'sets.equivalent': case 'sets.intersects':
            return base + size(args[0]) * size(args[1]);
          case 'string': case 'bytes':
            return base + tenth(size(args[0])) + 1;
          default:
            return base + 1;
        }
      }
    }
  };
  return walk(ast);
}
