import { stringify } from 'yaml';
import { containerAttachCrd } from '../common/src/containerattach/crd.js';
import { optionsMarkdown } from '../common/src/options/options-doc.js';
import { nodeBoundWritesPolicy } from '../common/src/containerattach/node-bound-policy.js';

export const crdFile = 'crds/containerattaches.lxcattach.io.yaml';
export const nodeBoundPolicyTemplate = 'charts/lxc-attach-operator/templates/node-bound-writes-policy.yaml';

/** The chart's template of the node-bound policy: names and the agent's username become Helm
 *  expressions (placeholders are swapped after YAML serialisation, so quoting stays right). */
function nodeBoundPolicyChartTemplate(): string {
  const [policy, binding] = nodeBoundWritesPolicy('@NAME@', '@AGENT@');
  const docs = [policy, binding].map((o) => {
    (o['metadata'] as Record<string, unknown>)['labels'] = '@LABELS@';
    return stringify(o, { lineWidth: 0 });
  });
  return [
    '# Generated from common/src/containerattach/node-bound-policy.ts by `node dist/scripts/generate.js`; do not edit.',
    '{{- if .Values.nodeBoundWritesPolicy.create }}',
    '{{- $agent := printf "system:serviceaccount:%s:%s" .Release.Namespace (include "lxc-attach-operator.serviceAccountName" .) }}',
    docs.join('---\n').trimEnd(),
    '{{- end }}',
    '',
  ].join('\n')
    .replaceAll('@NAME@', '{{ include "lxc-attach-operator.fullname" . }}-node-bound-writes')
    .replaceAll('@AGENT@', '{{ $agent }}')
    .replaceAll('labels: "@LABELS@"', 'labels:\n    {{- include "lxc-attach-operator.labels" . | nindent 4 }}')
    .replaceAll('labels: \'@LABELS@\'', 'labels:\n    {{- include "lxc-attach-operator.labels" . | nindent 4 }}')
    .replaceAll('labels: @LABELS@', 'labels:\n    {{- include "lxc-attach-operator.labels" . | nindent 4 }}');
}

/** Repository path -> content of every file generated from the option table. */
export function generatedFiles(): Record<string, string> {
  return {
    [crdFile]: '# Generated from common/src/containerattach/crd.ts by `node dist/scripts/generate.js`; do not edit.\n' +
      stringify(containerAttachCrd(), { lineWidth: 0 }),
    'docs/options.md': optionsMarkdown(),
    [nodeBoundPolicyTemplate]: nodeBoundPolicyChartTemplate(),
  };
}
