// /metrics is valid Prometheus text (promtool agrees) and counts what the test did.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { StreamClient } from '../support/stream-client.js';

/** Sample values by metric name and sorted label set, from the text exposition format. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = (m[2] ?? '').slice(1, -1).split(',').filter(Boolean).sort().join(',');
    samples.set(`${m[1]}{${labels}}`, Number(m[3]));
  }
  return samples;
}

describe('agent: metrics', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  it('passes promtool and counts attaches, results, bytes and sessions', async () => {
    for (const [i, command] of [['true'], ['true'], ['sh', '-c', 'exit 4']].entries()) {
      const name = uniqueName(`m${i}`);
      await cluster.create(cluster.manifest(name, { container: privileged, command, nodeName: cluster.node }));
      await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
    }
    const name = uniqueName('mi');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['cat'] });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    const client = await StreamClient.open(waiting.status!.endpoint!, token);
    client.stdin('x'.repeat(1000));
    client.closeStdin();
    await client.done;
    await cluster.waitForPhase(name, ['Succeeded']);

    const text = await cluster.metrics();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
    const m = parseMetrics(text);
    assert.equal(m.get('lxcattach_attaches_started_total{mode="Batch"}'), 3);
    assert.equal(m.get('lxcattach_attaches_started_total{mode="Interactive"}'), 1);
    assert.equal(m.get('lxcattach_attaches_finished_total{mode="Batch",reason="Completed",result="succeeded"}'), 2);
    assert.equal(m.get('lxcattach_attaches_finished_total{mode="Batch",reason="NonZeroExitCode",result="failed"}'), 1);
    assert.equal(m.get('lxcattach_attaches_finished_total{mode="Interactive",reason="Completed",result="succeeded"}'), 1);
    assert.equal(m.get('lxcattach_relayed_bytes_total{direction="stdin"}'), 1000);
    assert.equal(m.get('lxcattach_relayed_bytes_total{direction="stdout"}'), 1000);
    assert.equal(m.get('lxcattach_active_sessions{state="running"}'), 0);
    assert.equal(m.get('lxcattach_active_sessions{state="waiting"}'), 0);
    assert.equal(m.get('lxcattach_attach_setup_seconds_count{}'), 4);
    assert.equal(m.get('lxcattach_session_duration_seconds_count{}'), 4);
    assert.equal(m.get('lxcattach_reconcile_errors_total{}'), 0);
  });
});
