// The reliability soak (bench/soak) in short form: a fixed seed and a random one (printed, so a
// failure can be replayed with bench/soak --seed S), each ~30 s of mixed load (~75 s with setup and judging) with faults and a
// peak of 30 held sessions, judged by every invariant of the full run. Needs root and LXC: the
// soak creates three containers of its own, runs a standalone API server and an agent, and kills
// both, helpers and a container under load. It fails on any violation, with the soak's report.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoPath } from '../support/paths.js';

const fixedSeed = 16;

async function soak(seed: number): Promise<string> {
  const args = ['--minutes', '0.5', '--seed', String(seed), '--sessions', '3', '--peak', '30'];
  try {
    const { stdout } = await promisify(execFile)(repoPath('bench/soak'), args, { timeout: 230_000 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    assert.fail(`bench/soak ${args.join(' ')} exited ${e.code}:\n${e.stdout}\n${(e.stderr ?? '').slice(-3000)}`);
  }
}

describe('bench/soak, short form (root, LXC)', function () {
  this.timeout(240_000);

  for (const seed of [fixedSeed, Math.floor(Math.random() * 2 ** 31)]) {
    it(`seed ${seed}: no invariant violation under load and faults`, async () => {
      console.log(`      soak seed ${seed} (replay: bench/soak --minutes 0.5 --seed ${seed} --sessions 3 --peak 30)`);
      const out = await soak(seed);
      console.log(out.replace(/^/gm, '      '));
      assert.match(out, /^invariant violations: 0$/m, out);
      assert.match(out, /^faults: .*\d/m, `no fault was injected:\n${out}`);
      assert.match(out, /^sessions: \d+ completed, (\d+) open at peak/m);
    });
  }
});
