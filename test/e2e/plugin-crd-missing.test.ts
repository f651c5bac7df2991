// Against a cluster without the ContainerAttach CRD (a real standalone API server, nothing applied)
// the plugin says what is missing and how to install it, instead of the mux's "404 page not found".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pluginBin, startApiServer, tempDir, type Standalone } from '../support/processes.js';

describe('kubectl lxc-attach: a cluster without the CRD', function () {
  this.timeout(60_000);
  let api: Standalone;
  before(async () => (api = await startApiServer()));
  after(() => api?.proc.stop());

  it('says the ContainerAttach CRD is not installed and how to install it', () => {
    const r = spawnSync(pluginBin, ['-n', 'web1', '--', 'true'], {
      encoding: 'utf8', timeout: 30_000,
      env: { PATH: process.env.PATH, KUBECONFIG: api.kubeconfig, HOME: tempDir('plugin-crd-home') },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^error: the ContainerAttach CRD is not installed on this cluster/);
    assert.match(r.stderr, /kubectl apply -f crds\/containerattaches\.lxcattach\.io\.yaml/);
    assert.doesNotMatch(r.stderr, /page not found/);
  });
});
