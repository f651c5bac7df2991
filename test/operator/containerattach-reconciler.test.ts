import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContainerAttachReconciler, objectKey } from '../../operator/src/reconciler/containerattach-reconciler.js';
import { SessionRegistry } from '../../operator/src/attach/session-registry.js';
import { AgentMetrics } from '../../operator/src/metrics/agent-metrics.js';
import { defaultPolicy } from '../../operator/src/policy/agent-config.js';
import { defaultStreamLimits } from '../../operator/src/stream/stream-limits.js';
import {
  apiVersion, kind, nodeLabel, type ContainerAttach, type ContainerAttachSpec, type ContainerAttachStatus,
} from '../../common/src/containerattach/types.js';
import { KubeApiError } from '../../common/src/kube/client.js';
import { makeFakeHelper } from './support/fake-helper.js';
import { AdmissionSeal } from '../../operator/src/reconciler/admission-seal.js';

// The reconciler with its dependencies handed in: an in-memory object cache instead of the
// informers, a recording fake of its API writes, and the stand-in helper (support/fake-helper.ts).
// The real API server, agent and helper are exercised by test/e2e.
class FakeCluster {
  readonly objects = new Map<string, ContainerAttach>();
  readonly calls: string[] = [];
  readonly events: string[] = [];
  claimConflict = false;

  add(name: string, spec: Partial<ContainerAttachSpec>, status?: ContainerAttachStatus, labelled = true): ContainerAttach {
    const obj: ContainerAttach = {
      apiVersion, kind,
      metadata: { name, namespace: 'ns1', uid: `uid-${name}`, resourceVersion: '1', generation: 1, labels: labelled ? { [nodeLabel]: 'node-a' } : {} },
      spec: { container: 'c1', ...spec },
      status,
    };
    this.objects.set(objectKey('ns1', name), obj);
    return obj;
  }

  readonly api = {
    claim: async (obj: ContainerAttach, node: string): Promise<ContainerAttach> => {
      this.calls.push(`claim ${obj.metadata.name} ${node}`);
      if (this.claimConflict) throw new KubeApiError('PATCH', '/apis/lxcattach.io/v1alpha1/namespaces/ns1/containerattaches/x', 409, undefined);
      obj.metadata.labels = { ...obj.metadata.labels, [nodeLabel]: node };
      return obj;
    },
    patchStatus: async (namespace: string, name: string, status: ContainerAttachStatus): Promise<ContainerAttach> => {
      this.calls.push(`status ${name} ${status.phase}${status.reason ? ` ${status.reason}` : ''}`);
      // A new object, as the informer would deliver it: the cached one is never changed in place.
      const obj = { ...this.objects.get(objectKey(namespace, name))!, status };
      this.objects.set(objectKey(namespace, name), obj);
      return obj;
    },
    delete: async (namespace: string, name: string): Promise<void> => {
      this.calls.push(`delete ${name}`);
      this.objects.delete(objectKey(namespace, name));
    },
  };

  readonly recorder = {
    record: async (obj: ContainerAttach, type: string, reason: string): Promise<void> => {
      this.events.push(`${type} ${reason} ${obj.metadata.name}`);
    },
  };
}

describe('ContainerAttachReconciler (fake dependencies)', () => {
  const lxcPath = mkdtempSync(path.join(tmpdir(), 'lxcat-reconciler-'));
  mkdirSync(path.join(lxcPath, 'c1'));
  writeFileSync(path.join(lxcPath, 'c1', 'config'), 'lxc.uts.name = c1\n');
  const { helperPath } = makeFakeHelper();

  function setup(policy = {}, cluster = new FakeCluster(), agentKey = 'the agent key') {
    const sessions = new SessionRegistry();
    const enqueued: string[] = [];
    const reconciler = new ContainerAttachReconciler({
      identity: { node: 'node-a', agentId: 'node-a/test', endpointBase: 'wss://127.0.0.1:1', tlsFingerprint: 'AA:BB' },
      config: { policy: { ...defaultPolicy, allowedLxcPaths: [lxcPath], ...policy }, namespaceOverrides: {}, stream: defaultStreamLimits, hangupGraceSeconds: 1 },
      defaultLxcPath: lxcPath,
      helperPath,
      tailBytes: 1024,
      killGraceMs: 1000,
      api: cluster.api,
      events: cluster.recorder,
      sessions,
      metrics: new AgentMetrics(),
      seal: new AdmissionSeal(agentKey, 'node-a'),
      lookup: (ns, name) => cluster.objects.get(objectKey(ns, name)),
      enqueue: (key) => enqueued.push(key),
      log: () => undefined,
    });
    return { cluster, sessions, reconciler, enqueued };
  }

  it('claims an unclaimed object only when its container exists on this node', async () => {
    const { cluster, reconciler } = setup();
    cluster.add('here', {}, undefined, false);
    cluster.add('elsewhere', { container: 'not-on-this-node' }, undefined, false);
    await reconciler.reconcile('ns1/here');
    await reconciler.reconcile('ns1/elsewhere');
    assert.deepEqual(cluster.calls, ['claim here node-a']);
    assert.deepEqual(cluster.events, ['Normal Claimed here']);
  });

  it('leaves an object without nodeName to other nodes when its namespace may not use this one', async () => {
    const { cluster, reconciler } = setup({ allowedNodes: ['node-b*'] });
    cluster.add('not-here', {}, undefined, false);
    await reconciler.reconcile('ns1/not-here');
    assert.deepEqual(cluster.calls, []);
    cluster.add('named', { nodeName: 'node-a' }, undefined, false);
    await reconciler.reconcile('ns1/named');
    assert.deepEqual(cluster.calls, ['claim named node-a'], 'an object that names this node is claimed, then refused by the rule');
  });

  it('lets another agent win a claim race quietly', async () => {
    const { cluster, reconciler } = setup();
    cluster.claimConflict = true;
    cluster.add('raced', {}, undefined, false);
    await reconciler.reconcile('ns1/raced');
    assert.deepEqual(cluster.events, []);
  });

  it('refuses by policy, naming the rule, and runs nothing', async () => {
    const { cluster, sessions, reconciler } = setup();
    cluster.add('elevated', { elevatedPrivileges: ['CAP'], command: ['exit', '0'] });
    await reconciler.reconcile('ns1/elevated');
    const status = cluster.objects.get('ns1/elevated')!.status!;
    assert.equal(status.phase, 'Failed');
    assert.equal(status.reason, 'PolicyDenied');
    assert.match(status.message!, /^policy rule elevatedPrivileges: /);
    assert.equal(sessions.all().length, 0);
    assert.deepEqual(cluster.events, ['Warning PolicyDenied elevated']);
  });

  it('refuses an object labelled for this node whose spec names another', async () => {
    const { cluster, reconciler } = setup();
    cluster.add('moved', { nodeName: 'node-b' });
    await reconciler.reconcile('ns1/moved');
    assert.equal(cluster.objects.get('ns1/moved')!.status!.reason, 'NodeMismatch');
  });

  it('records Running before the helper runs, then the exit code and output tail', async () => {
    const { cluster, sessions, reconciler } = setup();
    cluster.add('batch', { mode: 'Batch', command: ['exit', '7', 'hello'] });
    await reconciler.reconcile('ns1/batch');
    assert.deepEqual(cluster.calls, ['status batch Running']);
    const session = sessions.find('ns1', 'batch')!;
    await session.finished();
    await reconciler.reconcile('ns1/batch');
    const status = cluster.objects.get('ns1/batch')!.status!;
    assert.equal(status.phase, 'Failed');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.exitCode, 7);
    assert.equal(status.stdoutTail, 'hello');
    assert.deepEqual(cluster.calls, ['status batch Running', 'status batch Failed NonZeroExitCode']);
  });

  it('never runs again an attach that was Running when the agent restarted', async () => {
    const { cluster, sessions, reconciler } = setup();
    cluster.add('restarted', { mode: 'Batch', command: ['exit', '0'] }, { phase: 'Running' });
    await reconciler.reconcile('ns1/restarted');
    assert.equal(sessions.all().length, 0);
    assert.equal(cluster.objects.get('ns1/restarted')!.status!.reason, 'AgentRestarted');
  });

  it('waits for the client of an interactive attach and publishes where to connect', async () => {
    const { cluster, sessions, reconciler } = setup();
    cluster.add('shell', { mode: 'Interactive', stdin: true, tty: true, sessionTokenHash: '0'.repeat(64) });
    await reconciler.reconcile('ns1/shell');
    const status = cluster.objects.get('ns1/shell')!.status!;
    assert.equal(status.phase, 'WaitingForClient');
    assert.equal(status.endpoint, 'wss://127.0.0.1:1/attach/ns1/shell');
    assert.equal(status.tlsFingerprint, 'AA:BB');
    assert.equal(sessions.find('ns1', 'shell')!.state, 'waiting');
    await reconciler.shutdown();
  });

  it('takes back after a restart only a waiting attach it sealed itself', async () => {
    const first = setup();
    first.cluster.add('mine', { mode: 'Interactive', stdin: true, sessionTokenHash: '0'.repeat(64) });
    await first.reconciler.reconcile('ns1/mine');
    const sealed = first.cluster.objects.get('ns1/mine')!.status!;
    assert.match(sealed.admissionSeal!, /^[0-9a-f]{64}$/);
    await first.reconciler.shutdown();
    // What a status writer can forge: the same status on another object, and a seal of its own.
    first.cluster.objects.set('ns1/mine', { ...first.cluster.objects.get('ns1/mine')!, status: sealed });
    first.cluster.add('copied', { mode: 'Interactive', stdin: true, sessionTokenHash: '0'.repeat(64) }, sealed);
    first.cluster.add('guessed', { mode: 'Interactive', stdin: true, sessionTokenHash: '0'.repeat(64) }, { ...sealed, admissionSeal: 'f'.repeat(64) });
    const restarted = setup({}, first.cluster);
    for (const name of ['mine', 'copied', 'guessed']) await restarted.reconciler.reconcile(`ns1/${name}`);
    assert.equal(restarted.sessions.find('ns1', 'mine')?.state, 'waiting');
    assert.equal(first.cluster.objects.get('ns1/copied')!.status!.reason, 'NotAdmittedHere');
    assert.equal(first.cluster.objects.get('ns1/guessed')!.status!.reason, 'NotAdmittedHere');
    assert.equal(restarted.sessions.all().length, 1);
    await restarted.reconciler.shutdown();
    const otherKey = setup({}, first.cluster, 'another agent key');
    first.cluster.add('elsewhere', { mode: 'Interactive', stdin: true, sessionTokenHash: '0'.repeat(64) }, sealed);
    await otherKey.reconciler.reconcile('ns1/elsewhere');
    assert.equal(first.cluster.objects.get('ns1/elsewhere')!.status!.reason, 'NotAdmittedHere');
  });

  it('gives parallel admissions only the session slots there are', async () => {
    const { cluster, sessions, reconciler } = setup({ maxSessions: 2, maxSessionsPerNamespace: 0 });
    const names = ['p1', 'p2', 'p3', 'p4'];
    for (const name of names) cluster.add(name, { mode: 'Batch', command: ['exit', '0'] });
    // Batch: the slot must be taken before the Running write is awaited, not after it.
    await Promise.all(names.map((n) => reconciler.reconcile(`ns1/${n}`)));
    const phases = names.map((n) => `${cluster.objects.get(`ns1/${n}`)!.status!.phase} ${cluster.objects.get(`ns1/${n}`)!.status!.reason ?? ''}`.trim());
    assert.deepEqual(phases.sort(), ['Failed PolicyDenied', 'Failed PolicyDenied', 'Running', 'Running']);
    assert.equal(sessions.all().length, 2);
    await Promise.all(sessions.all().map((s) => s.finished()));
  });

  it('ends the session of a deleted object', async () => {
    const { cluster, sessions, reconciler } = setup();
    cluster.add('gone', { mode: 'Interactive', stdin: true, sessionTokenHash: '0'.repeat(64) });
    await reconciler.reconcile('ns1/gone');
    cluster.objects.delete('ns1/gone');
    await reconciler.reconcile('ns1/gone');
    assert.equal(sessions.all().length, 0);
  });

  it('deletes a finished object after ttlSecondsAfterFinished, and asks to come back before that', async () => {
    const { cluster, reconciler } = setup();
    const done = new Date(Date.now() - 5_000).toISOString().replace(/\.\d+Z$/, 'Z');
    cluster.add('old', { ttlSecondsAfterFinished: 1 }, { phase: 'Succeeded', completionTime: done });
    cluster.add('young', { ttlSecondsAfterFinished: 3600 }, { phase: 'Succeeded', completionTime: done });
    assert.equal(await reconciler.reconcile('ns1/old'), undefined);
    const later = await reconciler.reconcile('ns1/young');
    assert.ok(later && later.requeueAfterMs! > 3_500_000 && later.requeueAfterMs! <= 3_595_000);
    assert.deepEqual(cluster.calls, ['delete old']);
  });
});
