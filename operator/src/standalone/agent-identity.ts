// Who the standalone node agent is to its API server: the ServiceAccount a chart install gives
// the agent, carrying its node name as the user extra a projected ServiceAccount token carries in
// a cluster, with the chart's RBAC and node-bound policy. Standalone mode has no token issuer, so
// the agent reaches that identity by impersonation (kubeconfig `as` and `as-user-extra`, which the
// server authorizes like kube: impersonate on serviceaccounts and on userextras/<key>); the
// server's admin may impersonate. The agent runs in the server's own process, so this checks the
// agent's writes with the same guard as a cluster, it does not isolate the agent from the host.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { NODE_NAME_EXTRA, nodeBoundWritesPolicy } from '../../../common/src/containerattach/node-bound-policy.js';
import type { KubeClient } from '../../../common/src/kube/client.js';
import { agentApiPermissions } from '../api-calls/api-permissions.js';
import { ensureObject } from './ensure-object.js';

export const AGENT_SERVICE_ACCOUNT = { namespace: 'lxc-attach-system', name: 'lxc-attach-agent' };
export const AGENT_USERNAME = `system:serviceaccount:${AGENT_SERVICE_ACCOUNT.namespace}:${AGENT_SERVICE_ACCOUNT.name}`;
const NAME = 'lxc-attach-operator-agent';
export const NODE_BOUND_POLICY_NAME = 'lxc-attach-operator-node-bound-writes';

type Obj = Record<string, unknown>;

/** the agent's access, as the chart installs it: ClusterRole, its binding, the node-bound policy */
export function agentAccessObjects(): Array<{ path: string; object: Obj }> {
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const admission = '/apis/admissionregistration.k8s.io/v1';
  const [policy, binding] = nodeBoundWritesPolicy(NODE_BOUND_POLICY_NAME, AGENT_USERNAME);
  return [
    {
      path: `${rbac}/clusterroles`,
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: NAME },
        rules: agentApiPermissions.map((p) => ({ apiGroups: [p.apiGroup], resources: [p.resource], verbs: [...p.verbs] })),
      },
    },
    {
      path: `${rbac}/clusterrolebindings`,
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: NAME },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
        subjects: [{ kind: 'ServiceAccount', ...AGENT_SERVICE_ACCOUNT }],
      },
    },
    { path: `${admission}/validatingadmissionpolicies`, object: policy },
    { path: `${admission}/validatingadmissionpolicybindings`, object: binding },
  ];
}

/** whether the server's copy says everything ours says (it may add defaults) */
function covers(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => covers(have[i], w));
  if (want !== null && typeof want === 'object') {
    return have !== null && typeof have === 'object' && !Array.isArray(have) && Object.entries(want).every(([k, w]) => covers((have as Obj)[k], w));
  }
  return have === want;
}

/** creates each object, or replaces it when what this version installs differs from the server's copy */
export async function ensureAgentAccess(client: KubeClient): Promise<void> {
  for (const { path: collection, object } of agentAccessObjects()) {
    const { metadata: _m, ...ours } = object;
    await ensureObject(client, collection, object, (current) => covers(current, ours));
  }
}

/** a kubeconfig like the admin's whose user impersonates the agent of `node` */
export async function writeAgentKubeconfig(adminKubeconfig: string, file: string, node: string): Promise<void> {
  const doc = parse(await readFile(adminKubeconfig, 'utf8')) as {
    'current-context': string; contexts: Array<{ name: string; context: { user: string } }>; users: Array<{ name: string; user: Obj }>;
  };
  const ctx = doc.contexts.find((c) => c.name === doc['current-context']);
  const user = doc.users.find((u) => u.name === ctx?.context.user);
  if (!user) throw new Error(`the kubeconfig ${adminKubeconfig} has no user for its current context`);
  user.user = { ...user.user, as: AGENT_USERNAME, 'as-user-extra': { [NODE_NAME_EXTRA]: [node] } };
  doc.users = [user];
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, stringify(doc), { mode: 0o600 });
  await rename(tmp, file);
}
