// The ValidatingAdmissionPolicy that binds each node agent's writes to its own node (issue 12, M5).
// One source for the chart (scripts/generated-files.ts writes its template) and for standalone
// mode (which installs it at start).
//
// An agent's ServiceAccount token, projected into a Pod, names the Pod's node: kube's
// authenticator adds it to the user as extra["authentication.kubernetes.io/node-name"]
// (pkg/serviceaccount/claims.go, staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go
// NodeNameKey; feature ServiceAccountTokenPodNodeInfo, on by default since 1.30). Requests of the
// agent's ServiceAccount may then only touch ContainerAttaches whose node label, as stored before
// the write, is that node (or claim an unlabelled one for it, unless spec.nodeName names another
// node), and may not move the label. Without the node name every write is refused.
import { group, nodeLabel, plural } from './types.js';

export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';

type Obj = Record<string, unknown>;

/** CEL string literal (single-quoted; the values here are names, with no quote or backslash) */
const lit = (s: string) => `'${s}'`;

const labelOf = (o: string) =>
  `${o} != null && has(${o}.metadata.labels) && ${lit(nodeLabel)} in ${o}.metadata.labels ? ${o}.metadata.labels[${lit(nodeLabel)}] : ''`;

/** the policy and its binding, for the agent that authenticates as `agentUsername` */
export function nodeBoundWritesPolicy(name: string, agentUsername: string): [Obj, Obj] {
  const extra = `request.userInfo.extra[${lit(NODE_NAME_EXTRA)}]`;
  const policy: Obj = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [{
          apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: [plural, `${plural}/status`],
        }],
      },
      matchConditions: [{ name: 'node-agent', expression: `request.userInfo.username == ${lit(agentUsername)}` }],
      variables: [
        { name: 'node', expression: `${lit(NODE_NAME_EXTRA)} in request.userInfo.extra && size(${extra}) > 0 ? ${extra}[0] : ''` },
        { name: 'storedNode', expression: labelOf('oldObject') },
        { name: 'newNode', expression: labelOf('object') },
        { name: 'boundTo', expression: 'oldObject != null && has(oldObject.spec) && has(oldObject.spec.nodeName) ? oldObject.spec.nodeName : \'\'' },
      ],
      validations: [
        {
          expression: 'variables.node != \'\'',
          message: `the node agent's credentials name no node: it needs a ServiceAccount token of a Pod bound to a node (Kubernetes 1.30 or later), which carries the user extra ${NODE_NAME_EXTRA}`,
          reason: 'Forbidden',
        },
        {
          expression: 'request.operation != \'CREATE\'',
          message: 'the node agent does not create ContainerAttaches',
          reason: 'Forbidden',
        },
        {
          expression: 'variables.storedNode == variables.node || (variables.storedNode == \'\' && request.operation == \'UPDATE\' && ' +
            'request.subResource == \'\' && (variables.boundTo == \'\' || variables.boundTo == variables.node))',
          messageExpression: 'variables.storedNode != \'\' ? \'the agent of node \' + variables.node + \' may not write a ContainerAttach of node \' + variables.storedNode : ' +
            '(variables.boundTo != \'\' && variables.boundTo != variables.node ? \'the agent of node \' + variables.node + \' may not claim a ContainerAttach whose spec.nodeName is \' + variables.boundTo : ' +
            '\'the agent of node \' + variables.node + \' may only claim an unclaimed ContainerAttach, not write its status or delete it\')',
          reason: 'Forbidden',
        },
        {
          expression: 'request.operation == \'DELETE\' || variables.newNode == variables.node',
          messageExpression: `'the agent of node ' + variables.node + ' must keep the label ${nodeLabel}=' + variables.node + ' (the write sets it to "' + variables.newNode + '")'`,
          reason: 'Forbidden',
        },
      ],
    },
  };
  const binding: Obj = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  };
  return [policy, binding];
}
