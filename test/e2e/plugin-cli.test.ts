// kubectl lxc-attach without a terminal: pipes, a broken stream, batch and GitOps manifests.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { containerProcesses } from '../support/leftovers.js';
import { pluginBin, tempDir, waitFor } from '../support/processes.js';

describe('kubectl lxc-attach: pipes, batch and manifests', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  const home = tempDir('plugin-cli-home');
  before(() => cluster.start());
  after(() => cluster.stop());

  const pluginEnv = () => ({ PATH: process.env.PATH, KUBECONFIG: cluster.api.kubeconfig, HOME: home });

  function plugin(args: string[], input = '') {
    return spawnSync(pluginBin, args, {
      input,
      encoding: 'utf8',
      env: pluginEnv(),
      timeout: 30_000,
      maxBuffer: 64 << 20,
    });
  }

  it('pipes stdin through: echo data | kubectl lxc-attach -n c -- cat', () => {
    const r = plugin(['-n', privileged, '--', 'cat'], 'data\n');
    assert.equal(r.stdout, 'data\n');
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });

  it('relays megabytes of stdout and stderr byte for byte, each to its own stream', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');
    const r = plugin(['-n', privileged, '--', 'sh', '-c', 'seq 1 300000; seq 1 200000 >&2']);
    assert.equal(r.status, 0, r.stderr.slice(0, 200));
    assert.ok(r.stdout === lines(300000), `stdout differs (${r.stdout.length} bytes)`);
    assert.ok(r.stderr === lines(200000), `stderr differs (${r.stderr.length} bytes)`);
  });

  it('keeps the pinned agent certificate in ~/.kube/cache and never trusts a wrong cache entry', () => {
    assert.equal(plugin(['-n', privileged, '--', 'true']).status, 0);
    const dir = path.join(home, '.kube', 'cache', 'lxc-attach');
    const [entry] = readdirSync(dir);
    assert.match(entry, /^[0-9a-f]{64}\.pem$/);
    const fingerprint = new X509Certificate(readFileSync(path.join(dir, entry), 'utf8')).fingerprint256;
    assert.equal(fingerprint.replaceAll(':', '').toLowerCase(), entry.slice(0, 64));
    // Another certificate under the agent's fingerprint: ignored, fetched again, replaced.
    writeFileSync(path.join(dir, entry), readFileSync(path.join(cluster.api.dataDir, 'apiserver.crt')));
    const r = plugin(['-n', privileged, '--', 'echo', 'still pinned']);
    assert.equal(r.stdout, 'still pinned\n', r.stderr);
    assert.equal(new X509Certificate(readFileSync(path.join(dir, entry), 'utf8')).fingerprint256, fingerprint);
  });

  it('exits with the remote code and keeps stdout and stderr apart', () => {
    const r = plugin(['-n', privileged, '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [7, 'out\n', 'err\n']);
  });

  it('deletes its interactive object afterwards, unless --keep', () => {
    const mine = () => cluster.kubectl(['get', 'lxca', '-l', 'app.kubernetes.io/managed-by=kubectl-lxc_attach', '-o', 'name']).stdout.trim().split('\n').filter(Boolean);
    const before = mine().length;
    assert.equal(plugin(['-n', privileged, '--', 'true']).status, 0);
    assert.equal(mine().length, before);
    assert.equal(plugin(['--keep', '-n', privileged, '--', 'true']).status, 0);
    assert.equal(mine().length, before + 1);
  });

  it('never exits 0 when the agent dies mid-session, and says why', async () => {
    const child = spawn(pluginBin, ['-n', privileged, '--', 'sh', '-c', 'echo started; sleep 100'], {
      env: pluginEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the remote command', () => (stdout.includes('started') ? true : undefined));
    await cluster.restartAgent('SIGKILL');
    const code = await exited;
    assert.notEqual(code, 0);
    assert.equal(code, 1);
    assert.match(stderr, /^error: the stream to the agent ended before the command did: its exit status is unknown$/m);
  });

  it('ends like a SIGPIPE death (141) when its reader goes away, leaving nothing behind', async () => {
    const bash = spawnSync('/bin/bash', ['-c', `${pluginBin} -n ${privileged} -- seq 1000000 | head -2; echo "rc=\${PIPESTATUS[0]}"`], {
      encoding: 'utf8', env: pluginEnv(), timeout: 30_000,
    });
    assert.equal(bash.stdout, '1\n2\nrc=141\n');
    assert.equal(bash.stderr, '');
    await waitFor('the remote seq to be gone', () => (containerProcesses(privileged).some((p) => p.includes('seq')) ? undefined : true));
  });

  it('runs --batch without stdin and prints the output tails', () => {
    const r = plugin(['--batch', '-n', privileged, '--', 'sh', '-c', 'echo out; echo err >&2; exit 5']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [5, 'out\n', 'err\n']);
  });

  it('--detach creates a batch attach and prints its name', async () => {
    const r = plugin(['--detach', '-n', privileged, '--', 'true']);
    assert.equal(r.status, 0, r.stderr);
    const m = /^containerattach\.lxcattach\.io\/(\S+) created\n$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.equal((await cluster.waitForPhase(m[1], ['Succeeded'])).status?.exitCode, 0);
  });

  it('prints a manifest with --dry-run=client -o yaml that kubectl apply runs as a batch attach', async () => {
    const name = uniqueName('gitops');
    const r = plugin(['-n', privileged, '--dry-run=client', '-o', 'yaml', '--', 'sh', '-c', 'echo from-git']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /sessionTokenHash|stdin|tty/);
    assert.match(r.stdout, /mode: Batch/);
    const manifest = r.stdout.replace(/generateName: .*/, `name: ${name}`);
    const applied = cluster.kubectl(['apply', '-f', '-'], manifest);
    assert.equal(applied.status, 0, applied.stderr);
    const done = await cluster.waitForPhase(name, ['Succeeded']);
    assert.equal(done.status?.stdoutTail, 'from-git\n');
    const json = plugin(['-n', privileged, '--dry-run=client', '--output=json', '--', 'true']);
    assert.equal(JSON.parse(json.stdout).spec.mode, 'Batch');
  });

  it('refuses what the server refuses, with its message and exit code 1', () => {
    const r = plugin(['-n', privileged, '-o', 'relative.log', '--', 'true']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: .*spec\.log\.file: Invalid value: "relative.log"/m);
  });
});
