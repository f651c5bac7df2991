// What GitOps tools read: kstatus conditions judged by the real kubectl 1.32 (`kubectl wait`), and
// the Argo CD health check run by the real Lua 5.1 on objects the agent really wrote, and the Flux
// CEL health checks evaluated on the same objects (by the embedded API server's CEL: no Flux here).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { Condition, ContainerAttach } from '../../common/src/containerattach/types.js';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { argoHealth, argoHealthScript, luaLiteral } from '../support/argo-health.js';
import { fluxHealth, fluxHealthCheckExprs } from '../support/flux-health.js';
import { repoPath } from '../support/paths.js';

function condition(obj: ContainerAttach, type: string): Pick<Condition, 'status' | 'reason'> | undefined {
  const c = obj.status?.conditions?.find((x) => x.type === type);
  return c && { status: c.status, reason: c.reason };
}

function kstatus(obj: ContainerAttach): Record<string, string> {
  return Object.fromEntries(['Ready', 'Reconciling', 'Stalled'].map((t) => {
    const c = condition(obj, t);
    return [t, c ? `${c.status}/${c.reason}` : 'absent'];
  }));
}

describe('GitOps status: kstatus conditions and the Argo CD health check (standalone server, real containers)', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  function apply(name: string, spec: Record<string, unknown>): void {
    const text = stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name }, spec: { container: privileged, ...spec } });
    const r = cluster.kubectl(['apply', '-f', '-'], text);
    assert.equal(r.status, 0, r.stderr);
  }

  function wait(name: string, condition: string, timeout = '30s') {
    return cluster.kubectl(['wait', `--for=condition=${condition}`, `lxca/${name}`, `--timeout=${timeout}`]);
  }

  it('a batch attach is Reconciling while it runs, then Ready; Argo CD says Progressing, then Healthy', async () => {
    const name = uniqueName('gitops-ok');
    const gate = `/tmp/${name}.go`;
    apply(name, { command: ['sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.05; done; echo done`] });

    const reconciling = wait(name, 'Reconciling');
    assert.equal(reconciling.status, 0, reconciling.stderr);
    const running = await cluster.get(name);
    assert.equal(running.status?.phase, 'Running');
    assert.deepEqual(kstatus(running), { Ready: 'False/Running', Reconciling: 'True/Running', Stalled: 'False/Running' });
    assert.equal(running.status?.observedGeneration, running.metadata.generation);
    const progressing = argoHealth(running);
    assert.equal(progressing.status, 'Progressing');
    assert.match(progressing.message, new RegExp(`^running on node ${cluster.node} since \\d{4}-`));
    // Not Ready yet: kubectl wait must time out (exit 1) rather than return.
    assert.equal(wait(name, 'Ready', '1s').status, 1);
    assert.equal(fluxHealth(running), 'InProgress');

    execFileSync('lxc-attach', ['-n', privileged, '--', 'touch', gate]);
    const ready = wait(name, 'Ready');
    assert.equal(ready.status, 0, ready.stderr);
    assert.match(ready.stdout, new RegExp(`containerattach.lxcattach.io/${name} condition met`));
    const done = await cluster.get(name);
    assert.equal(done.status?.phase, 'Succeeded');
    assert.deepEqual(kstatus(done), { Ready: 'True/Completed', Reconciling: 'False/Completed', Stalled: 'False/Completed' });
    assert.equal(done.status?.observedGeneration, 1);
    assert.deepEqual(argoHealth(done), { status: 'Healthy', message: 'the command exited with 0' });
    assert.equal(wait(name, 'Reconciling=False', '5s').status, 0);
    assert.equal(fluxHealth(done), 'Current');
  });

  it('a failing batch attach is Stalled with the failure reason; Argo CD says Degraded', async () => {
    const name = uniqueName('gitops-fail');
    apply(name, { command: ['sh', '-c', 'printf \'quote " backslash \\\\ ü\\n\' >&2; exit 42'] });
    const stalled = wait(name, 'Stalled');
    assert.equal(stalled.status, 0, stalled.stderr);
    const failed = await cluster.get(name);
    assert.equal(failed.status?.phase, 'Failed');
    assert.equal(failed.status?.stderrTail, 'quote " backslash \\ ü\n');
    assert.deepEqual(kstatus(failed), { Ready: 'False/NonZeroExitCode', Reconciling: 'False/NonZeroExitCode', Stalled: 'True/NonZeroExitCode' });
    assert.equal(wait(name, 'Ready', '1s').status, 1);
    assert.equal(wait(name, 'Reconciling=False', '5s').status, 0);
    assert.deepEqual(argoHealth(failed), { status: 'Degraded', message: 'NonZeroExitCode: the command exited with 42' });
    assert.equal(fluxHealth(failed), 'Failed');
  });

  it('an attach the policy refuses never runs and is Stalled with PolicyDenied', async () => {
    const name = uniqueName('gitops-denied');
    apply(name, { command: ['true'], nodeName: cluster.node, lxcPath: '/srv/not-allowed' });
    assert.equal(wait(name, 'Stalled').status, 0);
    const denied = await cluster.get(name);
    assert.equal(condition(denied, 'Stalled')?.reason, 'PolicyDenied');
    assert.equal(condition(denied, 'Admitted')?.status, 'False');
    const health = argoHealth(denied);
    assert.equal(health.status, 'Degraded');
    assert.match(health.message, /^PolicyDenied: policy rule allowedLxcPaths/);
    assert.equal(fluxHealth(denied), 'Failed');
  });

  it('an Interactive attach waiting for its client is Reconciling; Argo CD says Suspended', async () => {
    const name = uniqueName('gitops-wait');
    await cluster.createInteractive(name, { container: privileged, command: ['cat'], connectTimeoutSeconds: 60 });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    assert.deepEqual(kstatus(waiting), {
      Ready: 'False/WaitingForClient', Reconciling: 'True/WaitingForClient', Stalled: 'False/WaitingForClient',
    });
    assert.equal(wait(name, 'Reconciling', '5s').status, 0);
    assert.deepEqual(argoHealth(waiting), { status: 'Suspended', message: `waiting for a client to connect on node ${cluster.node}` });
    assert.equal(fluxHealth(waiting), 'InProgress');
    assert.equal(cluster.kubectl(['delete', 'lxca', name, '--wait=true']).status, 0);
  });

  it('hands objects to Lua byte for byte (the literal the health check tests rely on)', () => {
    const text = 'line\n5 "quoted" back\\slash \u00fc \u0001\u007f tab\t0';
    const r = spawnSync('lua5.1', ['-e', `io.write((${luaLiteral({ a: [text] })})["a"][1])`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, text);
  });

  it('ships the same script in the argocd-cm snippet, under the key Argo CD looks up', () => {
    const patch = parse(readFileSync(repoPath('deploy/argocd/argocd-cm-patch.yaml'), 'utf8')) as { data: Record<string, string> };
    assert.deepEqual(Object.keys(patch.data), ['resource.customizations.health.lxcattach.io_ContainerAttach']);
    assert.equal(patch.data['resource.customizations.health.lxcattach.io_ContainerAttach'], readFileSync(argoHealthScript, 'utf8'));
  });

  it('ships Flux health checks for the kind this CRD defines', () => {
    assert.deepEqual(fluxHealthCheckExprs().map((e) => `${e.apiVersion}/${e.kind}`), ['lxcattach.io/v1alpha1/ContainerAttach']);
  });

  it('an attach no agent has claimed has no status; Argo CD says Progressing', async () => {
    const name = uniqueName('gitops-unclaimed');
    apply(name, { command: ['true'], nodeName: 'a-node-without-an-agent' });
    await new Promise((r) => setTimeout(r, 300));
    const unclaimed = await cluster.get(name);
    assert.equal(unclaimed.status, undefined);
    assert.deepEqual(argoHealth(unclaimed), { status: 'Progressing', message: 'waiting for an agent to claim the attach' });
    assert.equal(fluxHealth(unclaimed), 'NotObservable');
    assert.equal(cluster.kubectl(['delete', 'lxca', name]).status, 0);
  });
});
