// bench/helper is a script, not a test; this only keeps it from rotting: its --quick mode must run
// against a real container and print the three ratio lines (the numbers themselves are not judged).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { repoPath } from '../support/paths.js';

describe('bench/helper --quick', function () {
  this.timeout(120_000);

  it('prints the helper/lxc-attach ratios for -- true, stdout without a tty and a pty', () => {
    const out = execFileSync(repoPath('bench/helper'), ['--quick'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const ratio = String.raw`lxc-attach \d+\.\d+ m?s, helper \d+\.\d+ m?s, ratio \d+\.\d\dx`;
    assert.match(out, new RegExp(String.raw`^-- true: ${ratio} \(goal <= 1\.1x: (met|MISSED)\)$`, 'm'));
    assert.match(out, new RegExp(String.raw`^\d+ MiB of stdout without a tty: ${ratio} \(goal <= 1\.05x: (met|MISSED)\)$`, 'm'));
    assert.match(out, new RegExp(String.raw`^\d+ MiB through a pty under script: ${ratio} \(goal <= 1\.1x: (met|MISSED)\)$`, 'm'));
  });
});
