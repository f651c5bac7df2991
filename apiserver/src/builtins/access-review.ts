// authorization.k8s.io/v1 SelfSubjectAccessReview and SubjectAccessReview:
// pkg/registry/authorization/{selfsubjectaccessreview,subjectaccessreview}/rest.go and
// pkg/apis/authorization/validation.
//
// The standalone server has one all-powerful user and no RBAC: its authorizer allows everything
// (as kube's system:masters path does, with an empty reason), so every well-formed review answers
// status {allowed: true}. Nothing is stored.
import { forbidden, indexPath, invalid, required, type FieldError } from './field-error.js';
import { SELF_SUBJECT_ACCESS_REVIEW, SUBJECT_ACCESS_REVIEW } from './go-schema/authorization.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';
import { record, str } from './printing.js';
import { defineReviewKind, invalidReview, metadataMustBeEmpty } from './review-common.js';
import type { KubeObject } from './types.js';

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

/** the always-allow authorizer's answer */
function allow(obj: KubeObject): KubeObject {
  return { ...obj, status: { allowed: true } };
}

export const selfSubjectAccessReviewKind = defineReviewKind({
  group: GROUP, kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews',
  goType: SELF_SUBJECT_ACCESS_REVIEW,
  review(obj) {
    const spec = record(obj['spec']);
    const errs = [...validateAttributes(spec), ...validateResourceAttributes(spec), ...metadataMustBeEmpty(obj)];
    if (errs.length > 0) throw invalidReview(GROUP, errs);
    return allow(obj);
  },
});

export const subjectAccessReviewKind = defineReviewKind({
  group: GROUP, kind: 'SubjectAccessReview', plural: 'subjectaccessreviews',
  goType: SUBJECT_ACCESS_REVIEW,
  review(obj) {
    const spec = record(obj['spec']);
    const errs = validateAttributes(spec);
    if (str(spec['user']) === '' && list(spec['groups']).length === 0) {
      errs.push(invalid('spec.user', str(spec['user']), 'at least one of user or group must be specified'));
    }
    errs.push(...validateResourceAttributes(spec), ...metadataMustBeEmpty(obj));
    if (errs.length > 0) throw invalidReview(GROUP, errs);
    return allow(obj);
  },
});
