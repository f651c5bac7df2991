// NODE_EXTRA_CA_CERTS and the plugin: the bundle's first lines keep it from Node.js's start-up
// (plugin/bundle-start.sh) and the plugin applies it as Node.js would, only where it counts.
// Only the API server is needed: --detach creates the object and prints its name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { applyProjectCrd, pluginBin, startApiServer, tempDir, type Standalone } from '../support/processes.js';

interface Kubeconfig {
  clusters: { cluster: Record<string, string> }[];
  users: { user: Record<string, unknown> }[];
}

describe('kubectl lxc-attach and NODE_EXTRA_CA_CERTS', function () {
  this.timeout(60_000);
  const dir = tempDir('plugin-extra-ca');
  const missing = path.join(dir, 'no-such-bundle.pem');
  let api: Standalone;
  let serverCa: string;
  let withoutCa: string;
  before(async () => {
    api = await startApiServer();
    await applyProjectCrd(api.kubeconfig);
    serverCa = path.join(api.dataDir, 'apiserver.crt');
    const config = parse(readFileSync(api.kubeconfig, 'utf8')) as Kubeconfig;
    delete config.clusters[0].cluster['certificate-authority-data'];
    withoutCa = path.join(dir, 'kubeconfig-without-ca');
    writeFileSync(withoutCa, stringify(config));
  });
  after(() => api.proc.stop());

  function detach(kubeconfig: string, extraCaCerts?: string) {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };
    if (extraCaCerts !== undefined) env.NODE_EXTRA_CA_CERTS = extraCaCerts;
    return spawnSync(pluginBin, ['--detach', '-n', 'c1', '--', 'true'], { encoding: 'utf8', env, timeout: 30_000 });
  }
  const created = /^containerattach\.lxcattach\.io\/c1-\S+ created\n$/;

  it('does not read the file while the kubeconfig names the CA (Node.js 20 would warn at start-up)', () => {
    const r = detach(api.kubeconfig, missing);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, created);
    assert.equal(r.status, 0);
  });

  it('trusts the file\'s certificates for an API server whose kubeconfig names no CA', () => {
    const r = detach(withoutCa, serverCa);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, created);
    assert.equal(r.status, 0);
  });

  it('without the variable, trusts only the default roots there', () => {
    const r = detach(withoutCa);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: .*self[- ]signed certificate/);
  });

  it('warns as Node.js does about an unreadable file, and goes on with the default roots', () => {
    const r = detach(withoutCa, missing);
    assert.equal(r.status, 1);
    const [warning, error] = r.stderr.split('\n');
    assert.equal(warning, `Warning: Ignoring extra certs from \`${missing}\`, load failed: ENOENT: no such file or directory, open '${missing}'`);
    assert.match(error, /^error: .*self[- ]signed certificate/);
  });

  it('hands credential plugins NODE_EXTRA_CA_CERTS as the user set it', () => {
    const seen = path.join(dir, 'credential-plugin-env');
    const credentialPlugin = path.join(dir, 'credential-plugin');
    const config = parse(readFileSync(api.kubeconfig, 'utf8')) as Kubeconfig;
    const token = config.users[0].user.token as string;
    writeFileSync(credentialPlugin, `#!/bin/sh\nenv >'${seen}'\n` +
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'\n`);
    chmodSync(credentialPlugin, 0o755);
    config.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: credentialPlugin, interactiveMode: 'Never' } };
    const viaExec = path.join(dir, 'kubeconfig-exec');
    writeFileSync(viaExec, stringify(config));
    const r = detach(viaExec, serverCa);
    assert.equal(r.status, 0, r.stderr);
    const env = readFileSync(seen, 'utf8').split('\n');
    assert.ok(env.includes(`NODE_EXTRA_CA_CERTS=${serverCa}`), env.join('\n'));
    assert.deepEqual(env.filter((l) => l.startsWith('KUBECTL_LXC_ATTACH_')), []);
  });

  it('runs as well when node is started on the bundle directly', () => {
    const r = spawnSync(process.execPath, [pluginBin, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^kubectl-lxc_attach \S+ \(the lxc-attach 5\.0\.2 command line\)\n$/);
  });
});
