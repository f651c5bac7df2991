// authorization.k8s.io/v1 SelfSubjectAccessReview and SubjectAccessReview:
// pkg/registry/authorization/{selfsubjectaccessreview,subjectaccessreview}/rest.go and
// pkg/apis/authorization/validation.
//
// The verdict is the server's authorizer chain (system:masters, then RBAC), as the review's REST
// handler asks it (pkg/registry/authorization/util/helpers.go ResourceAttributesFrom,
// NonResourceAttributesFrom). Nothing is stored. SelfSubjectRulesReview lists the rule resolvers'
// rules (pkg/registry/authorization/selfsubjectrulesreview/rest.go).
import { forbidden, indexPath, invalid, required, type FieldError } from './field-error.js';
import { SELF_SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_RULES_REVIEW, SUBJECT_ACCESS_REVIEW } from './go-schema/authorization.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';
import { record, str } from './printing.js';
import { defineReviewKind, invalidReview, metadataMustBeEmpty } from './review-common.js';
import { badRequest } from './review-common.js';
import type { KubeObject, ReviewContext, ReviewUser } from './types.js';

const GROUP = 'authorization.k8s.io';

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const present = (value: unknown): boolean => value !== undefined && value !== null;

/** validateFieldSelectorAttributes / validateLabelSelectorAttributes (unknown operators allowed) */
function validateSelectorAttributes(selector: unknown, path: string, labels: boolean): FieldError[] {
  if (!present(selector)) return [];
  const s = record(selector);
  const errs: FieldError[] = [];
  const raw = str(s['rawSelector']);
  const requirements = list(s['requirements']);
  if (raw.length > 0 && requirements.length > 0) errs.push(invalid(`${path}.rawSelector`, raw, 'may not specified at the same time as requirements'));
  if (raw.length === 0 && requirements.length === 0) errs.push(required(`${path}.requirements`, `when ${path} is specified, requirements or rawSelector is required`));
  requirements.forEach((item, i) => {
    const r = record(item);
    const at = indexPath(`${path}.requirements`, i);
    const key = str(r['key']);
    const values = list(r['values']);
    if (!labels && key.length === 0) errs.push(required(`${at}.key`, 'must be specified'));
    const operator = str(r['operator']);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) errs.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
    if (labels) {
      for (const msg of isQualifiedName(key)) errs.push(invalid(`${at}.key`, key, msg));
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(str(v))) errs.push(invalid(indexPath(`${at}.values`, j), str(v), msg));
      });
    }
  });
  return errs;
}

/** the checks ValidateSelfSubjectAccessReviewSpec and ValidateSubjectAccessReviewSpec share */
function validateAttributes(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const resource = spec['resourceAttributes'];
  const nonResource = spec['nonResourceAttributes'];
  if (present(resource) && present(nonResource)) {
    errs.push(invalid('spec.nonResourceAttributes', nonResource, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!present(resource) && !present(nonResource)) {
    errs.push(invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errs;
}

function validateResourceAttributes(spec: Record<string, unknown>): FieldError[] {
  if (!present(spec['resourceAttributes'])) return [];
  const attrs = record(spec['resourceAttributes']);
  return [
    ...validateSelectorAttributes(attrs['fieldSelector'], 'spec.resourceAttributes.fieldSelector', false),
    ...validateSelectorAttributes(attrs['labelSelector'], 'spec.resourceAttributes.labelSelector', true),
  ];
}

/** the authorizer's answer for the spec's attributes, evaluated for `user` */
function evaluate(obj: KubeObject, user: ReviewUser, context: ReviewContext): KubeObject {
  const spec = record(obj['spec']);
  const base = { user, isResourceRequest: false, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '', path: '', verb: '' };
  const attributes = present(spec['resourceAttributes'])
    ? (() => {
      const r = record(spec['resourceAttributes']);
      return { ...base, isResourceRequest: true, verb: str(r['verb']), namespace: str(r['namespace']), apiGroup: str(r['group']),
        apiVersion: str(r['version']), resource: str(r['resource']), subresource: str(r['subresource']), name: str(r['name']) };
    })()
    : { ...base, path: str(record(spec['nonResourceAttributes'])['path']), verb: str(record(spec['nonResourceAttributes'])['verb']) };
  const d = context.authorize ? context.authorize(attributes) : { allowed: false, reason: 'no authorizer' };
  const status: Record<string, unknown> = { allowed: d.allowed };
  if (d.reason) status['reason'] = d.reason;
  return { ...obj, status };
}

function userOf(spec: Record<string, unknown>): ReviewUser {
  const u: ReviewUser = { username: str(spec['user']), groups: list(spec['groups']).map(str) };
  if (str(spec['uid'])) u.uid = str(spec['uid']);
  const extra = record(spec['extra']);
  if (Object.keys(extra).length > 0) u.extra = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, list(v).map(str)]));
  return u;
}

export const selfSubjectAccessReviewKind = defineReviewKind({
  group: GROUP, kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews',
  goType: SELF_SUBJECT_ACCESS_REVIEW,
  review(obj, context) {
    const spec = record(obj['spec']);
    const errs = [...validateAttributes(spec), ...validateResourceAttributes(spec), ...metadataMustBeEmpty(obj)];
    if (errs.length > 0) throw invalidReview(GROUP, errs);
    if (!context.user) throw badRequest('no user present on request');
    return evaluate(obj, context.user, context);
  },
});

export const subjectAccessReviewKind = defineReviewKind({
  group: GROUP, kind: 'SubjectAccessReview', plural: 'subjectaccessreviews',
  goType: SUBJECT_ACCESS_REVIEW,
  review(obj, context) {
    const spec = record(obj['spec']);
    const errs = validateAttributes(spec);
    if (str(spec['user']) === '' && list(spec['groups']).length === 0) {
      errs.push(invalid('spec.user', str(spec['user']), 'at least one of user or group must be specified'));
    }
    errs.push(...validateResourceAttributes(spec), ...metadataMustBeEmpty(obj));
    if (errs.length > 0) throw invalidReview(GROUP, errs);
    return evaluate(obj, userOf(spec), context);
  },
});

export const selfSubjectRulesReviewKind = defineReviewKind({
  group: GROUP, kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews',
  goType: SELF_SUBJECT_RULES_REVIEW,
  review(obj, context) {
    if (!context.user) throw badRequest('no user present on request');
    const namespace = str(record(obj['spec'])['namespace']);
    if (namespace === '') throw badRequest('no namespace on request');
    const rules = context.rulesFor?.(context.user, namespace) ?? { resourceRules: [], nonResourceRules: [], evaluationError: '' };
    const status: Record<string, unknown> = {
      resourceRules: rules.resourceRules.map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
      nonResourceRules: rules.nonResourceRules.map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    };
    if (rules.evaluationError) status['evaluationError'] = rules.evaluationError;
    return { ...obj, status };
  },
});
