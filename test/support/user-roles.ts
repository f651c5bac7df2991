// Role + RoleBinding manifests for named test users in namespace default, so RBAC tests read as
// "who may do what" instead of YAML.

export const containerAttachObjectsRule = 'apiGroups: [lxcattach.io]\n    resources: [containerattaches]\n    verbs: [create, get, list, watch, delete]';
export const terminalPageRule = 'apiGroups: [subresources.lxcattach.io]\n    resources: [terminal]\n    verbs: [get]';
export const attachSubresourceRule = (verbs: string) => `apiGroups: [subresources.lxcattach.io]\n    resources: [containerattaches/attach]\n    verbs: [${verbs}]`;

/** A Role named after the user with these rules, bound to the user of that name. */
export function userRoleManifest(name: string, rules: string[]): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}, namespace: default}
rules:
${rules.map((r) => `  - ${r}`).join('\n')}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${name}}
subjects: [{kind: User, name: ${name}, apiGroup: rbac.authorization.k8s.io}]
`;
}
