// The CEL environment of a ValidatingAdmissionPolicy (staging/src/k8s.io/apiserver/pkg/admission/
// plugin/cel/compile.go): object, oldObject, params, namespaceObject and variables as dyn values,
// request as the typed kubernetes.AdmissionRequest, and the output type each expression kind must
// have. `authorizer` is not declared: this server has no authorizer library, so a policy that uses
// it is refused at creation with cel-go's "undeclared reference".
import type { Expr } from '../schema/cel/ast.js';
import { checkExpression, CelCheckError } from '../schema/cel/checker.js';
import { CostLimitExceeded, evaluate } from '../schema/cel/interp.js';
import { CelSyntaxError } from '../schema/cel/lexer.js';
import { parseCel } from '../schema/cel/parser.js';
import { T, type CelType } from '../schema/cel/types.js';
import { formatIssues } from '../schema/cel/validator.js';
import { CelError, type Value } from '../schema/cel/values.js';

/** celconfig.PerCallLimit */
const PER_CALL_LIMIT = 1_000_000;

const obj = (name: string, fields: Array<[string, CelType]>): CelType => ({ k: 'object', name, fields: new Map(fields) });
const gvk = obj('kubernetes.GroupVersionKind', [['group', T.string], ['version', T.string], ['kind', T.string]]);
const gvr = obj('kubernetes.GroupVersionResource', [['group', T.string], ['version', T.string], ['resource', T.string]]);
const userInfo = obj('kubernetes.UserInfo', [
  ['username', T.string], ['uid', T.string], ['groups', T.list(T.string)], ['extra', T.map(T.string, T.list(T.string))],
]);

/** compile.go buildRequestType */
export const ADMISSION_REQUEST_TYPE = obj('kubernetes.AdmissionRequest', [
  ['kind', gvk], ['resource', gvr], ['subResource', T.string], ['requestKind', gvk], ['requestResource', gvr],
  ['requestSubResource', T.string], ['name', T.string], ['namespace', T.string], ['operation', T.string],
  ['userInfo', userInfo], ['dryRun', T.bool], ['options', T.dyn],
]);

/** what an expression must evaluate to: validations and matchConditions bool, messageExpression string */
export type ExpressionKind = 'bool' | 'string' | 'any';

export interface CompiledExpression {
  source: string;
  ast: Expr;
  type: CelType;
}

/** a compilation failure in kube's wording ("compilation failed: ERROR: <input>:1:1: ...") */
export interface CompileFailure { error: string }

/** the variables an expression may use; `variables` has the fields of the policy's spec.variables before it */
function declarations(variableTypes: Map<string, CelType>): Map<string, { type: CelType }> {
  return new Map([
    ['object', { type: T.dyn }],
    ['oldObject', { type: T.dyn }],
    ['params', { type: T.dyn }],
    ['namespaceObject', { type: T.dyn }],
    ['request', { type: ADMISSION_REQUEST_TYPE }],
    ['variables', { type: obj('kubernetes.variables', [...variableTypes]) }],
  ]);
}

export function compileExpression(source: string, kind: ExpressionKind, variableTypes: Map<string, CelType>): CompiledExpression | CompileFailure {
  let ast: Expr;
  try {
    ast = parseCel(source);
  } catch (e) {
    if (e instanceof CelSyntaxError) return { error: `compilation failed: ${formatIssues(source, [{ pos: e.pos, message: e.message }])}` };
    throw e;
  }
  let type: CelType;
  try {
    type = checkExpression(ast, declarations(variableTypes)).result;
  } catch (e) {
    if (e instanceof CelCheckError) return { error: `compilation failed: ${formatIssues(source, e.issues)}` };
    throw e;
  }
  if (kind !== 'any' && type.k !== kind && type.k !== 'dyn') return { error: `must evaluate to ${kind}` };
  return { source, ast, type };
}

/** the result, or the error kube reports for it ("expression '...' resulted in error: ...") */
export function evaluateExpression(e: CompiledExpression, vars: Map<string, Value>): { value: Value } | { error: string; cause: string } {
  let value: Value;
  try {
    value = evaluate(e.ast, { vars, cost: 0, limit: PER_CALL_LIMIT });
  } catch (err) {
    if (err instanceof CostLimitExceeded) return { error: `expression '${e.source}' resulted in error: ${err.message}`, cause: err.message };
    throw err;
  }
  if (value instanceof CelError) return { error: `expression '${e.source}' resulted in error: ${value.message}`, cause: value.message };
  return { value };
}
