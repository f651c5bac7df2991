// The second authorization step: kube-apiserver has checked `get` on containerattaches/attach
// before proxying; this asks it whether the user may also `create` it, as kube 1.35 does for
// WebSocket pods/exec (AuthorizePodWebsocketUpgradeCreatePermission).
import type { KubeClient } from '../../../common/src/kube/client.js';
import type { UserInfo } from './requestheader-auth.js';

export const subresourceGroup = 'subresources.lxcattach.io';

interface AttachTarget {
  namespace: string;
  name: string;
}

interface SubjectAccessReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export async function mayCreateAttach(client: KubeClient, user: UserInfo, target: AttachTarget): Promise<Decision> {
  const review = await client.request<{ status?: SubjectAccessReviewStatus }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: user.username,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: user.groups,
        extra: user.extra,
        resourceAttributes: {
          namespace: target.namespace, verb: 'create', group: subresourceGroup, version: 'v1alpha1',
          resource: 'containerattaches', subresource: 'attach', name: target.name,
        },
      },
    },
  });
  return { allowed: review.status?.allowed === true, reason: review.status?.reason ?? '' };
}

/** kube's forbidden wording (k8s staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters
 *  errors.go forbiddenMessage), so the plugin prints what kubectl would. */
export function forbiddenMessage(user: UserInfo, target: AttachTarget, reason: string): string {
  const message = `containerattaches.${subresourceGroup} "${target.name}" is forbidden: User "${user.username}" cannot create resource ` +
    `"containerattaches/attach" in API group "${subresourceGroup}" in the namespace "${target.namespace}"`;
  return reason ? `${message}: ${reason}` : message;
}
