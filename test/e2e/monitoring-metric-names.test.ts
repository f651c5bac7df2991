// The dashboard's queries and the alert rules name metrics a running agent really exports: checked
// against a scrape of the agent's /metrics after real attaches, not against a list in the code.
import assert from 'node:assert/strict';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { exportedSeriesNames, readDashboard, selectedMetrics } from '../support/grafana-dashboard.js';
import { only, render } from '../chart/helm.js';

describe('monitoring: dashboard and alerts against a real scrape', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  let families: Map<string, string[]>;
  let exported: Set<string>;

  before(async () => {
    await cluster.start('policy:\n  maxSessions: 7\n');
    for (const command of [['true'], ['sh', '-c', 'exit 3']]) {
      const name = uniqueName('mon');
      await cluster.create(cluster.manifest(name, { container: privileged, command, nodeName: cluster.node }));
      await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
    }
    const scrape = await cluster.metrics();
    families = exportedSeriesNames(scrape);
    exported = new Set([...families.values()].flat());
    assert.match(scrape, /^lxcattach_session_limit 7$/m, 'the policy\'s maxSessions is exported');
    assert.match(scrape, /^lxcattach_watch_restarts_total\{informer="own"\} 0$/m, 'watch restart series start at 0');
  });
  after(() => cluster.stop());

  it('every dashboard query selects only series the agent exports, and every metric has a panel', () => {
    const used = new Set<string>();
    for (const p of readDashboard().panels) {
      for (const t of p.targets ?? []) {
        for (const m of selectedMetrics(t.expr)) {
          assert.ok(exported.has(m), `panel "${p.title}" ${t.refId} selects ${m}, which the agent does not export`);
          used.add(m);
        }
      }
    }
    const unused = [...families].filter(([, series]) => !series.some((s) => used.has(s))).map(([name]) => name);
    assert.deepEqual(unused, [], 'metrics without a panel');
  });

  it('every alert rule selects series the agent exports (besides Prometheus\' own up)', () => {
    const rule = only(render([], ['prometheusRule.enabled=true']), 'PrometheusRule') as unknown as {
      spec: { groups: { rules: { alert: string; expr: string }[] }[] };
    };
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    assert.equal(rules.length, 5);
    for (const r of rules) {
      const metrics = selectedMetrics(r.expr).filter((m) => m !== 'up');
      assert.ok(metrics.length > 0 || r.alert === 'LxcAttachAgentDown', r.alert);
      for (const m of metrics) assert.ok(exported.has(m), `${r.alert} selects ${m}, which the agent does not export`);
    }
  });
});
