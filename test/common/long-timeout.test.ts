// Node fires a timer whose delay is above 2^31-1 ms after 1 ms; these delays must wait instead.
import assert from 'node:assert/strict';
import { maxTimerDelayMs, setLongTimeout } from '../../common/src/timers/long-timeout.js';
import { WorkQueue } from '../../common/src/queue/work-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('long timers', () => {
  it('does not fire a delay above 2^31-1 ms early, and fires a short one', async () => {
    let long = 0;
    let short = 0;
    const a = setLongTimeout(() => long++, maxTimerDelayMs + 1000);
    const b = setLongTimeout(() => short++, 10);
    await sleep(60);
    a.clear();
    b.clear();
    assert.deepEqual({ long, short }, { long: 0, short: 1 });
  });

  it('does not run a work queue key early for a requeue above 2^31-1 ms', async () => {
    let runs = 0;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const q = new WorkQueue(async () => void runs++, { concurrency: 1, baseDelayMs: 10, maxDelayMs: 100, onError: () => undefined });
    try {
      q.addAfter('k', 3_000_000_000);
      await sleep(60);
      assert.equal(runs, 0);
      assert.deepEqual(warnings, []);
    } finally {
      q.shutdown();
      process.off('warning', onWarning);
    }
  });
});
