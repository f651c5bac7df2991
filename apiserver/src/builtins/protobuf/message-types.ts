// The kinds a protobuf request body may carry here, by "<apiVersion>/<Kind>".
import { TOKEN_REQUEST, TOKEN_REVIEW } from '../go-schema/authentication.js';
import { SELF_SUBJECT_ACCESS_REVIEW, SUBJECT_ACCESS_REVIEW } from '../go-schema/authorization.js';
import { LEASE } from '../go-schema/coordination.js';
import { CORE_EVENT, NAMESPACE, SECRET } from '../go-schema/core.js';
import { EVENTS_EVENT } from '../go-schema/events.js';
import type { GoStruct } from '../go-schema/model.js';

export const PROTO_TYPES = new Map<string, GoStruct>([
  ['v1/Namespace', NAMESPACE],
  ['v1/Secret', SECRET],
  ['v1/Event', CORE_EVENT],
  ['events.k8s.io/v1/Event', EVENTS_EVENT],
  ['coordination.k8s.io/v1/Lease', LEASE],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', SELF_SUBJECT_ACCESS_REVIEW],
  ['authorization.k8s.io/v1/SubjectAccessReview', SUBJECT_ACCESS_REVIEW],
  ['authentication.k8s.io/v1/TokenReview', TOKEN_REVIEW],
  // serviceaccounts/<name>/token takes this (kubectl create token)
  ['authentication.k8s.io/v1/TokenRequest', TOKEN_REQUEST],
]);
