// k8s.io/api/admissionregistration/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// (types.go field order, generated.proto numbers). NamedRuleWithOperations embeds
// RuleWithOperations and Rule inline: their JSON fields sit flat here, with the numbers of the
// structs they come from (this model has no inline embedding, so the protobuf form of a rule is
// not decoded faithfully; kubectl and the agent send JSON).
import { metadataField } from './meta.js';
import { INT64, RAW_JSON, STRING, TYPE_META_FIELDS, opt, req, sliceOf, struct } from './model.js';
import { LABEL_SELECTOR } from './rbac.js';

const PARAM_KIND = struct('ParamKind', [
  opt('apiVersion', 1, STRING, { goName: 'APIVersion' }),
  opt('kind', 2, STRING),
]);

const NAMED_RULE_WITH_OPERATIONS = struct('NamedRuleWithOperations', [
  opt('resourceNames', 1, sliceOf(STRING)),
  opt('operations', 1, sliceOf(STRING)),
  opt('apiGroups', 1, sliceOf(STRING), { goName: 'APIGroups' }),
  opt('apiVersions', 2, sliceOf(STRING), { goName: 'APIVersions' }),
  opt('resources', 3, sliceOf(STRING)),
  opt('scope', 4, STRING, { pointer: true }),
]);

export const MATCH_RESOURCES = struct('MatchResources', [
  opt('namespaceSelector', 1, LABEL_SELECTOR, { pointer: true }),
  opt('objectSelector', 2, LABEL_SELECTOR, { pointer: true }),
  opt('resourceRules', 3, sliceOf(NAMED_RULE_WITH_OPERATIONS)),
  opt('excludeResourceRules', 4, sliceOf(NAMED_RULE_WITH_OPERATIONS)),
  opt('matchPolicy', 7, STRING, { pointer: true }),
]);

const VALIDATION = struct('Validation', [
  req('expression', 1, STRING),
  opt('message', 2, STRING),
  opt('reason', 3, STRING, { pointer: true }),
  opt('messageExpression', 4, STRING),
]);

const AUDIT_ANNOTATION = struct('AuditAnnotation', [
  req('key', 1, STRING),
  req('valueExpression', 2, STRING),
]);

const MATCH_CONDITION = struct('MatchCondition', [
  req('name', 1, STRING),
  req('expression', 2, STRING),
]);

const VARIABLE = struct('Variable', [
  req('name', 1, STRING),
  req('expression', 2, STRING),
]);

export const VALIDATING_ADMISSION_POLICY = struct('ValidatingAdmissionPolicy', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('spec', 2, struct('ValidatingAdmissionPolicySpec', [
    opt('paramKind', 1, PARAM_KIND, { pointer: true }),
    opt('matchConstraints', 2, MATCH_RESOURCES, { pointer: true }),
    opt('validations', 3, sliceOf(VALIDATION)),
    opt('failurePolicy', 4, STRING, { pointer: true }),
    opt('auditAnnotations', 5, sliceOf(AUDIT_ANNOTATION)),
    opt('matchConditions', 6, sliceOf(MATCH_CONDITION), { patchStrategy: 'merge', patchMergeKey: 'name' }),
    opt('variables', 7, sliceOf(VARIABLE)),
  ])),
  opt('status', 3, struct('ValidatingAdmissionPolicyStatus', [
    opt('observedGeneration', 1, INT64),
    opt('typeChecking', 2, RAW_JSON),
    opt('conditions', 3, RAW_JSON),
  ])),
]);

export const VALIDATING_ADMISSION_POLICY_BINDING = struct('ValidatingAdmissionPolicyBinding', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('spec', 2, struct('ValidatingAdmissionPolicyBindingSpec', [
    opt('policyName', 1, STRING),
    opt('paramRef', 2, RAW_JSON),
    opt('matchResources', 3, MATCH_RESOURCES, { pointer: true }),
    opt('validationActions', 4, sliceOf(STRING)),
  ])),
]);
