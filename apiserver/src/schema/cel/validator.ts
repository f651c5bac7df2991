// x-kubernetes-validations: compilation of every rule of a schema against its node's CEL type, and
// evaluation over a custom resource as apiextensions-apiserver's cel/validation.go does it: rules
// run at each node in schema order (the node's rules, then allOf, then children), a rule that
// references oldSelf runs only when a correlated old value exists (or with optionalOldSelf), a
// false result becomes a field error with the rule's message/messageExpression/reason/fieldPath
// (default `failed rule: <rule>`, the bad value being the schema type), errors on values unchanged
// since the old object are ratcheted into warnings, and cost is bounded per call (1,000,000) and
// per object (10,000,000) like RuntimeCELCostBudget.
//
// Why a hand-written evaluator: the npm CEL packages (@bufbuild/cel, cel-js) evaluate CEL but have
// no checker against Kubernetes schema types, so they can report neither "undefined field" at CRD
// creation nor cost estimates, and they lack Kubernetes' libraries and oldSelf semantics; the
// parts of CEL a CRD rule can reach are small enough to implement exactly here.
import type { Expr } from './ast.js';
import { checkRule, CelCheckError, type CheckIssue } from './checker.js';
import { CostLimitExceeded, evaluate, type EvalContext } from './interp.js';
import { CelSyntaxError } from './lexer.js';
import { parseCel } from './parser.js';
import { schemaType, type SizedType } from './types.js';
import { CelError, fromJson, Optional, type Value } from './values.js';
import { fe, type FieldError } from '../field-errors.js';
import { isJsonObject, jsonEqual, type JSONSchemaProps, type ValidationRule } from '../structural.js';

const perCallLimit = 1000000;
const runtimeCostBudget = 10000000;

/** cel-go's issue rendering: "ERROR: <input>:1:6: msg\n | src\n | .....^" */
export function formatIssues(src: string, issues: CheckIssue[]): string {
  return issues.map((i) => {
    const before = src.slice(0, i.pos);
    const line = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const col = Array.from(src.slice(lineStart, i.pos)).length;
    const text = src.split('\n')[line - 1];
    return `ERROR: <input>:${line}:${col + 1}: ${i.message}\n | ${text}\n | ${'.'.repeat(col)}^`;
  }).join('\n');
}

interface CompiledRule {
  rule: ValidationRule;
  program?: Expr;
  message?: Expr;
  usesOldSelf: boolean;
  /** static worst-case cost of one evaluation */
  cost: number;
  messageCost: number;
  /** "compilation failed: ..." etc., as the CRD validation reports it */
  error?: { type: 'Invalid' | 'Required'; detail: string };
  messageError?: string;
  normalizedFieldPath?: string;
}

function compileExpr(src: string, self: SizedType, optionalOldSelf: boolean): { ast: Expr; checked: ReturnType<typeof checkRule> } | { error: string } {
  let ast: Expr;
  try {
    ast = parseCel(src);
  } catch (e) {
    if (e instanceof CelSyntaxError) return { error: formatIssues(src, [{ pos: e.pos, message: e.message }]) };
    throw e;
  }
  try {
    return { ast, checked: checkRule(ast, self, optionalOldSelf) };
  } catch (e) {
    if (e instanceof CelCheckError) return { error: formatIssues(src, e.issues) };
    throw e;
  }
}

/** ValidFieldPath: ".a.b", "['a.b']" relative to the rule's schema node; undefined when invalid. */
export function normalizeFieldPath(path: string, schema: JSONSchemaProps): string | undefined {
  const toks = path.match(/'(?:[^'\\]|\\.)*'|[.[\]]|[^.[\]']+/g) ?? [];
  let s: JSONSchemaProps | undefined = schema;
  let out = '';
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    let name: string;
    let bracket = false;
    if (t === '.') {
      name = toks[++i] ?? '';
      if (name === '' || name === '.' || name === '[' || name === ']') return undefined;
    } else if (t === '[') {
      const q = toks[++i] ?? '';
      if (q.length < 2 || !q.startsWith("'") || !q.endsWith("'")) return undefined;
      name = q.slice(1, -1).replace(/\\(.)/g, '$1');
      if (toks[++i] !== ']') return undefined;
      bracket = true;
    } else return undefined;
    if (!s) return undefined;
    if (s.properties) {
      if (!s.properties[name]) return undefined;
      out += out === '' ? name : `.${name}`;
      s = s.properties[name];
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      out += `[${name}]`;
      s = s.additionalProperties;
    } else return undefined;
    void bracket;
  }
  return out;
}

export function compileRule(rule: ValidationRule, self: SizedType, schema: JSONSchemaProps): CompiledRule {
  const out: CompiledRule = { rule, usesOldSelf: false, cost: 0, messageCost: 0 };
  if (rule.rule.trim().length === 0) return out;
  const r = compileExpr(rule.rule, self, rule.optionalOldSelf === true);
  if ('error' in r) {
    out.error = { type: 'Invalid', detail: `compilation failed: ${r.error}` };
    return out;
  }
  if (r.checked.result.k !== 'bool') {
    out.error = { type: 'Invalid', detail: 'cel expression must evaluate to a bool' };
    return out;
  }
  out.program = r.ast;
  out.usesOldSelf = r.checked.usesOldSelf;
  out.cost = r.checked.cost;
  if (rule.messageExpression) {
    const m = compileExpr(rule.messageExpression, self, rule.optionalOldSelf === true);
    if ('error' in m) out.messageError = `messageExpression compilation failed: ${m.error}`;
    else if (m.checked.result.k !== 'string') out.messageError = 'messageExpression must evaluate to a string';
    else { out.message = m.ast; out.messageCost = m.checked.cost; }
  }
  if (rule.fieldPath) out.normalizedFieldPath = normalizeFieldPath(rule.fieldPath, schema);
  return out;
}

export interface CompiledCelSchema {
  hasRules: boolean;
  node: CelNode;
}

interface CelNode {
  schema: JSONSchemaProps;
  self?: SizedType;
  rules: CompiledRule[];
  properties: Map<string, CelNode>;
  additional?: CelNode;
  items?: CelNode;
  allOf: CelNode[];
}

class CelCompileError extends Error {
  readonly code = 'CEL_COMPILE';
  constructor(message: string) {
    super(message);
    this.name = 'CelCompileError';
  }
}

function buildNode(s: JSONSchemaProps, isRoot: boolean, counter: { n: number }): CelNode {
  const node: CelNode = { schema: s, rules: [], properties: new Map(), allOf: [] };
  const rules = s['x-kubernetes-validations'] ?? [];
  if (rules.length > 0) {
    node.self = schemaType(s, isRoot || s['x-kubernetes-embedded-resource'] === true);
    for (const r of rules) {
      const c = node.self ? compileRule(r, node.self, s) : { rule: r, usesOldSelf: false, cost: 0, messageCost: 0, error: { type: 'Invalid' as const, detail: 'failed to convert to declType for CEL validation rules' } };
      if (c.error || c.messageError) throw new CelCompileError(`${r.rule}: ${c.error?.detail ?? c.messageError}`);
      node.rules.push(c);
      counter.n++;
    }
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) node.properties.set(k, buildNode(p, false, counter));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') node.additional = buildNode(s.additionalProperties, false, counter);
  if (s.items && !Array.isArray(s.items)) node.items = buildNode(s.items, false, counter);
  for (const a of s.allOf ?? []) node.allOf.push(buildNode(a, false, counter));
  return node;
}

/** Compile all x-kubernetes-validations of a (validated) schema; throws CelCompileError otherwise. */
export function compileCelRules(schema: JSONSchemaProps): CompiledCelSchema {
  const counter = { n: 0 };
  const node = buildNode(schema, true, counter);
  return { hasRules: counter.n > 0, node };
}

type Old = { value: unknown } | undefined;

interface RunState {
  errors: FieldError[];
  warnings: string[];
  remaining: number;
  stopped: boolean;
}

function schemaTypeName(s: JSONSchemaProps): string {
  return s.type ?? '';
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message && rule.message.length > 0 ? rule.message.trim() : rule.rule.trim();
}

function errorForReason(path: string, value: string, detail: string, reason: string | undefined): FieldError {
  switch (reason) {
    case 'FieldValueForbidden': return fe.forbidden(path, detail);
    case 'FieldValueRequired': return fe.required(path, detail);
    case 'FieldValueDuplicate': return fe.duplicate(path, value);
    default: return fe.invalid(path, value, detail);
  }
}

function runRules(node: CelNode, path: string, obj: unknown, old: Old, ratchet: boolean, st: RunState): void {
  if (node.rules.length === 0 || !node.self) return;
  const field = path === '' ? '<nil>' : path;
  const typeName = schemaTypeName(node.schema);
  if (st.remaining <= 0) {
    st.errors.push(fe.invalid(field, typeName, 'validation failed due to running out of cost budget, no further validation rules will be run'));
    st.stopped = true;
    return;
  }
  const selfVal = fromJson(obj, node.self);
  const oldVal: Value | undefined = old === undefined || old.value === null || old.value === undefined ? undefined : fromJson(old.value, node.self);
  for (const c of node.rules) {
    if (!c.program) continue;
    const optionalOld = c.rule.optionalOldSelf === true;
    if (c.usesOldSelf && oldVal === undefined && !optionalOld) continue;
    const vars = new Map<string, Value>([['self', selfVal]]);
    if (optionalOld) vars.set('oldSelf', oldVal === undefined ? new Optional(false) : new Optional(true, oldVal));
    else if (oldVal !== undefined) vars.set('oldSelf', oldVal);
    const ctx: EvalContext = { vars, cost: 0, limit: perCallLimit };
    let result: Value;
    try {
      result = evaluate(c.program, ctx);
    } catch (e) {
      if (e instanceof CostLimitExceeded) {
        st.errors.push(fe.invalid(field, typeName, `'${e.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(c.rule)}`));
        st.stopped = true;
        return;
      }
      throw e;
    }
    if (ctx.cost > st.remaining) {
      st.errors.push(fe.invalid(field, typeName, 'validation failed due to running out of cost budget, no further validation rules will be run'));
      st.stopped = true;
      return;
    }
    st.remaining -= ctx.cost;
    if (result instanceof CelError) {
      if (result.message.startsWith('no such overload')) {
        st.errors.push(fe.invalid(field, typeName, `'${result.message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(c.rule)}`));
      } else {
        st.errors.push(fe.invalid(field, typeName, `${result.message} evaluating rule: ${ruleErrorString(c.rule)}`));
      }
      continue;
    }
    if (result === true) continue;
    const errPath = c.normalizedFieldPath ? child(path, c.normalizedFieldPath).replace(/\.\[/g, '[') : field;
    let detail = c.rule.message && c.rule.message.length > 0 ? c.rule.message.trim() : `failed rule: ${ruleErrorString(c.rule)}`;
    if (c.message) {
      const mctx: EvalContext = { vars, cost: 0, limit: perCallLimit };
      let m: Value;
      try {
        m = evaluate(c.message, mctx);
      } catch (e) {
        if (!(e instanceof CostLimitExceeded)) throw e;
        st.errors.push(fe.invalid(errPath, typeName, `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(c.rule.messageExpression)}`));
        st.stopped = true;
        return;
      }
      st.remaining -= mctx.cost;
      // A failing messageExpression falls back to the static message (logged upstream).
      if (typeof m === 'string') {
        const trimmed = m.trim();
        if (trimmed.length > 0 && trimmed.length <= 5 * 1024 && !/[\n\r]/.test(trimmed)) detail = trimmed;
      }
    }
    const err = errorForReason(errPath, typeName, detail, c.rule.reason);
    if (!c.usesOldSelf && ratchet) st.warnings.push(`${err.field}: ${detailOf(err)}`);
    else st.errors.push(err);
  }
}

function detailOf(e: FieldError): string {
  // field.Error.Error() minus the "field: " prefix is what AddWarning receives after the path.
  const body = e.type === 'FieldValueForbidden' ? `Forbidden: ${e.detail}` : e.type === 'FieldValueRequired' ? `Required value: ${e.detail}` :
    e.type === 'FieldValueDuplicate' ? `Duplicate value: "${String(e.badValue)}"` : `Invalid value: "${String(e.badValue)}": ${e.detail}`;
  return body;
}

function walk(node: CelNode, path: string, obj: unknown, old: Old, parentUnchanged: boolean, st: RunState): void {
  if (st.stopped || obj === null || obj === undefined) return;
  const unchanged = old !== undefined ? jsonEqual(obj, old.value) : parentUnchanged;
  runRules(node, path, obj, old, unchanged, st);
  if (st.stopped) return;
  for (const a of node.allOf) {
    walk(a, path, obj, old, unchanged, st);
    if (st.stopped) return;
  }
  if (Array.isArray(obj)) {
    if (!node.items) return;
    const oldItems = correlateItems(node.schema, obj, old);
    obj.forEach((x, i) => { if (!st.stopped) walk(node.items as CelNode, `${path}[${i}]`, x, oldItems[i], unchanged, st); });
    return;
  }
  if (!isJsonObject(obj)) return;
  const oldObj = old !== undefined && isJsonObject(old.value) ? old.value : undefined;
  // MapIsCorrelatable is true for every x-kubernetes-map-type, so maps always correlate by key.
  const oldOf = (k: string): Old => (oldObj && Object.prototype.hasOwnProperty.call(oldObj, k) ? { value: oldObj[k] } : undefined);
  if (node.additional) {
    for (const [k, v] of Object.entries(obj)) if (!st.stopped) walk(node.additional, `${path}[${k}]`, v, oldOf(k), unchanged, st);
  }
  for (const [k, v] of Object.entries(obj)) {
    const p = node.properties.get(k);
    if (p && !st.stopped) walk(p, child(path, k), v, oldOf(k), unchanged, st);
  }
}

/** makeMapList: old items correlate with new ones only in x-kubernetes-list-type=map lists, by key. */
function correlateItems(schema: JSONSchemaProps, items: unknown[], old: Old): Old[] {
  const out: Old[] = new Array(items.length).fill(undefined);
  if (schema['x-kubernetes-list-type'] !== 'map' || old === undefined || !Array.isArray(old.value)) return out;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const keyOf = (x: unknown) => (isJsonObject(x) ? JSON.stringify(keys.map((k) => x[k] ?? null), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : undefined);
  const byKey = new Map<string, unknown>();
  for (const o of old.value) { const k = keyOf(o); if (k !== undefined) byKey.set(k, o); }
  items.forEach((x, i) => { const k = keyOf(x); if (k !== undefined && byKey.has(k)) out[i] = { value: byKey.get(k) }; });
  return out;
}

export function celValidate(c: CompiledCelSchema, obj: unknown, old: unknown): { errors: FieldError[]; warnings: string[] } {
  const st: RunState = { errors: [], warnings: [], remaining: runtimeCostBudget, stopped: false };
  walk(c.node, '', obj, old === undefined ? undefined : { value: old }, false, st);
  return { errors: st.errors, warnings: st.warnings };
}
