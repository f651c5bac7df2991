// The kinds a protobuf request body may carry here, by "<apiVersion>/<Kind>".
import { SELF_SUBJECT_REVIEW, TOKEN_REQUEST, TOKEN_REVIEW } from '../go-schema/authentication.js';
import { CLUSTER_ROLE, CLUSTER_ROLE_BINDING, ROLE, ROLE_BINDING } from '../go-schema/rbac.js';
import { SELF_SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_RULES_REVIEW, SUBJECT_ACCESS_REVIEW } from '../go-schema/authorization.js';
import { LEASE } from '../go-schema/coordination.js';
import { CORE_EVENT, NAMESPACE, SECRET } from '../go-schema/core.js';
import { EVENTS_EVENT } from '../go-schema/events.js';
import { API_SERVICE, CONFIG_MAP, ENDPOINT_SLICE, SERVICE } from '../go-schema/aggregation.js';
import type { GoStruct } from '../go-schema/model.js';

export const PROTO_TYPES = new Map<string, GoStruct>([
  ['v1/Namespace', NAMESPACE],
  ['v1/Secret', SECRET],
  ['v1/ConfigMap', CONFIG_MAP],
  ['v1/Service', SERVICE],
  ['discovery.k8s.io/v1/EndpointSlice', ENDPOINT_SLICE],
  ['apiregistration.k8s.io/v1/APIService', API_SERVICE],
  ['v1/Event', CORE_EVENT],
  ['events.k8s.io/v1/Event', EVENTS_EVENT],
  ['coordination.k8s.io/v1/Lease', LEASE],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', SELF_SUBJECT_ACCESS_REVIEW],
  ['authorization.k8s.io/v1/SubjectAccessReview', SUBJECT_ACCESS_REVIEW],
  ['authorization.k8s.io/v1/SelfSubjectRulesReview', SELF_SUBJECT_RULES_REVIEW],
  ['authentication.k8s.io/v1/TokenReview', TOKEN_REVIEW],
  ['authentication.k8s.io/v1/SelfSubjectReview', SELF_SUBJECT_REVIEW],
  ['rbac.authorization.k8s.io/v1/Role', ROLE],
  ['rbac.authorization.k8s.io/v1/ClusterRole', CLUSTER_ROLE],
  ['rbac.authorization.k8s.io/v1/RoleBinding', ROLE_BINDING],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', CLUSTER_ROLE_BINDING],
  // serviceaccounts/<name>/token takes this (kubectl create token)
  ['authentication.k8s.io/v1/TokenRequest', TOKEN_REQUEST],
]);
