// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding:
// pkg/registry/admissionregistration/validatingadmissionpolicy{,binding}/strategy.go, the defaults
// of pkg/apis/admissionregistration/v1/defaults.go, the validation of
// pkg/apis/admissionregistration/validation/validation.go (the supported subset; the rest is
// refused by name) and the printers of pkg/printers/internalversion/printers.go.
// The policies are enforced by admission/validating-policy-admission.ts.
// Not done: the type-checking controller (status.typeChecking, status.observedGeneration stay empty).
import { compilePolicy, NOT_SUPPORTED_HERE, validateMatchResources } from '../admission/compile-policy.js';
import type { MatchResources } from '../admission/policy-types.js';
import { fe, validateObjectMeta, validateObjectMetaUpdate, type FieldError } from '../schema/index.js';
import { deepEqual } from '../objects.js';
import { VALIDATING_ADMISSION_POLICY, VALIDATING_ADMISSION_POLICY_BINDING } from './go-schema/admissionregistration.js';
import { child, defineKind, STORE_VERBS } from './kind-base.js';
import { ageColumn, column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import type { KubeObject } from './types.js';

const GROUP = 'admissionregistration.k8s.io';
const ACTIONS = ['Deny'];

/** SetDefaults_MatchResources and SetDefaults_Rule */
function defaultMatchResources(m: Record<string, unknown>): void {
  m['namespaceSelector'] ??= {};
  m['objectSelector'] ??= {};
  m['matchPolicy'] ??= 'Equivalent';
  for (const key of ['resourceRules', 'excludeResourceRules']) {
    for (const r of (Array.isArray(m[key]) ? m[key] : []) as Record<string, unknown>[]) r['scope'] ??= '*';
  }
}

function metaErrors(obj: KubeObject, old?: KubeObject): FieldError[] {
  return old ? validateObjectMetaUpdate(metadataOf(obj), metadataOf(old)) : validateObjectMeta(metadataOf(obj), { namespaced: false, nameRule: 'dns1123subdomain' });
}

/** the generation moves with the spec (PrepareForUpdate of both strategies) */
function bumpGeneration(obj: KubeObject, old: KubeObject): void {
  const meta = metadataOf(obj);
  const oldGeneration = Number(metadataOf(old)['generation'] ?? 1);
  meta['generation'] = deepEqual(obj['spec'], old['spec']) ? oldGeneration : oldGeneration + 1;
}

const unset = (v: unknown) => (v === undefined || v === null ? '<unset>' : undefined);

/** kube's defaults for a policy's spec (SetDefaults_ValidatingAdmissionPolicySpec) */
function defaultPolicySpec(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  spec['failurePolicy'] ??= 'Fail';
  if (spec['matchConstraints']) defaultMatchResources(record(spec['matchConstraints']));
}

export const validatingAdmissionPolicyKind = defineKind({
  group: GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicy', plural: 'validatingadmissionpolicies', singular: 'validatingadmissionpolicy',
  namespaced: false, shortNames: [], categories: ['api-extensions'],
  verbs: STORE_VERBS,
  goType: VALIDATING_ADMISSION_POLICY,
  subresources: [{
    name: 'status', kind: 'ValidatingAdmissionPolicy', verbs: ['get', 'patch', 'update'],
    prepareForUpdate(obj, old) {
      obj['spec'] = structuredClone(old['spec']);
    },
    validateUpdate: (obj, old) => metaErrors(obj, old),
  }],
  prepareForCreate(obj) {
    defaultPolicySpec(obj);
    obj['status'] = {};
    metadataOf(obj)['generation'] = 1;
  },
  prepareForUpdate(obj, old) {
    defaultPolicySpec(obj);
    obj['status'] = structuredClone(old['status'] ?? {});
    bumpGeneration(obj, old);
  },
  validate(obj, old) {
    const errs = metaErrors(obj, old);
    errs.push(...compilePolicy(record(obj['spec'])).errors);
    return errs;
  },
  allowUnconditionalUpdate: false,
  createOnUpdate: false,
  fieldSelectors: {},
  tableColumns: [
    nameColumn(),
    column('Validations', 'Validations is the number of validations of the policy.', { type: 'integer' }),
    column('ParamKind', 'ParamKind is the kind of the parameter resource.'),
    ageColumn(),
  ],
  tableCells(obj, now = Date.now()) {
    const spec = record(obj['spec']);
    const pk = spec['paramKind'] as { apiVersion?: string; kind?: string } | undefined;
    const validations = Array.isArray(spec['validations']) ? spec['validations'].length : 0;
    return [str(metadataOf(obj)['name']), validations, unset(pk) ?? `${pk!.apiVersion ?? ''}/${pk!.kind ?? ''}`, timestampSince(metadataOf(obj)['creationTimestamp'], now)];
  },
});

/** kube's defaults for a binding's spec: those of its matchResources (SetDefaults_MatchResources) */
function defaultBindingSpec(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (spec['matchResources']) defaultMatchResources(record(spec['matchResources']));
}

function validateBindingSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(spec['policyName'])) errs.push(fe.required('spec.policyName', ''));
  if (spec['paramRef'] !== undefined) errs.push(fe.forbidden('spec.paramRef', `parameter resources are ${NOT_SUPPORTED_HERE}`));
  const actions = Array.isArray(spec['validationActions']) ? (spec['validationActions'] as string[]) : [];
  if (actions.length === 0) errs.push(fe.required('spec.validationActions', 'at least one validation action is required'));
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (seen.has(a)) errs.push(fe.duplicate(`spec.validationActions[${i}]`, a));
    seen.add(a);
    if (!ACTIONS.includes(a)) errs.push(fe.notSupported(`spec.validationActions[${i}]`, a, ACTIONS));
  });
  if (spec['matchResources']) validateMatchResources(spec['matchResources'] as MatchResources, 'spec.matchResources', false, errs);
  return errs;
}

export const validatingAdmissionPolicyBindingKind = defineKind({
  group: GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicyBinding', plural: 'validatingadmissionpolicybindings',
  singular: 'validatingadmissionpolicybinding', namespaced: false, shortNames: [], categories: ['api-extensions'],
  verbs: STORE_VERBS,
  goType: VALIDATING_ADMISSION_POLICY_BINDING,
  prepareForCreate(obj) {
    defaultBindingSpec(obj);
    metadataOf(obj)['generation'] = 1;
  },
  prepareForUpdate(obj, old) {
    defaultBindingSpec(obj);
    bumpGeneration(obj, old);
  },
  validate(obj, old) {
    const errs = metaErrors(obj, old);
    errs.push(...validateBindingSpec(record(obj['spec'])));
    return errs;
  },
  allowUnconditionalUpdate: false,
  createOnUpdate: false,
  fieldSelectors: {},
  tableColumns: [
    nameColumn(),
    column('PolicyName', 'PolicyName is the name of the ValidatingAdmissionPolicy the binding binds to.'),
    column('ParamRef', 'ParamRef is the parameter resource of the binding.'),
    ageColumn(),
  ],
  tableCells(obj, now = Date.now()) {
    const spec = record(obj['spec']);
    return [str(metadataOf(obj)['name']), str(spec['policyName']), unset(spec['paramRef']) ?? '*', timestampSince(metadataOf(obj)['creationTimestamp'], now)];
  },
});
