// k8s.io/api/rbac/v1 types (types.go field order, generated.proto numbers).
import { LABEL_SELECTOR_REQUIREMENT, metadataField } from './meta.js';
import { STRING, TYPE_META_FIELDS, mapOf, opt, req, sliceOf, struct } from './model.js';

export const POLICY_RULE = struct('PolicyRule', [
  req('verbs', 1, sliceOf(STRING)),
  opt('apiGroups', 2, sliceOf(STRING)),
  opt('resources', 3, sliceOf(STRING)),
  opt('resourceNames', 4, sliceOf(STRING)),
  opt('nonResourceURLs', 5, sliceOf(STRING), { goName: 'NonResourceURLs' }),
]);

export const LABEL_SELECTOR = struct('LabelSelector', [
  opt('matchLabels', 1, mapOf(STRING)),
  opt('matchExpressions', 2, sliceOf(LABEL_SELECTOR_REQUIREMENT)),
]);

const SUBJECT = struct('Subject', [
  req('kind', 1, STRING),
  opt('apiGroup', 2, STRING, { goName: 'APIGroup' }),
  req('name', 3, STRING),
  opt('namespace', 4, STRING),
]);

const ROLE_REF = struct('RoleRef', [
  req('apiGroup', 1, STRING, { goName: 'APIGroup' }),
  req('kind', 2, STRING),
  req('name', 3, STRING),
]);

export const ROLE = struct('Role', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('rules', 2, sliceOf(POLICY_RULE)),
]);

export const CLUSTER_ROLE = struct('ClusterRole', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('rules', 2, sliceOf(POLICY_RULE)),
  opt('aggregationRule', 3, struct('AggregationRule', [
    opt('clusterRoleSelectors', 1, sliceOf(LABEL_SELECTOR)),
  ]), { pointer: true }),
]);

export const ROLE_BINDING = struct('RoleBinding', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('subjects', 2, sliceOf(SUBJECT)),
  req('roleRef', 3, ROLE_REF),
]);

export const CLUSTER_ROLE_BINDING = struct('ClusterRoleBinding', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('subjects', 2, sliceOf(SUBJECT)),
  req('roleRef', 3, ROLE_REF),
]);
