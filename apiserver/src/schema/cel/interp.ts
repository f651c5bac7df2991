// Evaluation of a checked CEL expression. Errors are values (CelError) so that `&&`, `||` and the
// all/exists macros can absorb them as the CEL spec requires; every evaluated node costs 1 and
// library calls add their own cost, against a per-call limit like cel-go's CostLimit.
import type { Expr } from './ast.js';
import { typeIdents } from './checker.js';
import { functions, type Overload } from './library.js';
import { CelError, CelMap, Duration, Optional, Timestamp, TypeValue, Uint, type Value } from './values.js';
import type { CelType } from './types.js';

export class CostLimitExceeded extends Error {
  readonly code = 'CEL_COST_LIMIT';
  constructor() {
    super('operation cancelled: actual cost limit exceeded');
    this.name = 'CostLimitExceeded';
  }
}

export interface EvalContext {
  vars: Map<string, Value>;
  cost: number;
  limit: number;
}

function matchesType(p: CelType, v: Value): boolean {
  switch (p.k) {
    case 'param': case 'dyn': return true;
    case 'int': return typeof v === 'bigint';
    case 'uint': return v instanceof Uint;
    case 'double': return typeof v === 'number';
    case 'bool': return typeof v === 'boolean';
    case 'string': return typeof v === 'string';
    case 'bytes': return v instanceof Uint8Array;
    case 'null': return v === null;
    case 'timestamp': return v instanceof Timestamp;
    case 'duration': return v instanceof Duration;
    case 'type': return v instanceof TypeValue;
    case 'list': return Array.isArray(v) && (p.elem.k === 'param' || p.elem.k === 'dyn' || v.every((x) => matchesType(p.elem, x)));
    case 'map': return v instanceof CelMap;
    case 'optional': return v instanceof Optional;
    case 'object': return v instanceof CelMap && v.isObject;
    default: return false;
  }
}

function describe(v: Value): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (v instanceof CelMap) return 'map';
  return 'dyn';
}

function charge(ctx: EvalContext, n: number): void {
  ctx.cost += n;
  if (ctx.cost > ctx.limit) throw new CostLimitExceeded();
}

function selectValue(v: Value, field: string): Value {
  if (v instanceof CelMap) {
    const x = v.get(field);
    return x === undefined ? new CelError(`no such key: ${field}`) : x;
  }
  return new CelError(`no such overload: ${describe(v)}.${field}`);
}

function indexValue(v: Value, i: Value): Value {
  if (Array.isArray(v)) {
    let n: bigint | undefined;
    if (typeof i === 'bigint') n = i;
    else if (i instanceof Uint) n = i.v;
    else if (typeof i === 'number' && Number.isInteger(i)) n = BigInt(i);
    if (n === undefined) return new CelError(`unsupported index type '${describe(i)}' in list`);
    if (n < 0n || n >= BigInt(v.length)) return new CelError(`index out of bounds: ${n}`);
    return v[Number(n)];
  }
  if (v instanceof CelMap) {
    const x = v.get(i);
    return x === undefined ? new CelError(`no such key: ${typeof i === 'string' ? i : String(i)}`) : x;
  }
  return new CelError(`no such overload: ${describe(v)}[${describe(i)}]`);
}

export function evaluate(e: Expr, ctx: EvalContext): Value {
  charge(ctx, e.k === 'lit' ? 0 : 1);
  switch (e.k) {
    case 'lit': return e.value as Value;
    case 'ident': {
      const v = ctx.vars.get(e.name);
      if (v === undefined && typeIdents.has(e.name)) return new TypeValue(e.name);
      return v === undefined ? new CelError(`no such attribute: ${e.name}`) : v;
    }
    case 'select': {
      let op = evaluate(e.operand, ctx);
      if (op instanceof CelError) return op;
      let optional = e.optional;
      if (op instanceof Optional) {
        if (!op.present) return e.test ? false : op;
        op = op.value as Value;
        optional = true;
      }
      if (e.test) {
        if (op instanceof CelMap) return op.has(e.field);
        return new CelError('invalid type for field selection.');
      }
      if (optional) {
        if (op instanceof CelMap) return op.has(e.field) ? new Optional(true, op.get(e.field) as Value) : new Optional(false);
        return new CelError(`no such overload: ${describe(op)}.${e.field}`);
      }
      return selectValue(op, e.field);
    }
    case 'index': {
      let op = evaluate(e.operand, ctx);
      if (op instanceof CelError) return op;
      const idx = evaluate(e.index, ctx);
      if (idx instanceof CelError) return idx;
      let optional = e.optional;
      if (op instanceof Optional) {
        if (!op.present) return op;
        op = op.value as Value;
        optional = true;
      }
      const r = indexValue(op, idx);
      if (optional) return r instanceof CelError ? new Optional(false) : new Optional(true, r);
      return r;
    }
    case 'list': {
      const out: Value[] = [];
      for (const x of e.elems) {
        const v = evaluate(x, ctx);
        if (v instanceof CelError) return v;
        out.push(v);
      }
      return out;
    }
    case 'map': {
      const m = new CelMap();
      for (const en of e.entries) {
        const k = evaluate(en.key, ctx);
        if (k instanceof CelError) return k;
        const v = evaluate(en.value, ctx);
        if (v instanceof CelError) return v;
        if (m.has(k)) return new CelError('Failed with repeated key');
        m.set(k, v);
      }
      return m;
    }
    case 'comp': return evalComprehension(e, ctx);
    case 'call': return evalCall(e, ctx);
  }
}

function evalComprehension(e: Expr & { k: 'comp' }, ctx: EvalContext): Value {
  const range = evaluate(e.range, ctx);
  if (range instanceof CelError) return range;
  let items: Value[];
  if (Array.isArray(range)) items = range;
  else if (range instanceof CelMap) items = range.keys();
  else return new CelError(`cannot range over ${describe(range)}`);
  const saved = ctx.vars.get(e.iterVar);
  const run = (x: Value, body: Expr): Value => {
    ctx.vars.set(e.iterVar, x);
    charge(ctx, 1);
    return evaluate(body, ctx);
  };
  try {
    switch (e.macro) {
      case 'all': case 'exists': {
        const want = e.macro === 'exists';
        let error: CelError | undefined;
        for (const x of items) {
          const r = run(x, e.body);
          if (r === want) return want;
          if (r instanceof CelError) error = error ?? r;
          else if (typeof r !== 'boolean') error = error ?? new CelError(`no such overload: ${describe(r)}`);
        }
        return error ?? !want;
      }
      case 'exists_one': {
        let n = 0;
        for (const x of items) {
          const r = run(x, e.body);
          if (r instanceof CelError) return r;
          if (r === true) n++;
        }
        return n === 1;
      }
      case 'filter': {
        const out: Value[] = [];
        for (const x of items) {
          const r = run(x, e.body);
          if (r instanceof CelError) return r;
          if (r === true) out.push(x);
        }
        return out;
      }
      case 'map': {
        const out: Value[] = [];
        for (const x of items) {
          if (e.filter) {
            const f = run(x, e.filter);
            if (f instanceof CelError) return f;
            if (f !== true) continue;
          }
          const r = run(x, e.body);
          if (r instanceof CelError) return r;
          out.push(r);
        }
        return out;
      }
      default:
        return new CelError(`unknown macro ${String(e.macro)}`);
    }
  } finally {
    if (saved === undefined) ctx.vars.delete(e.iterVar);
    else ctx.vars.set(e.iterVar, saved);
  }
}

function evalCall(e: Expr & { k: 'call' }, ctx: EvalContext): Value {
  if (e.fn === '_&&_' || e.fn === '_||_') {
    const short = e.fn === '_||_';
    const a = evaluate(e.args[0], ctx);
    if (a === short) return short;
    const b = evaluate(e.args[1], ctx);
    if (b === short) return short;
    if (a instanceof CelError) return a;
    if (b instanceof CelError) return b;
    if (typeof a !== 'boolean' || typeof b !== 'boolean') return new CelError(`no such overload: ${e.fn}`);
    return !short;
  }
  if (e.fn === '_?_:_') {
    const c = evaluate(e.args[0], ctx);
    if (c instanceof CelError) return c;
    if (typeof c !== 'boolean') return new CelError('no such overload: _?_:_');
    return evaluate(c ? e.args[1] : e.args[2], ctx);
  }
  const args: Value[] = [];
  for (const x of [...(e.target ? [e.target] : []), ...e.args]) {
    const v = evaluate(x, ctx);
    if (v instanceof CelError) return v;
    args.push(v);
  }
  const ovs = functions.get(e.fn) ?? [];
  const o: Overload | undefined = ovs.find((c) => c.receiver === (e.target !== undefined) && c.params.length === args.length && c.params.every((p, i) => matchesType(p, args[i])));
  if (!o) return new CelError(`no such overload: ${e.fn}(${args.map(describe).join(', ')})`);
  if (o.cost) charge(ctx, o.cost(...args));
  return o.impl(...args);
}
