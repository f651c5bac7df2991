import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultPolicy, parseConfig } from '../../operator/src/policy/agent-config.js';
import { defaultStreamLimits } from '../../operator/src/stream/stream-limits.js';
import { nodeCommand } from '../../operator/src/agent/node-command.js';
import { bundledHelperPath } from '../../operator/src/agent/host-defaults.js';
import { chartDir, fixture, helm, only, release, render, type KubeObject } from './helm.js';
import { schemaProblems } from './kube-schema.js';

const custom = fixture('values-custom.yaml');
const relayCaFile = '/etc/lxc-attach-agent-relay/ca.crt';

/** The agent's ServiceAccount (the attach API has its own). */
function agentServiceAccount(objects: KubeObject[]): KubeObject {
  const found = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.labels?.['app.kubernetes.io/component'] !== 'attach-api');
  if (found.length !== 1) throw new Error(`expected one agent ServiceAccount, rendered ${found.length}`);
  return found[0]!;
}

interface Container {
  name: string;
  command: string[];
  args: string[];
  image: string;
  env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number; hostPort?: number }[];
  livenessProbe: { httpGet: { path: string; port: string; scheme: string } };
  readinessProbe: { httpGet: { path: string; port: string; scheme: string } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: { privileged?: boolean; runAsUser?: number };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  configMap?: { name: string };
}

interface PodSpec {
  hostPID?: boolean;
  hostNetwork?: boolean;
  dnsPolicy?: string;
  serviceAccountName: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string }[];
  containers: Container[];
  volumes: Volume[];
}

function podOf(objects: KubeObject[]): { labels: Record<string, string>; spec: PodSpec; container: Container } {
  const ds = only(objects, 'DaemonSet') as unknown as {
    spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
  };
  const spec = ds.spec.template.spec;
  assert.equal(spec.containers.length, 1);
  return { labels: ds.spec.template.metadata.labels, spec, container: spec.containers[0]! };
}

/** Value of `--flag VALUE` in an argv (the contract's command line form). */
function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

/** mountPath -> host path of every hostPath volume mounted in the agent container. */
function hostMounts(pod: { spec: PodSpec; container: Container }): Map<string, string> {
  const volumes = new Map(pod.spec.volumes.map((v) => [v.name, v]));
  const mounts = new Map<string, string>();
  for (const m of pod.container.volumeMounts) {
    const hp = volumes.get(m.name)?.hostPath;
    if (hp) mounts.set(m.mountPath, hp.path);
  }
  return mounts;
}

function agentConfig(objects: KubeObject[]): unknown {
  const cm = only(objects, 'ConfigMap', '-agent') as unknown as { data: Record<string, string> };
  return parse(cm.data['config.yaml']!);
}

describe('Helm chart lxc-attach-operator', () => {
  describe('helm lint --strict', () => {
    for (const [name, files] of [['default values', []], ['values-custom.yaml', [custom]]] as const) {
      it(`passes with ${name}`, () => {
        const r = helm(['lint', '--strict', chartDir, '--kube-version', '1.32.0', ...files.flatMap((f) => ['--values', f])]);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      });
    }
  });

  describe('rendered objects against the Kubernetes schemas of their kinds', () => {
    // The attach API's objects (attachApi.enabled and aggregatedRoles.enabled, both on by default).
    const attachApi = ['APIService', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment',
      'PodDisruptionBudget', 'RoleBinding', 'Secret', 'Secret', 'Service', 'ServiceAccount'];
    const nodeBound = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
    const withAttachApi = (kinds: string[]): string[] => [...kinds, ...attachApi, ...nodeBound].sort();
    const cases = [
      { name: 'default values', files: [] as string[], sets: [] as string[],
        kinds: withAttachApi(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CustomResourceDefinition', 'DaemonSet', 'Role', 'Service', 'ServiceAccount']) },
      { name: 'values-custom.yaml', files: [custom], sets: [],
        kinds: withAttachApi(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'ConfigMap', 'CustomResourceDefinition', 'DaemonSet', 'PrometheusRule', 'Role', 'Role', 'RoleBinding', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceMonitor']) },
      { name: 'everything optional off', files: [],
        sets: ['crds.enabled=false', 'rbac.create=false', 'serviceAccount.create=false', 'serviceAccount.name=existing', 'userRole.create=false', 'metrics.service.enabled=false',
          'attachApi.enabled=false', 'aggregatedRoles.enabled=false', 'nodeBoundWritesPolicy.create=false'],
        kinds: ['ConfigMap', 'DaemonSet'] },
    ];
    for (const c of cases) {
      it(`renders valid objects with ${c.name}`, () => {
        const objects = render(c.files, c.sets);
        assert.deepEqual(objects.map((o) => o.kind).sort(), c.kinds);
        assert.deepEqual(objects.flatMap(schemaProblems), []);
      });
    }

    it('would catch a malformed object (the validator is not a no-op)', () => {
      const ds = structuredClone(only(render(), 'DaemonSet')) as KubeObject & { spec: { template: { spec: PodSpec & Record<string, unknown> } } };
      ds.spec.template.spec.hostPid = true;
      (ds.spec.template.spec.containers[0]!.ports[0] as unknown as Record<string, unknown>).containerPort = '8443';
      const problems = schemaProblems(ds).join('\n');
      assert.match(problems, /hostPid: unknown field/);
      assert.match(problems, /containerPort must be integer/);
    });

    it('names the pods\' ServiceAccount and keeps mount paths unique', () => {
      for (const files of [[], [custom]]) {
        const objects = render(files);
        const pod = podOf(objects);
        assert.equal(pod.spec.serviceAccountName, agentServiceAccount(objects).metadata.name);
        const paths = pod.container.volumeMounts.map((m) => m.mountPath);
        assert.equal(new Set(paths).size, paths.length, `duplicate mountPath in ${paths.join(' ')}`);
        const volumes = new Set(pod.spec.volumes.map((v) => v.name));
        for (const m of pod.container.volumeMounts) assert.ok(volumes.has(m.name), `volume ${m.name}`);
      }
    });
  });

  describe('agent DaemonSet', () => {
    let objects: KubeObject[];
    let pod: ReturnType<typeof podOf>;
    before(() => {
      objects = render();
      pod = podOf(objects);
    });

    it('runs privileged as root in the host PID namespace and network', () => {
      assert.equal(pod.spec.hostPID, true);
      assert.equal(pod.spec.hostNetwork, true);
      assert.equal(pod.spec.dnsPolicy, 'ClusterFirstWithHostNet');
      assert.equal(pod.container.securityContext.privileged, true);
      assert.equal(pod.container.securityContext.runAsUser, 0);
    });

    it('runs `lxc-attach-agent node` with flags the real agent\'s parser accepts', () => {
      assert.deepEqual(pod.container.command, ['lxc-attach-agent']);
      assert.equal(pod.container.args[0], 'node');
      const cmd = nodeCommand();
      const { operands, unknown } = cmd.parseOptions(pod.container.args.slice(1));
      assert.deepEqual([operands, unknown], [[], []]);
      const opts = cmd.opts();
      assert.equal(opts.node, '$(NODE_NAME)');
      assert.equal(opts.advertiseAddress, '$(NODE_IP)');
      assert.deepEqual(opts.listen, { host: '0.0.0.0', port: 8443 });
      assert.equal(opts.dataDir, '/var/lib/lxc-attach-agent');
      assert.equal(opts.config, '/etc/lxc-attach-agent/config.yaml');
      assert.equal(opts.defaultLxcPath, '/var/lib/lxc', 'the image has no lxc-config to ask');
      assert.equal(opts.kubeconfig, undefined, 'in-cluster config');
      assert.equal(opts.helper, bundledHelperPath, 'the helper next to the agent');
    });

    it('takes the node name and IP from the downward API', () => {
      const env = new Map(pod.container.env.map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]));
      assert.equal(env.get('NODE_NAME'), 'spec.nodeName');
      assert.equal(env.get('NODE_IP'), 'status.hostIP');
    });

    it('mounts the rendered ConfigMap as the --config file', () => {
      const config = flag(pod.container.args, '--config')!;
      const mount = pod.container.volumeMounts.find((m) => config.startsWith(`${m.mountPath}/`))!;
      assert.ok(mount, `no mount holds ${config}`);
      const volume = pod.spec.volumes.find((v) => v.name === mount.name)!;
      const cm = only(objects, 'ConfigMap', '-agent') as unknown as { metadata: { name: string }; data: Record<string, string> };
      assert.equal(volume.configMap?.name, cm.metadata.name);
      assert.ok(cm.data[config.slice(mount.mountPath.length + 1)], 'the ConfigMap key the flag names');
    });

    it('probes /healthz and /readyz over HTTPS on the agent port', () => {
      const port = pod.container.ports.find((p) => p.name === pod.container.livenessProbe.httpGet.port)!;
      assert.equal(port.containerPort, 8443);
      assert.equal(port.hostPort, 8443);
      assert.deepEqual(pod.container.livenessProbe.httpGet, { path: '/healthz', port: 'https', scheme: 'HTTPS' });
      assert.deepEqual(pod.container.readinessProbe.httpGet, { path: '/readyz', port: 'https', scheme: 'HTTPS' });
    });

    it('mounts the LXC host paths at the same paths', () => {
      const mounts = hostMounts(pod);
      for (const p of ['/var/lib/lxc', '/run/lxc', '/sys/fs/cgroup', '/var/lib/lxc-attach-agent', '/etc/lxc', '/usr/share/lxc']) {
        assert.equal(mounts.get(p), p, p);
      }
      assert.equal(mounts.has('/var/log/lxc'), false, 'no log files allowed by default');
    });

    it('has resources and runs only on labelled LXC hosts', () => {
      assert.ok(pod.container.resources.requests?.memory && pod.container.resources.limits?.memory);
      assert.deepEqual(pod.spec.nodeSelector, { 'lxcattach.io/lxc-host': 'true' });
      assert.deepEqual(pod.spec.tolerations, [{ key: 'lxcattach.io/lxc-host', operator: 'Exists' }]);
    });

    it('renders a closed default config for a shared cluster, which the real agent reads', () => {
      const text = (only(objects, 'ConfigMap', '-agent') as unknown as { data: Record<string, string> }).data['config.yaml']!;
      const closed = {
        ...defaultPolicy, allowedContainers: [], allowedUids: ['1-4294967294'], allowedGids: ['1-4294967294'],
      };
      assert.deepEqual(parseConfig(text), { policy: closed, namespaceOverrides: {}, stream: defaultStreamLimits, hangupGraceSeconds: 5, requireAttachApi: false, attachApiClientCaFile: relayCaFile });
      assert.deepEqual(agentConfig(objects), {
        policy: {
          allowedContainers: [], allowedNodes: ['*'], allowedUids: ['1-4294967294'], allowedGids: ['1-4294967294'],
          allowedSelinuxContexts: [],
          allowedLxcPaths: ['/var/lib/lxc'], rcFileDirectories: [], logFileDirectories: [], ptyLogDirectories: [],
          elevatedPrivileges: [], allowNamespaceSelection: false, maxSessions: 32, maxSessionsPerNamespace: 8,
          defaultConnectTimeoutSeconds: 60, maxConnectTimeoutSeconds: 600, maxActiveDeadlineSeconds: 0,
        },
        namespaceOverrides: {},
        stream: { maxConnections: 256, maxConnectionsPerSource: 32, preUpgradeTimeoutSeconds: 10, failedAttemptsPerMinute: 20 },
        hangupGraceSeconds: 5,
        requireAttachApi: false,
        attachApiClientCaFile: relayCaFile,
      });
    });
  });

  describe('with values-custom.yaml', () => {
    let objects: KubeObject[];
    let pod: ReturnType<typeof podOf>;
    before(() => {
      objects = render([custom]);
      pod = podOf(objects);
    });

    it('renders the policy, the namespace overrides and the stream limits into the agent config', () => {
      const values = parse(readFileSync(custom, 'utf8')) as { policy: unknown; namespaceOverrides: unknown; stream: unknown; hangupGraceSeconds: unknown };
      const text = (only(objects, 'ConfigMap', '-agent') as unknown as { data: Record<string, string> }).data['config.yaml']!;
      const want = {
        policy: values.policy, namespaceOverrides: values.namespaceOverrides, stream: values.stream, hangupGraceSeconds: values.hangupGraceSeconds,
        requireAttachApi: false, attachApiClientCaFile: relayCaFile,
      };
      assert.deepEqual(parseConfig(text), want);
      assert.deepEqual(agentConfig(objects), want);
    });

    it('mounts every lxc path and policy directory, of the overrides too, and /var/log/lxc', () => {
      const mounts = hostMounts(pod);
      for (const p of ['/srv/lxc', '/var/lib/lxc', '/data/lxc', '/etc/lxc-attach/rc', '/var/log/lxc-attach',
        '/var/log/lxc-attach/pty', '/var/log/lxc', '/srv/lxc-attach-agent', '/usr/lib/x86_64-linux-gnu/liblxc.so.1']) {
        assert.equal(mounts.get(p), p, p);
      }
      assert.equal(mounts.has('/etc/lxc'), false, 'mountHostLxcConfig: false');
    });

    it('uses the port, image digest, node selector and extra pod metadata', () => {
      const cmd = pod.container.args;
      assert.equal(flag(cmd, '--listen'), '0.0.0.0:9443');
      assert.equal(pod.container.ports[0]!.containerPort, 9443);
      assert.equal(pod.container.image, 'registry.invalid/team/lxc-attach-agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
      assert.deepEqual(pod.spec.nodeSelector, { 'node-role.example.com/lxc': 'yes' });
      assert.equal(pod.labels.tier, 'node-agent');
      assert.equal(pod.spec.serviceAccountName, 'lxc-agent');
    });

    it('points the Service at the agents and the ServiceMonitor at the Service', () => {
      const svc = only(objects, 'Service', '-agent-metrics') as unknown as KubeObject & {
        spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
      };
      for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(pod.labels[k], v, `pod label ${k}`);
      assert.equal(svc.spec.ports[0]!.targetPort, 'https');
      assert.equal(svc.spec.ports[0]!.port, 9443);
      const sm = only(objects, 'ServiceMonitor') as unknown as KubeObject & {
        spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; scheme: string; path: string; tlsConfig: unknown }[] };
      };
      for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) assert.equal(svc.metadata.labels?.[k], v, `service label ${k}`);
      assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.scheme, e.path]), [['https', 'https', '/metrics']]);
      assert.deepEqual(sm.spec.endpoints[0]!.tlsConfig, { insecureSkipVerify: true });
      assert.equal(sm.metadata.labels?.release, 'prometheus');
    });

    it('renders the user Role and its binding in each listed namespace', () => {
      const roles = objects.filter((o) => o.kind === 'Role');
      const bindings = (objects.filter((o) => o.kind === 'RoleBinding') as unknown as (KubeObject & {
        roleRef: { kind: string; name: string }; subjects: { kind: string; name: string }[];
      })[]).filter((b) => b.roleRef.name === roles[0]!.metadata.name);
      assert.deepEqual(roles.map((r) => r.metadata.namespace), ['team-a', 'team-b']);
      assert.deepEqual(bindings.map((b) => b.metadata.namespace), ['team-a', 'team-b']);
      for (const b of bindings) {
        assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roles[0]!.metadata.name });
        assert.deepEqual(b.subjects.map((s) => `${s.kind}:${s.name}`), ['User:alice', 'Group:lxc-operators']);
      }
    });
  });

  it('renders the user Role in the release namespace, without a binding, by default', () => {
    const objects = render();
    const role = only(objects, 'Role') as unknown as KubeObject & { rules: unknown };
    assert.equal(role.metadata.namespace, release.namespace);
    assert.deepEqual(role.rules, [{
      apiGroups: ['lxcattach.io'], resources: ['containerattaches'], verbs: ['create', 'get', 'list', 'watch', 'delete'],
    }, {
      apiGroups: ['subresources.lxcattach.io'], resources: ['containerattaches/attach'], verbs: ['get', 'create'],
    }, {
      apiGroups: ['subresources.lxcattach.io'], resources: ['terminal'], verbs: ['get'],
    }]);
    assert.equal(objects.some((o) => o.kind === 'RoleBinding' && o.metadata.namespace !== 'kube-system'), false);
  });
});
