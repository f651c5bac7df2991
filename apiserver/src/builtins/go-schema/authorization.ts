// k8s.io/api/authorization/v1 access reviews (types.go field order, generated.proto numbers).
import { FIELD_SELECTOR_REQUIREMENT, LABEL_SELECTOR_REQUIREMENT, metadataField } from './meta.js';
import { BOOL, STRING, STRING_LIST, TYPE_META_FIELDS, mapOf, opt, req, sliceOf, struct } from './model.js';

const RESOURCE_ATTRIBUTES = struct('ResourceAttributes', [
  opt('namespace', 1, STRING),
  opt('verb', 2, STRING),
  opt('group', 3, STRING),
  opt('version', 4, STRING),
  opt('resource', 5, STRING),
  opt('subresource', 6, STRING),
  opt('name', 7, STRING),
  opt('fieldSelector', 8, struct('FieldSelectorAttributes', [
    opt('rawSelector', 1, STRING),
    opt('requirements', 2, sliceOf(FIELD_SELECTOR_REQUIREMENT)),
  ]), { pointer: true }),
  opt('labelSelector', 9, struct('LabelSelectorAttributes', [
    opt('rawSelector', 1, STRING),
    opt('requirements', 2, sliceOf(LABEL_SELECTOR_REQUIREMENT)),
  ]), { pointer: true }),
]);

const NON_RESOURCE_ATTRIBUTES = struct('NonResourceAttributes', [
  opt('path', 1, STRING),
  opt('verb', 2, STRING),
]);

const SUBJECT_ACCESS_REVIEW_STATUS = struct('SubjectAccessReviewStatus', [
  req('allowed', 1, BOOL),
  opt('denied', 4, BOOL),
  opt('reason', 2, STRING),
  opt('evaluationError', 3, STRING),
]);

export const SELF_SUBJECT_ACCESS_REVIEW = struct('SelfSubjectAccessReview', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('spec', 2, struct('SelfSubjectAccessReviewSpec', [
    opt('resourceAttributes', 1, RESOURCE_ATTRIBUTES, { pointer: true }),
    opt('nonResourceAttributes', 2, NON_RESOURCE_ATTRIBUTES, { pointer: true }),
  ])),
  opt('status', 3, SUBJECT_ACCESS_REVIEW_STATUS),
]);

export const SUBJECT_ACCESS_REVIEW = struct('SubjectAccessReview', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('spec', 2, struct('SubjectAccessReviewSpec', [
    opt('resourceAttributes', 1, RESOURCE_ATTRIBUTES, { pointer: true }),
    opt('nonResourceAttributes', 2, NON_RESOURCE_ATTRIBUTES, { pointer: true }),
    opt('user', 3, STRING),
    opt('groups', 4, sliceOf(STRING)),
    opt('extra', 5, mapOf(STRING_LIST)),
    opt('uid', 6, STRING),
  ])),
  opt('status', 3, SUBJECT_ACCESS_REVIEW_STATUS),
]);

export const SELF_SUBJECT_RULES_REVIEW = struct('SelfSubjectRulesReview', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('spec', 2, struct('SelfSubjectRulesReviewSpec', [opt('namespace', 1, STRING)])),
  opt('status', 3, struct('SubjectRulesReviewStatus', [
    req('resourceRules', 1, sliceOf(struct('ResourceRule', [
      req('verbs', 1, sliceOf(STRING)),
      opt('apiGroups', 2, sliceOf(STRING)),
      opt('resources', 3, sliceOf(STRING)),
      opt('resourceNames', 4, sliceOf(STRING)),
    ]))),
    req('nonResourceRules', 2, sliceOf(struct('NonResourceRule', [
      req('verbs', 1, sliceOf(STRING)),
      opt('nonResourceURLs', 2, sliceOf(STRING), { goName: 'NonResourceURLs' }),
    ]))),
    req('incomplete', 3, BOOL),
    opt('evaluationError', 4, STRING),
  ])),
]);
