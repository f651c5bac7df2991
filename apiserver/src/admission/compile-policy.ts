// A ValidatingAdmissionPolicy's spec compiled for evaluation, and the field errors its validation
// reports (pkg/apis/admissionregistration/validation/validation.go
// validateValidatingAdmissionPolicySpec, 1.32 wording). What this server does not implement is
// refused at creation with a Forbidden field error naming it: paramKind, auditAnnotations.
import { fe, isQualifiedName, type FieldError } from '../schema/index.js';
import type { CelType } from '../schema/cel/types.js';
import { compileExpression, type CompiledExpression } from './policy-expressions.js';
import type { MatchResources, NamedRule } from './policy-types.js';

export const NOT_SUPPORTED_HERE = 'not supported by this API server (a standalone lxc-attach-operator server)';

interface CompiledValidation {
  expression: CompiledExpression;
  message: string;
  messageExpression?: CompiledExpression;
  reason?: string;
}

export interface CompiledPolicy {
  failurePolicy: 'Fail' | 'Ignore';
  matchConstraints?: MatchResources;
  variables: Array<{ name: string; expression: CompiledExpression }>;
  matchConditions: Array<{ name: string; expression: CompiledExpression }>;
  validations: CompiledValidation[];
}

interface PolicySpec {
  paramKind?: unknown;
  matchConstraints?: MatchResources;
  validations?: Array<{ expression?: string; message?: string; reason?: string; messageExpression?: string }>;
  failurePolicy?: string;
  auditAnnotations?: unknown[];
  matchConditions?: Array<{ name?: string; expression?: string }>;
  variables?: Array<{ name?: string; expression?: string }>;
}

const REASONS = ['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const CEL_IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** ValidateRule / validateNamedRuleWithOperations (the parts a rule can get wrong) */
function validateRules(rules: NamedRule[] | undefined, at: string, errs: FieldError[]): void {
  (rules ?? []).forEach((r, i) => {
    const p = `${at}[${i}]`;
    if (!r.operations?.length) errs.push(fe.required(`${p}.operations`, ''));
    for (const op of r.operations ?? []) if (!OPERATIONS.includes(op)) errs.push(fe.notSupported(`${p}.operations`, op, OPERATIONS));
    if (!r.apiGroups?.length) errs.push(fe.required(`${p}.apiGroups`, ''));
    if (!r.apiVersions?.length) errs.push(fe.required(`${p}.apiVersions`, ''));
    if (!r.resources?.length) errs.push(fe.required(`${p}.resources`, ''));
    if (r.scope !== undefined && !SCOPES.includes(r.scope)) errs.push(fe.notSupported(`${p}.scope`, r.scope, SCOPES));
  });
}

export function validateMatchResources(m: MatchResources, at: string, rulesRequired: boolean, errs: FieldError[]): void {
  if (rulesRequired && !m.resourceRules?.length) errs.push(fe.required(`${at}.resourceRules`, ''));
  validateRules(m.resourceRules, `${at}.resourceRules`, errs);
  validateRules(m.excludeResourceRules, `${at}.excludeResourceRules`, errs);
  if (m.matchPolicy !== undefined && !['Exact', 'Equivalent'].includes(m.matchPolicy)) {
    errs.push(fe.notSupported(`${at}.matchPolicy`, m.matchPolicy, ['Equivalent', 'Exact']));
  }
}

/** compiles the spec; `errors` empty means every expression compiled and every field is supported */
export function compilePolicy(spec: PolicySpec): { policy: CompiledPolicy; errors: FieldError[] } {
  const errs: FieldError[] = [];
  if (spec.paramKind !== undefined) errs.push(fe.forbidden('spec.paramKind', `parameter resources are ${NOT_SUPPORTED_HERE}`));
  if (spec.auditAnnotations?.length) errs.push(fe.forbidden('spec.auditAnnotations', `audit annotations are ${NOT_SUPPORTED_HERE}`));
  if (!spec.matchConstraints) errs.push(fe.required('spec.matchConstraints', ''));
  else validateMatchResources(spec.matchConstraints, 'spec.matchConstraints', true, errs);
  if (!spec.validations?.length && !spec.auditAnnotations?.length) {
    errs.push(fe.required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
  }
  const failurePolicy = spec.failurePolicy ?? 'Fail';
  if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore') errs.push(fe.notSupported('spec.failurePolicy', failurePolicy, ['Fail', 'Ignore']));

  const policy: CompiledPolicy = {
    failurePolicy: failurePolicy === 'Ignore' ? 'Ignore' : 'Fail', matchConstraints: spec.matchConstraints,
    variables: [], matchConditions: [], validations: [],
  };
  const types = new Map<string, CelType>();
  const compile = (src: string | undefined, kind: 'bool' | 'string' | 'any', path: string): CompiledExpression | undefined => {
    if (!src) { errs.push(fe.required(path, 'expression is not specified')); return undefined; }
    const c = compileExpression(src, kind, types);
    if ('error' in c) { errs.push(fe.invalid(path, src, c.error)); return undefined; }
    return c;
  };

  (spec.variables ?? []).forEach((v, i) => {
    const p = `spec.variables[${i}]`;
    if (!v.name) errs.push(fe.required(`${p}.name`, 'name is not specified'));
    else if (!CEL_IDENTIFIER.test(v.name)) errs.push(fe.invalid(`${p}.name`, v.name, 'name is not a valid CEL identifier'));
    const c = compile(v.expression, 'any', `${p}.expression`);
    if (v.name && c) {
      policy.variables.push({ name: v.name, expression: c });
      types.set(v.name, c.type);
    }
  });
  (spec.matchConditions ?? []).forEach((m, i) => {
    const p = `spec.matchConditions[${i}]`;
    if (!m.name) errs.push(fe.required(`${p}.name`, ''));
    else for (const msg of isQualifiedName(m.name)) errs.push(fe.invalid(`${p}.name`, m.name, msg));
    const c = compile(m.expression, 'bool', `${p}.expression`);
    if (m.name && c) policy.matchConditions.push({ name: m.name, expression: c });
  });
  (spec.validations ?? []).forEach((v, i) => {
    const p = `spec.validations[${i}]`;
    const c = compile(v.expression, 'bool', `${p}.expression`);
    if (v.message !== undefined && v.message.trim() === '') errs.push(fe.invalid(`${p}.message`, v.message, 'message must be non-empty if specified'));
    if (v.message?.includes('\n')) errs.push(fe.invalid(`${p}.message`, v.message, 'message must not contain line breaks'));
    if (v.reason !== undefined && !REASONS.includes(v.reason)) errs.push(fe.notSupported(`${p}.reason`, v.reason, REASONS));
    const me = v.messageExpression ? compile(v.messageExpression, 'string', `${p}.messageExpression`) : undefined;
    if (c) policy.validations.push({ expression: c, message: v.message ?? '', messageExpression: me, reason: v.reason });
  });
  return { policy, errors: errs };
}
