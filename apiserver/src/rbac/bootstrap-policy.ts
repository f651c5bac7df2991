// The default roles and bindings kube-apiserver creates at start (its "rbac/bootstrap-roles"
// post-start hook, plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), reduced to the
// rules about what this server serves. Existing objects are left alone.
import type { Obj } from '../objects.js';

const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const BOOTSTRAPPING = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const RBAC = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const AGGREGATE = (to: string) => `${RBAC}/aggregate-to-${to}`;

interface Rule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }

function clusterRole(name: string, rules: Rule[], extra: { labels?: Record<string, string>; aggregateFrom?: string } = {}): Obj {
  const role: Obj = {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAPPING, ...extra.labels }, annotations: AUTOUPDATE },
    rules,
  };
  if (extra.aggregateFrom) role['aggregationRule'] = { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE(extra.aggregateFrom)]: 'true' } }] };
  return role;
}

function clusterRoleBinding(name: string, role: string, groups: string[]): Obj {
  return {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding',
    metadata: { name, labels: BOOTSTRAPPING, annotations: AUTOUPDATE },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ kind: 'Group', apiGroup: RBAC, name: g })),
  };
}

export const BOOTSTRAP_CLUSTER_ROLES: Obj[] = [
  clusterRole('cluster-admin', [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ]),
  clusterRole('system:discovery', [{
    verbs: ['get'],
    nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
  }]),
  clusterRole('system:basic-user', [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ]),
  clusterRole('system:public-info-viewer', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }]),
  clusterRole('system:auth-delegator', [
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'] },
  ]),
  clusterRole('admin', [], { aggregateFrom: 'admin' }),
  clusterRole('edit', [], { aggregateFrom: 'edit', labels: { [AGGREGATE('admin')]: 'true' } }),
  clusterRole('view', [], { aggregateFrom: 'view', labels: { [AGGREGATE('edit')]: 'true' } }),
  clusterRole('system:aggregate-to-admin', [
    { verbs: WRITE, apiGroups: [RBAC], resources: ['rolebindings', 'roles'] },
    { verbs: READ, apiGroups: [RBAC], resources: ['rolebindings', 'roles'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'] },
  ], { labels: { [AGGREGATE('admin')]: 'true' } }),
  clusterRole('system:aggregate-to-edit', [
    { verbs: WRITE, apiGroups: [''], resources: ['configmaps', 'secrets', 'services'] },
    { verbs: READ, apiGroups: [''], resources: ['secrets'] },
    { verbs: WRITE, apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
  ], { labels: { [AGGREGATE('edit')]: 'true' } }),
  clusterRole('system:aggregate-to-view', [
    { verbs: READ, apiGroups: [''], resources: ['configmaps', 'events', 'services'] },
    { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
    { verbs: READ, apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
    { verbs: READ, apiGroups: ['events.k8s.io'], resources: ['events'] },
    { verbs: READ, apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
  ], { labels: { [AGGREGATE('view')]: 'true' } }),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: Obj[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
  clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
  clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
];

/** namespaced roles (policy.go NamespaceRoles) */
export const BOOTSTRAP_ROLES: Obj[] = [{
  apiVersion: `${RBAC}/v1`, kind: 'Role',
  metadata: { name: 'extension-apiserver-authentication-reader', namespace: 'kube-system', labels: BOOTSTRAPPING, annotations: AUTOUPDATE },
  rules: [{ verbs: READ, apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'] }],
}];
