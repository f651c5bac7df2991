// Keeps bench/apiserver from rotting: runs it in --quick mode and checks that it reports every number.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoPath } from '../support/paths.js';

describe('bench/apiserver --quick', function () {
  this.timeout(120_000);
  it('runs and prints latencies, RSS and restart time beside the goals', async () => {
    const { stdout } = await promisify(execFile)(repoPath('bench/apiserver'), ['--quick'], { timeout: 110_000 });
    for (const row of ['anchor: GET /healthz', 'create (fsync before the answer)', 'get ', 'list (', 'watch delivery: ack -> event']) {
      assert.match(stdout, new RegExp(`^${row.replace(/[()]/g, '\\$&')}.*p50\\s+[\\d.]+ ms\\s+p99\\s+[\\d.]+ ms`, 'm'), stdout);
    }
    assert.match(stdout, /goal p99 <= 20 ms: (met|MISSED)/);
    assert.match(stdout, /^RSS with 1000 objects\s+[\d.]+ MiB\s+goal <= 300 MiB: (met|MISSED)$/m);
    assert.match(stdout, /^restart with 1000 objects\s+[\d.]+ s\s+goal <= 2 s: (met|MISSED)$/m);
  });
});
