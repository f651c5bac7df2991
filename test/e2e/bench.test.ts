// Keeps bench/agent, bench/plugin and bench/attach-api from rotting: each runs in --quick mode and must print every
// figure beside its goal (the numbers themselves are for the full runs, not for tests).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoPath } from '../support/paths.js';

describe('bench/agent, bench/plugin and bench/attach-api --quick', function () {
  this.timeout(180_000);

  it('bench/agent prints throughput, latency, stream shares and memory', async () => {
    const { stdout } = await promisify(execFile)(repoPath('bench/agent'), ['--quick'], { timeout: 170_000 });
    assert.match(stdout, /^batch attaches through one agent: \d+ in [\d.]+ s, [\d.]+\/s \(goal >= 50\/s: (met|MISSED)\)$/m);
    assert.match(stdout, /^setup latency \(helper started -> attached\): median <= \d+ ms/m);
    assert.match(stdout, /^\d+ MiB stdout, no tty: .*% of lxc-attach's throughput \(goal >= 50%: (met|MISSED)\)$/m);
    assert.match(stdout, /^\d+ MiB through a pty: .*% of lxc-attach's throughput \(goal >= 90%: (met|MISSED)\)$/m);
    assert.match(stdout, /^agent RSS: idle [\d.]+ MiB, with \d+ idle sessions [\d.]+ MiB, -?\d+ KiB per session \(goal <= 1 MiB per session: (met|MISSED)\)$/m);
  });

  it('bench/plugin prints both ratios for each Node.js runtime', async () => {
    const { stdout } = await promisify(execFile)(repoPath('bench/plugin'), ['--quick'], { timeout: 170_000 });
    const runtime = String.raw`\[Node\.js v[\d.]+\]`;
    assert.match(stdout, new RegExp(String.raw`^kubectl lxc-attach -n c -- true ${runtime}: kubectl get containerattaches [\d.]+ m?s, kubectl lxc-attach -- true [\d.]+ m?s, ratio [\d.]+x \(goal <= 3x: (met|MISSED)\)$`, 'm'));
    assert.match(stdout, new RegExp(String.raw`^\d+ MiB of stdout ${runtime} \(goal >= 50% throughput\): local lxc-attach [\d.]+ m?s, kubectl lxc-attach [\d.]+ m?s, ratio [\d.]+x \(goal <= 2x: (met|MISSED)\)$`, 'm'));
    // The node on PATH (this suite's) and the suite's Node.js 24 (always installed) are both measured.
    for (const version of [process.version, 'v24.']) {
      assert.ok(stdout.includes(`-- true [Node.js ${version}`), `no -- true line for Node.js ${version}:\n${stdout}`);
    }
  });

  it('bench/attach-api prints both ratios of the API server path against the direct one', async () => {
    const { stdout } = await promisify(execFile)(repoPath('bench/attach-api'), ['--quick'], { timeout: 170_000 });
    assert.match(stdout, /^kubectl lxc-attach -n c -- true through the API server: --via=direct [\d.]+ m?s, --via=apiserver [\d.]+ m?s, ratio [\d.]+x \(goal <= 1\.3x: (met|MISSED)\)$/m);
    assert.match(stdout, /^\d+ MiB of stdout through the API server \(goal >= 60% throughput\): --via=direct [\d.]+ m?s, --via=apiserver [\d.]+ m?s, ratio [\d.]+x \(goal <= 1\.67x: (met|MISSED)\)$/m);
  });
});
