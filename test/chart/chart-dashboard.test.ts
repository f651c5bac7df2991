// The Grafana dashboard: well-formed JSON a Grafana can import, shipped by the chart as a ConfigMap
// with the label Grafana's dashboard sidecar selects on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dashboardFile, readDashboard, selectedMetrics } from '../support/grafana-dashboard.js';
import { only, release, render } from './helm.js';
import { schemaProblems } from './kube-schema.js';

describe('Grafana dashboard', () => {
  const dashboard = readDashboard();
  const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');

  it('has a uid, a title, unique panel ids and panels inside the 24-column grid', () => {
    assert.match(dashboard.uid, /^[a-z0-9-]{1,40}$/);
    assert.ok(dashboard.title);
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of dashboard.panels) {
      const { x, w, h } = p.gridPos;
      assert.ok(x >= 0 && w > 0 && h > 0 && x + w <= 24, `panel ${p.title}: gridPos ${JSON.stringify(p.gridPos)}`);
    }
  });

  it('queries the data source variable from every panel, with unique refIds and lxcattach metrics', () => {
    assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource' && v.query === 'prometheus'));
    assert.ok(queryPanels.length >= 10);
    for (const p of queryPanels) {
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
      assert.ok(p.targets?.length, `panel ${p.title} has no query`);
      assert.equal(new Set(p.targets.map((t) => t.refId)).size, p.targets.length, p.title);
      for (const t of p.targets) {
        const metrics = selectedMetrics(t.expr);
        assert.ok(metrics.length > 0, `${p.title} ${t.refId} selects no metric: ${t.expr}`);
        for (const m of metrics) assert.match(m, /^lxcattach_/, `${p.title} ${t.refId}: ${t.expr}`);
        assert.match(t.expr, /node=~"\$node"/, `${p.title} ${t.refId} ignores the node variable`);
      }
    }
  });

  it('is not rendered by default', () => {
    assert.equal(render().filter((o) => o.metadata.name.endsWith('-dashboard')).length, 0);
  });

  it('renders a ConfigMap with the sidecar label holding the file byte for byte', () => {
    const cm = only(render([], ['grafanaDashboard.enabled=true']), 'ConfigMap', '-dashboard') as ReturnType<typeof only> & { data: Record<string, string> };
    assert.deepEqual(schemaProblems(cm), []);
    assert.equal(cm.metadata.namespace, release.namespace);
    assert.equal(cm.metadata.labels?.grafana_dashboard, '1');
    assert.equal(cm.data['lxc-attach-dashboard.json'] + '\n', readFileSync(dashboardFile, 'utf8'));
  });

  it('goes to the sidecar\'s namespace with its folder annotation and own labels when asked', () => {
    const cm = only(render([], [
      'grafanaDashboard.enabled=true', 'grafanaDashboard.namespace=monitoring',
      'grafanaDashboard.annotations.grafana_folder=LXC', 'grafanaDashboard.labels.grafana_dashboard=lxc',
    ]), 'ConfigMap', '-dashboard');
    assert.equal(cm.metadata.namespace, 'monitoring');
    assert.equal(cm.metadata.annotations?.grafana_folder, 'LXC');
    assert.equal(cm.metadata.labels?.grafana_dashboard, 'lxc');
  });
});
