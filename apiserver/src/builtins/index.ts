// The builtins module: the built-in kinds the standalone API server serves, and the helpers the
// core takes with them (strategic merge patch, protobuf bodies, the typed refusals).
import { selfSubjectAccessReviewKind, selfSubjectRulesReviewKind, subjectAccessReviewKind } from './access-review.js';
import { clusterRoleBindingKind, clusterRoleKind, roleBindingKind, roleKind } from './rbac-kinds.js';
import { selfSubjectReviewKind } from './self-subject-review.js';
import { apiServiceKind } from './apiservice.js';
import { configMapKind } from './configmap.js';
import { endpointSliceKind } from './endpointslice.js';
import { coreEventKind } from './event-core.js';
import { serviceKind } from './service.js';
import { eventsEventKind } from './event-events.js';
import type { BuiltinKindWithType } from './kind-base.js';
import { leaseKind } from './lease.js';
import { namespaceKind } from './namespace.js';
import { secretKind } from './secret.js';
import { tokenReviewKind } from './token-review.js';
import { validatingAdmissionPolicyBindingKind, validatingAdmissionPolicyKind } from './validating-admission-policy.js';

export type {
  BuiltinKind, BuiltinSubresource, KubeObject, ReviewAttributes, ReviewContext, ReviewRule, ReviewUser, SharedStorage, TableColumnDefinition,
} from './types.js';
export { BuiltinDecodeError, BuiltinRequestError } from './types.js';
export type { BuiltinKindWithType } from './kind-base.js';
export { METADATA_NAME_LABEL } from './namespace.js';
export { SERVICE_NAME_LABEL } from './endpointslice.js';
export { availableCondition } from './apiservice.js';
export { StrategicMergePatchError, strategicMergePatch } from './strategic-merge-patch.js';
export { ProtobufDecodeError, decodeProtobufBody, type GroupVersionKind } from './protobuf/decode-message.js';

/** in the order a 1.32 server's discovery lists them: groups by priority (core, apiregistration, events.k8s.io,
 *  authentication, authorization, rbac, coordination, discovery), resources alphabetically within a group */
export const builtinKinds: BuiltinKindWithType[] = [
  configMapKind,
  coreEventKind,
  namespaceKind,
  secretKind,
  serviceKind,
  apiServiceKind,
  eventsEventKind,
  selfSubjectReviewKind,
  tokenReviewKind,
  selfSubjectAccessReviewKind,
  selfSubjectRulesReviewKind,
  subjectAccessReviewKind,
  clusterRoleBindingKind,
  clusterRoleKind,
  roleBindingKind,
  roleKind,
  validatingAdmissionPolicyKind,
  validatingAdmissionPolicyBindingKind,
  leaseKind,
  endpointSliceKind,
];

/** the built-in kind served at group/version under `plural` (or named `kind`), if any */
export function findBuiltinKind(group: string, version: string, pluralOrKind: string): BuiltinKindWithType | undefined {
  return builtinKinds.find((k) => k.group === group && k.version === version && (k.plural === pluralOrKind || k.kind === pluralOrKind));
}
