{{/* Chart name, overridable. */}}
{{- define "lxc-attach-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: "<release>-<chart>", or the release name when it already contains the chart name. */}}
{{- define "lxc-attach-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lxc-attach-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lxc-attach-operator.labels" -}}
helm.sh/chart: {{ include "lxc-attach-operator.chart" . }}
{{ include "lxc-attach-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "lxc-attach-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lxc-attach-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of the agent's pods (and what the DaemonSet and Service select). */}}
{{- define "lxc-attach-operator.agentSelectorLabels" -}}
{{ include "lxc-attach-operator.selectorLabels" . }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "lxc-attach-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lxc-attach-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "lxc-attach-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The agent's --config file (operator/src/policy/agent-config.ts): the policy, the per-namespace
overrides, and whether only the attach API may stream (its relay CA mounted from the Secret). */}}
{{- define "lxc-attach-operator.agentConfig" -}}
{{- $config := dict "policy" .Values.policy "namespaceOverrides" .Values.namespaceOverrides "requireAttachApi" .Values.agent.requireAttachApi "stream" .Values.stream "hangupGraceSeconds" .Values.hangupGraceSeconds }}
{{- if .Values.attachApi.enabled }}
{{- $_ := set $config "attachApiClientCaFile" (printf "%s/ca.crt" (include "lxc-attach-operator.relayCaDir" .)) }}
{{- else if .Values.agent.requireAttachApi }}
{{- fail "agent.requireAttachApi needs attachApi.enabled: without the attach API no client could stream" }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
Host directories the helper needs beyond the fixed mounts of daemonset.yaml, as a sorted list
without duplicates: the default lxc path, every allowed lxc path and policy directory of the policy
and of each namespace override, and /var/log/lxc when log files are allowed anywhere. A path that is
already a fixed mount is left out (two volumes on one mountPath are invalid).
*/}}
{{- define "lxc-attach-operator.policyHostPaths" -}}
{{- $paths := list .Values.agent.defaultLxcPath }}
{{- $policies := list .Values.policy }}
{{- range $ns, $override := .Values.namespaceOverrides }}
{{- $policies = append $policies $override }}
{{- end }}
{{- range $p := $policies }}
{{- range $key := list "allowedLxcPaths" "rcFileDirectories" "logFileDirectories" "ptyLogDirectories" }}
{{- $paths = concat $paths (get $p $key | default list) }}
{{- end }}
{{- if get $p "logFileDirectories" }}
{{- $paths = append $paths "/var/log/lxc" }}
{{- end }}
{{- end }}
{{- $fixed := list "/etc/lxc-attach-agent" (include "lxc-attach-operator.relayCaDir" .) "/tmp" "/run/lxc" "/sys/fs/cgroup" .Values.agent.dataDir }}
{{- if .Values.agent.mountHostLxcConfig }}
{{- $fixed = concat $fixed (list "/etc/lxc" "/usr/share/lxc") }}
{{- end }}
{{- $result := list }}
{{- range $p := $paths | uniq | sortAlpha }}
{{- if not (has $p $fixed) }}
{{- $result = append $result $p }}
{{- end }}
{{- end }}
{{- toJson (dict "paths" $result) }}
{{- end }}

{{/* The attach API (lxc-attach-agent attach-api): names, labels, its Service's DNS name. */}}
{{- define "lxc-attach-operator.attachApiName" -}}
{{- printf "%s-attach-api" (include "lxc-attach-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lxc-attach-operator.attachApiSelectorLabels" -}}
{{ include "lxc-attach-operator.selectorLabels" . }}
app.kubernetes.io/component: attach-api
{{- end }}

{{- define "lxc-attach-operator.attachApiServiceDns" -}}
{{- printf "%s.%s.svc" (include "lxc-attach-operator.attachApiName" .) .Release.Namespace }}
{{- end }}

{{/* Where the agent finds the CA of the attach API's relay client certificate. */}}
{{- define "lxc-attach-operator.relayCaDir" -}}
/etc/lxc-attach-agent-relay
{{- end }}
