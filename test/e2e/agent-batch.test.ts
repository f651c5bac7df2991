// Batch attaches applied with kubectl, as from Git: run once, record the outcome, never run twice.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';

describe('agent: batch attaches (standalone server, real containers)', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  function manifest(name: string, command: string[]): string {
    return stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name }, spec: { container: privileged, command } });
  }

  function runsInContainer(file: string): number {
    const out = execFileSync('lxc-attach', ['-n', privileged, '--', 'sh', '-c', `cat ${file} 2>/dev/null | wc -l`], { encoding: 'utf8' });
    return Number(out.trim());
  }

  it('reaches Succeeded with the exit code and the output tails', async () => {
    const name = uniqueName('ok');
    const r = cluster.kubectl(['apply', '-f', '-'], manifest(name, ['sh', '-c', 'echo out; echo err >&2; hostname']));
    assert.equal(r.status, 0, r.stderr);
    const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
    assert.equal(done.status?.phase, 'Succeeded');
    assert.equal(done.status?.exitCode, 0);
    assert.equal(done.status?.stdoutTail, `out\n${privileged}\n`);
    assert.equal(done.status?.stderrTail, 'err\n');
    assert.equal(done.status?.stdoutTruncated, false);
    assert.equal(done.status?.nodeName, cluster.node);
    assert.ok(done.status?.startTime && done.status.completionTime);
    const table = cluster.kubectl(['get', 'lxca', name]).stdout;
    assert.match(table, new RegExp(`${name}\\s+${cluster.node}\\s+${privileged}\\s+Succeeded\\s+0\\s`));
  });

  it('reaches Failed with the command\'s exit code', async () => {
    const name = uniqueName('fail');
    assert.equal(cluster.kubectl(['apply', '-f', '-'], manifest(name, ['sh', '-c', 'echo bye; exit 42'])).status, 0);
    const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
    assert.equal(done.status?.phase, 'Failed');
    assert.equal(done.status?.exitCode, 42);
    assert.equal(done.status?.reason, 'NonZeroExitCode');
    assert.equal(done.status?.stdoutTail, 'bye\n');
  });

  it('reports 128+N and the signal for a killed command', async () => {
    const name = uniqueName('sig');
    assert.equal(cluster.kubectl(['apply', '-f', '-'], manifest(name, ['sh', '-c', 'kill -TERM $$'])).status, 0);
    const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed']);
    assert.equal(done.status?.exitCode, 143);
    assert.equal(done.status?.signal, 15);
  });

  it('does not run a re-applied manifest again, and refuses a changed spec', async () => {
    const name = uniqueName('once');
    const file = `/tmp/${name}.runs`;
    const text = manifest(name, ['sh', '-c', `echo run >> ${file}`]);
    assert.equal(cluster.kubectl(['apply', '-f', '-'], text).status, 0);
    await cluster.waitForPhase(name, ['Succeeded']);
    const again = cluster.kubectl(['apply', '-f', '-'], text);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /unchanged/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(runsInContainer(file), 1);
    const changed = cluster.kubectl(['apply', '-f', '-'], manifest(name, ['sh', '-c', `echo run >> ${file}; echo twice`]));
    assert.notEqual(changed.status, 0);
    assert.match(changed.stderr, /spec is immutable/);
    assert.equal(runsInContainer(file), 1);
  });

  it('deletes a finished attach after ttlSecondsAfterFinished', async () => {
    const name = uniqueName('ttl');
    const text = stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name }, spec: { container: privileged, command: ['true'], ttlSecondsAfterFinished: 1 } });
    assert.equal(cluster.kubectl(['apply', '-f', '-'], text).status, 0);
    assert.ok((await cluster.phasesUntilDeleted(name)).includes('Succeeded'));
    const wait = cluster.kubectl(['wait', '--for=delete', `lxca/${name}`, '--timeout=20s']);
    assert.equal(wait.status, 0, wait.stderr);
  });

  it('keeps a bounded, UTF-8-safe tail of a long output', async () => {
    const name = uniqueName('long');
    // 100,000 lines of "é\n" (3 bytes each): far above the 16 KiB tail.
    assert.equal(cluster.kubectl(['apply', '-f', '-'], manifest(name, ['sh', '-c', 'yes é | head -n 100000'])).status, 0);
    const done = await cluster.waitForPhase(name, ['Succeeded']);
    assert.equal(done.status?.stdoutTruncated, true);
    const tail = done.status?.stdoutTail ?? '';
    assert.ok(Buffer.byteLength(tail) <= 16 << 10);
    // Cut at a character boundary: only whole "é" characters and newlines, no U+FFFD.
    assert.match(tail, /^[é\n]+$/);
    assert.ok(tail.endsWith('é\n'));
  });
});
