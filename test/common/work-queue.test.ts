import assert from 'node:assert/strict';
import { WorkQueue } from '../../common/src/queue/work-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('runs a key once even when added many times, and again if added while running', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue(async (key) => {
      runs.push(key);
      if (runs.length === 1) await gate;
    }, { concurrency: 2, baseDelayMs: 10, maxDelayMs: 100, onError: () => undefined });
    q.add('a');
    await sleep(5);
    q.add('a');
    q.add('a');
    release();
    await sleep(20);
    await q.drained();
    assert.deepEqual(runs, ['a', 'a']);
  });

  it('never runs the same key concurrently', async () => {
    let active = 0;
    let maxActive = 0;
    const q = new WorkQueue(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(5);
      active--;
    }, { concurrency: 4, baseDelayMs: 10, maxDelayMs: 100, onError: () => undefined });
    for (let i = 0; i < 20; i++) q.add('same');
    await sleep(30);
    await q.drained();
    assert.equal(maxActive, 1);
  });

  it('retries failures with growing, capped delays', async () => {
    const times: number[] = [];
    let justFailed = false;
    const q = new WorkQueue(async () => {
      times.push(Date.now());
      if (times.length < 5) throw new Error('not yet');
    }, { concurrency: 1, baseDelayMs: 10, maxDelayMs: 40, onError: () => (justFailed = true) });
    // The retry's delay is the addAfter right after onError; a timer that fires a millisecond
    // early by Date.now() re-arms itself for the rest, which is not a retry.
    const retryDelays: number[] = [];
    const addAfter = q.addAfter.bind(q);
    q.addAfter = (key, ms) => {
      if (justFailed) retryDelays.push(ms);
      justFailed = false;
      addAfter(key, ms);
    };
    q.add('k');
    for (let waited = 0; times.length < 5 && waited < 5000; waited += 10) await sleep(10);
    assert.deepEqual(retryDelays, [10, 20, 40, 40]);
    // Upper bounds would time the machine, not the queue: a loaded CI host fires timers late.
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    gaps.forEach((gap, i) => assert.ok(gap >= retryDelays[i]! - 2, `gaps ${gaps}`));
    q.shutdown();
  });

  it('honours requeueAfter', async () => {
    let n = 0;
    const q = new WorkQueue(async () => (++n < 3 ? { requeueAfterMs: 10 } : undefined),
      { concurrency: 1, baseDelayMs: 10, maxDelayMs: 100, onError: () => undefined });
    q.add('k');
    for (let waited = 0; n < 3 && waited < 5000; waited += 10) await sleep(10);
    await sleep(50);
    assert.equal(n, 3);
  });
});
