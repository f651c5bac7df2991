// What one object can make an agent spend: timers, argv size, session slots, and what the stream
// port tells a caller without the token. Each case is the attack from the security review against
// a real agent and real containers.
import assert from 'node:assert/strict';
import { containerNames } from '../support/containers.js';
import { AgentCluster, sessionToken, uniqueName } from '../support/agent-cluster.js';
import { StreamClient } from '../support/stream-client.js';
import { applyProjectCrd, kubectlOk, waitFor } from '../support/processes.js';
import { KubeApiError } from '../../common/src/kube/client.js';
import { nodeLabel, type ContainerAttachSpec } from '../../common/src/containerattach/types.js';
import {
  containerAttachCrd, maxActiveDeadlineSeconds, maxCommandCharacters, maxConnectTimeoutSeconds, maxTtlSecondsAfterFinished,
} from '../../common/src/containerattach/crd.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('security: limits', function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start('policy:\n  maxSessions: 2\n  maxSessionsPerNamespace: 0\n'));
  after(() => cluster.stop());

  async function rejected(spec: Partial<ContainerAttachSpec> & { container: string }): Promise<string> {
    try {
      await cluster.create(cluster.manifest(uniqueName('bad'), { command: ['true'], ...spec }));
    } catch (err) {
      assert.ok(err instanceof KubeApiError, String(err));
      assert.equal(err.statusCode, 422, err.message);
      return err.message;
    }
    assert.fail('the API server accepted it');
  }

  async function batch(spec: Partial<ContainerAttachSpec> & { command: string[] }) {
    const name = uniqueName('lim');
    await cluster.create(cluster.manifest(name, { container: privileged, nodeName: cluster.node, ...spec }, { [nodeLabel]: cluster.node }));
    return name;
  }

  describe('H4: timers', () => {
    it('has CRD maximums for the deadline, the connect timeout and the ttl', async () => {
      assert.match(await rejected({ container: privileged, activeDeadlineSeconds: maxActiveDeadlineSeconds + 1 }), /activeDeadlineSeconds/);
      assert.match(await rejected({ container: privileged, ttlSecondsAfterFinished: maxTtlSecondsAfterFinished + 1 }), /ttlSecondsAfterFinished/);
      assert.match(await rejected({ container: privileged, connectTimeoutSeconds: maxConnectTimeoutSeconds + 1 }), /connectTimeoutSeconds/);
    });

    it('waits a deadline longer than 2^31 ms as long as asked (it does not kill at once)', async () => {
      const name = await batch({ command: ['sh', '-c', 'sleep 2; echo done'], activeDeadlineSeconds: 2_200_000 });
      const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
      assert.equal(done.status?.reason, 'Completed', JSON.stringify(done.status));
      assert.equal(done.status?.stdoutTail, 'done\n');
    });

    it('waits a ttl longer than 2^31 ms without a requeue loop', async () => {
      const name = await batch({ command: ['true'], ttlSecondsAfterFinished: 3_000_000 });
      await cluster.waitForPhase(name, ['Succeeded']);
      await sleep(3000);
      assert.equal((await cluster.get(name)).status?.phase, 'Succeeded', 'still there');
      assert.doesNotMatch(cluster.agent.proc.stderr, /TimeoutOverflowWarning/);
      const reconciles = cluster.agent.proc.stderr.split('\n').length;
      await sleep(1000);
      assert.ok(cluster.agent.proc.stderr.split('\n').length - reconciles < 5, 'the agent is quiet');
    });
  });

  describe('M1: the command size', () => {
    it('refuses a command over the kernel\'s argv limit at the API server', async () => {
      const huge = Array.from({ length: 150 }, () => 'a'.repeat(16384)); // 2.4 MiB: over ARG_MAX, under the request limit
      assert.match(await rejected({ container: privileged, command: ['echo', ...huge] }), /the command is too long/);
    });

    it('runs a command of the largest size the CRD takes', async () => {
      const args = Array.from({ length: 15 }, () => 'b'.repeat(16384));
      const script = 'echo $#';
      const filler = 'c'.repeat(maxCommandCharacters - 15 * 16384 - ['sh', '-c', script, 'x'].join('').length);
      const name = await batch({ command: ['sh', '-c', script, 'x', ...args, filler] });
      const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
      assert.equal(done.status?.stdoutTail, '16\n', JSON.stringify(done.status?.message));
    });

    it('ends an attach whose helper cannot start as Failed, frees its slot and deletes cleanly (a CRD without the size rule)', async () => {
      // A cluster whose CRD predates the rule (the chart's crds.enabled: false, managed elsewhere):
      // the agent's own guard is what is left.
      const crd = containerAttachCrd() as {
        spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: { command: Record<string, unknown> } } } } } }[] };
      };
      delete crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.command['x-kubernetes-validations'];
      kubectlOk(cluster.api.kubeconfig, ['apply', '-f', '-'], JSON.stringify(crd));
      try {
        const huge = Array.from({ length: 150 }, () => 'a'.repeat(16384));
        // NB: the server takes the new schema a moment after the update is stored.
        const name = await waitFor('the CRD without the size rule', () => batch({ command: ['echo', ...huge] }).catch(() => undefined), 10_000, 200);
        const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
        assert.equal(done.status?.reason, 'HelperFailed', JSON.stringify(done.status?.message));
        assert.match(done.status?.message ?? '', /E2BIG/);
        assert.match(await cluster.metrics(), /^lxcattach_active_sessions\{state="running"\} 0$/m);
        const logBefore = cluster.agent.proc.stderr.length;
        assert.equal(cluster.kubectl(['delete', 'containerattach', name, '--wait=true']).status, 0);
        await sleep(1500);
        assert.doesNotMatch(cluster.agent.proc.stderr.slice(logBefore), /TypeError|Failed to reconcile/);
      } finally {
        await applyProjectCrd(cluster.api.kubeconfig);
      }
    });
  });

  describe('L2: session slots', () => {
    it('lets four parallel admissions take only the two slots there are', async () => {
      const names = await Promise.all([1, 2, 3, 4].map(() => batch({ command: ['sleep', '2'] })));
      const done = await Promise.all(names.map((n) => cluster.waitForPhase(n, ['Succeeded', 'Failed'])));
      const ran = done.filter((d) => d.status?.reason === 'Completed').length;
      const refused = done.filter((d) => d.status?.reason === 'PolicyDenied' && /^policy rule maxSessions: /.test(d.status.message ?? '')).length;
      assert.deepEqual({ ran, refused }, { ran: 2, refused: 2 }, JSON.stringify(done.map((d) => d.status?.message)));
    });
  });

  describe('L3: container names', () => {
    it('refuses . and .. as container names at the API server', async () => {
      assert.match(await rejected({ container: '.' }), /container name cannot be \. or \.\./);
      assert.match(await rejected({ container: '..' }), /container name cannot be \. or \.\./);
    });
  });

  describe('L1: the stream port', () => {
    async function answer(endpoint: string, token: string): Promise<{ code: number; body: string }> {
      try {
        (await StreamClient.open(endpoint, token)).ws.close();
        return { code: 101, body: '' };
      } catch (err) {
        const e = err as { statusCode?: number; body?: string };
        return { code: e.statusCode ?? 0, body: e.body ?? '' };
      }
    }

    it('answers the same 401 whether an attach waits, has finished or never existed', async () => {
      const name = uniqueName('l1');
      await cluster.createInteractive(name, { container: privileged, command: ['true'] });
      const endpoint = (await cluster.waitForPhase(name, ['WaitingForClient'])).status!.endpoint!;
      const finished = await batch({ command: ['true'] });
      await cluster.waitForPhase(finished, ['Succeeded']);
      const wrong = sessionToken().token;
      const waiting = await answer(endpoint, wrong);
      const gone = await answer(endpoint.replace(name, finished), wrong);
      const never = await answer(endpoint.replace(name, `${name}-never`), wrong);
      assert.equal(waiting.code, 401);
      assert.deepEqual(gone, waiting);
      assert.deepEqual(never, waiting);
    });
  });
});
