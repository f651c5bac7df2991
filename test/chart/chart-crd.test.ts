import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoPath } from '../support/paths.js';
import { chartDir, only, render, type KubeObject } from './helm.js';

const crdFile = 'containerattaches.lxcattach.io.yaml';
const source = repoPath('crds', crdFile);
const chartCopy = path.join(chartDir, 'files/crds', crdFile);
const syncScript = repoPath('scripts/sync-chart-crds.sh');

/** The rendered CRD without what the chart adds (its labels, the keep annotation). */
function withoutChartMetadata(crd: KubeObject): KubeObject {
  const copy = structuredClone(crd);
  delete copy.metadata.labels;
  delete copy.metadata.annotations;
  return copy;
}

describe('Helm chart CRD', () => {
  it('carries a byte-for-byte copy of crds/ (scripts/sync-chart-crds.sh --check)', () => {
    assert.equal(readFileSync(chartCopy, 'utf8'), readFileSync(source, 'utf8'));
    execFileSync(syncScript, ['--check'], { stdio: 'pipe' });
  });

  it('renders the CRD of crds/, adding only the chart labels and the keep annotation', () => {
    const crd = only(render(), 'CustomResourceDefinition');
    assert.deepEqual(withoutChartMetadata(crd), parse(readFileSync(source, 'utf8')));
    assert.equal(crd.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
    assert.deepEqual(crd.metadata.annotations, { 'helm.sh/resource-policy': 'keep' });
  });

  it('lets uninstall delete the CRD only when crds.keep is false, and skips it when crds.enabled is false', () => {
    const crd = only(render([], ['crds.keep=false']), 'CustomResourceDefinition');
    assert.equal(crd.metadata.annotations, undefined);
    assert.equal(render([], ['crds.enabled=false']).some((o) => o.kind === 'CustomResourceDefinition'), false);
  });

  describe('scripts/sync-chart-crds.sh', () => {
    let tree: string;
    beforeEach(() => {
      // A scratch copy of the parts of the repository the script touches.
      tree = mkdtempSync(path.join(os.tmpdir(), 'lxcat-sync-'));
      cpSync(repoPath('crds'), path.join(tree, 'crds'), { recursive: true });
      cpSync(chartDir, path.join(tree, 'charts/lxc-attach-operator'), { recursive: true });
      cpSync(syncScript, path.join(tree, 'scripts/sync-chart-crds.sh'));
    });
    afterEach(() => rmSync(tree, { recursive: true, force: true }));

    it('fails --check on a stale copy, names it, and repairs it when run without --check', () => {
      const copy = path.join(tree, 'charts/lxc-attach-operator/files/crds', crdFile);
      writeFileSync(copy, readFileSync(copy, 'utf8').replace('shortNames', 'shortnames'));
      const script = path.join(tree, 'scripts/sync-chart-crds.sh');
      const check = spawnSync(script, ['--check'], { encoding: 'utf8' });
      assert.equal(check.status, 1);
      assert.match(check.stderr, /files\/crds\/containerattaches\.lxcattach\.io\.yaml differs from crds\/containerattaches\.lxcattach\.io\.yaml/);
      execFileSync(script, [], { stdio: 'pipe' });
      assert.equal(readFileSync(copy, 'utf8'), readFileSync(source, 'utf8'));
      execFileSync(script, ['--check'], { stdio: 'pipe' });
    });

    it('removes a chart copy whose source is gone', () => {
      const orphan = path.join(tree, 'charts/lxc-attach-operator/files/crds/old.lxcattach.io.yaml');
      writeFileSync(orphan, 'kind: CustomResourceDefinition\n');
      const script = path.join(tree, 'scripts/sync-chart-crds.sh');
      assert.equal(spawnSync(script, ['--check']).status, 1);
      execFileSync(script, [], { stdio: 'pipe' });
      assert.equal(spawnSync('test', ['-e', orphan]).status, 1);
    });
  });
});
