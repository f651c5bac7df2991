// The ValidatingAdmissionPolicy admission plugin: every stored policy whose matchConstraints select
// a write, through each of its bindings that selects it too, evaluates its matchConditions and
// validations; the first denial refuses the write with kube's Status
// (staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating/dispatcher.go and
// validator.go: "ValidatingAdmissionPolicy 'P' with binding 'B' denied request: MESSAGE", the
// validation's reason, Invalid by default, deciding the code).
import type { Obj } from '../objects.js';
import { peekMeta } from '../objects.js';
import { forbidden, type ApiError } from '../status.js';
import { CelError, CelMap, type Value } from '../schema/cel/values.js';
import { admissionRequestValue, namespaceObjectValue, objectValue, type AdmissionAttributes } from './admission-attributes.js';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { evaluateExpression } from './policy-expressions.js';
import { matches, type MatchResources } from './policy-match.js';

export const ADMISSION_GROUP = 'admissionregistration.k8s.io';
export const POLICIES_BUCKET = `${ADMISSION_GROUP}/validatingadmissionpolicies`;
export const BINDINGS_BUCKET = `${ADMISSION_GROUP}/validatingadmissionpolicybindings`;

/** celconfig.MaxEvaluatedMessageExpressionSizeBytes */
const MAX_MESSAGE_BYTES = 5 * 1024;

const REASON_CODES: Record<string, number> = { Forbidden: 403, Unauthorized: 401, RequestEntityTooLarge: 413, Invalid: 422 };

interface Denial { policy: string; binding: string; message: string; reason: string }

interface BindingSpec { policyName?: string; matchResources?: MatchResources; validationActions?: string[] }

/** where the dispatcher reads policies and bindings (the server's store) */
export interface PolicySource {
  list(bucket: string): Iterable<Obj>;
}

export class ValidatingPolicyAdmission {
  readonly #source: PolicySource;
  /** compiled policies by uid, kept while their resourceVersion is unchanged */
  readonly #compiled = new Map<string, { resourceVersion: string; policy: CompiledPolicy }>();

  constructor(source: PolicySource) {
    this.#source = source;
  }

  /** throws the refusal, if a policy denies the request */
  validate(a: AdmissionAttributes): void {
    // IsExemptAdmissionConfigurationResource: the policies cannot lock themselves in
    if (a.group === ADMISSION_GROUP) return;
    const denial = this.#firstDenial(a);
    if (denial) throw refusal(a, denial);
  }

  #firstDenial(a: AdmissionAttributes): Denial | undefined {
    const byName = (x: Obj, y: Obj) => (peekMeta(x).name! < peekMeta(y).name! ? -1 : 1);
    const policies = [...this.#source.list(POLICIES_BUCKET)].sort(byName);
    if (this.#compiled.size > policies.length) {
      const live = new Set(policies.map((p) => peekMeta(p).uid));
      for (const uid of this.#compiled.keys()) if (!live.has(uid)) this.#compiled.delete(uid);
    }
    if (policies.length === 0) return undefined;
    const bindings = [...this.#source.list(BINDINGS_BUCKET)].sort(byName);
    for (const p of policies) {
      const name = peekMeta(p).name!;
      const policy = this.#compile(p);
      if (!matches(policy.matchConstraints, a)) continue;
      for (const b of bindings) {
        const spec = (b['spec'] ?? {}) as BindingSpec;
        if (spec.policyName !== name || !matches(spec.matchResources, a)) continue;
        if (!(spec.validationActions ?? []).includes('Deny')) continue;
        const d = evaluatePolicy(policy, a);
        if (d) return { policy: name, binding: peekMeta(b).name!, ...d };
      }
    }
    return undefined;
  }

  #compile(p: Obj): CompiledPolicy {
    const m = peekMeta(p);
    const cached = this.#compiled.get(m.uid!);
    if (cached && cached.resourceVersion === m.resourceVersion) return cached.policy;
    // Stored policies passed validation, so every expression compiled.
    const { policy } = compilePolicy((p['spec'] ?? {}) as Parameters<typeof compilePolicy>[0]);
    this.#compiled.set(m.uid!, { resourceVersion: m.resourceVersion!, policy });
    return policy;
  }
}

/** validator.go Validate for one binding: undefined admits */
function evaluatePolicy(policy: CompiledPolicy, a: AdmissionAttributes): { message: string; reason: string } | undefined {
  const onError = (message: string) => (policy.failurePolicy === 'Fail' ? { message, reason: 'Invalid' } : undefined);
  const variables = new CelMap(true, 'kubernetes.variables');
  const vars = new Map<string, Value>([
    ['object', objectValue(a.object)],
    ['oldObject', objectValue(a.oldObject)],
    ['request', admissionRequestValue(a)],
    ['params', null],
    ['namespaceObject', a.namespace ? namespaceObjectValue(a.namespaceObject) : null],
    ['variables', variables],
  ]);
  // Variables are values or errors; an error only fails the expressions that read it.
  for (const v of policy.variables) {
    const r = evaluateExpression(v.expression, vars);
    variables.set(v.name, 'value' in r ? r.value : new CelError(`composited variable "${v.name}" fails to evaluate: ${r.cause}`));
  }
  // matchconditions/matcher.go: any false condition skips the policy, even when another errs;
  // the errors are reported as utilerrors.NewAggregate prints them
  const conditionErrors: string[] = [];
  for (const c of policy.matchConditions) {
    const r = evaluateExpression(c.expression, vars);
    if ('error' in r) conditionErrors.push(r.error);
    else if (r.value === false) return undefined;
  }
  if (conditionErrors.length > 0) {
    const unique = [...new Set(conditionErrors)];
    return onError(unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`);
  }
  for (const v of policy.validations) {
    const r = evaluateExpression(v.expression, vars);
    if ('error' in r) {
      const d = onError(r.error);
      if (d) return d;
      continue;
    }
    if (r.value === true) continue;
    let message = '';
    if (v.messageExpression) {
      const m = evaluateExpression(v.messageExpression, vars);
      if ('value' in m && typeof m.value === 'string') {
        message = m.value.trim();
        if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES || message.includes('\n')) message = '';
      }
    }
    if (message === '' && v.message) message = v.message.trim();
    if (message === '') message = `failed expression: ${v.expression.source.trim()}`;
    return { message, reason: v.reason ?? 'Invalid' };
  }
  return undefined;
}

/** admission.NewForbidden, then the policy's reason and code, and the message as a cause */
function refusal(a: AdmissionAttributes, d: Denial): ApiError {
  const message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`;
  const name = a.name || peekMeta(a.object ?? {}).name || peekMeta(a.object ?? {}).generateName || 'Unknown';
  const e = forbidden({ group: a.group, resource: a.resource }, name, message);
  e.status.reason = d.reason as never;
  e.status.code = REASON_CODES[d.reason] ?? 422;
  e.status.details = { ...e.status.details, causes: [...(e.status.details?.causes ?? []), { message }] };
  return e;
}
