// Every Kubernetes API call the node agent makes, as RBAC rules. The chart's ClusterRole must grant
// exactly these (test/chart checks the rendered ClusterRole against this list), and the agent's
// clients should use nothing outside it: a call missing here fails with 403 on a real cluster.
import { group, plural } from '../../../common/src/containerattach/types.js';

type ApiVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** One RBAC rule: verbs on one resource of one API group ('' is the core group). */
interface ApiPermission {
  readonly apiGroup: string;
  readonly resource: string;
  readonly verbs: readonly ApiVerb[];
  /** Which calls of the agent need it. */
  readonly usedFor: string;
}

/** The agent's API calls, as recorded from a real agent's audit trail (test/e2e/agent-rbac.test.ts):
 *  no get (the informer cache answers), no secrets, no leases, no nodes. */
export const agentApiPermissions: readonly ApiPermission[] = [
  {
    apiGroup: group,
    resource: plural,
    verbs: ['list', 'watch', 'patch', 'delete'],
    usedFor: 'informers over all namespaces (lxcattach.io/node=NAME and !lxcattach.io/node), ' +
      'the claim label patch, deletion after ttlSecondsAfterFinished',
  },
  {
    apiGroup: group,
    resource: `${plural}/status`,
    verbs: ['patch'],
    usedFor: 'phase, conditions, endpoint, fingerprint and exit status',
  },
  {
    apiGroup: '',
    resource: 'events',
    verbs: ['create'],
    usedFor: 'core/v1 Events for transitions and refusals',
  },
];
