// Fault-and-load soak (bench/soak): standalone API server (--no-agent) and a node agent as separate
// processes, on containers of its own; mixed batch and interactive load for --minutes while seeded
// faults hit the agent, the API server and helpers; then the load drains and the invariants are
// judged. Exits 1 on any violation. The seed is printed so a run can be replayed.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { ContainerAttach } from '../common/src/containerattach/types.js';
import { containerAttachPath } from '../common/src/containerattach/paths.js';
import { AgentCluster } from '../test/support/agent-cluster.js';
import { containerProcesses, fdCount, hostProcessesWith } from '../test/support/leftovers.js';
import { repoPath } from '../test/support/paths.js';
import { rssMiB } from '../test/support/processes.js';
import { AttachLedger } from './soak-parts/attach-ledger.js';
import { BatchLoad, markerBase, runLabel, runsFile } from './soak-parts/batch-load.js';
import { FaultInjector } from './soak-parts/fault-injector.js';
import { agentDeathOutcomes, lateOrStuck, ranTwiceOrNever, settleGraceMs, wrongOutcomes } from './soak-parts/invariants.js';
import { percentile } from './soak-parts/percentile.js';
import { SeededRandom } from './soak-parts/seeded-random.js';
import { SessionLoad } from './soak-parts/session-load.js';

const { values: args } = parseArgs({ options: {
  minutes: { type: 'string', default: '1' },
  seed: { type: 'string' },
  sessions: { type: 'string', default: '5' },
} });
const minutes = Number(args.minutes);
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
const sessionSlots = Number(args.sessions);
const script = repoPath('scripts/lxc-test-container.sh');
const runId = String(process.pid);
const container = `lxcat-${runId}-soak`;
const stoppedContainer = `lxcat-${runId}-soakstopped`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (what: string) => console.error(`soak ${new Date().toISOString().slice(11, 19)} ${what}`);

interface AgentSample { rss: number; fds: number }

function sampleAgent(pid: number): AgentSample | undefined {
  try {
    return { rss: rssMiB(pid), fds: fdCount(pid) };
  } catch {
    return undefined; // NB: the agent is being restarted.
  }
}

async function main(): Promise<number> {
  console.log(`soak: seed ${seed} (replay: bench/soak --minutes ${minutes} --seed ${seed} --sessions ${sessionSlots})`);
  progress('creating containers');
  execFileSync(script, ['create', container]);
  execFileSync(script, ['create', stoppedContainer, '--stopped']);
  execFileSync('lxc-attach', ['-n', container, '--', 'sh', '-c', `: > ${runsFile}`]);
  progress('starting the API server and the agent');
  const cluster = await new AgentCluster(`soak-node-${runId}`).start();
  progress('load starts');
  const ledger = new AttachLedger();
  const rng = { load: new SeededRandom(seed), sessions: new SeededRandom(seed + 1), faults: new SeededRandom(seed + 2) };
  const batches = new BatchLoad(cluster.api.kubeconfig, { node: cluster.node, container, stoppedContainer, missingContainer: `lxcat-${runId}-nosuch` }, ledger, runId);
  const sessions = new SessionLoad(cluster, container, ledger, runId);
  const faults = new FaultInjector(cluster, ledger, container, runId);
  const pending: Promise<unknown>[] = [];
  let loadErrors = 0;
  try {
    await batches.applyBatch(rng.load, 3);
    await sleep(3000);
    const before = sampleAgent(cluster.agent.proc.pid)!;
    const peak = { ...before };
    const endAt = Date.now() + minutes * 60_000;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          const listedAt = Date.now();
          const list = await cluster.client.request<{ items: ContainerAttach[] }>('GET', containerAttachPath('default'), { query: { labelSelector: `${runLabel}=${runId}` } });
          ledger.observe(list.items, listedAt);
        } catch {
          // NB: the API server is down during its restart fault.
        }
        const s = sampleAgent(cluster.agent.proc.pid);
        if (s) {
          peak.rss = Math.max(peak.rss, s.rss);
          peak.fds = Math.max(peak.fds, s.fds);
        }
        await sleep(300);
      }
    })();
    const deleter = async (names: string[]) => {
      for (const name of names) {
        for (let i = 0; i < 100 && ledger.records.get(name)?.status?.phase !== 'Running' && !ledger.isSettled(ledger.records.get(name)!); i++) await sleep(200);
        await batches.delete(name).catch(() => loadErrors++);
      }
    };
    const batchLoop = (async () => {
      while (Date.now() < endAt) {
        const toDelete = await batches.applyBatch(rng.load, 1 + Math.floor(rng.load.next() * 4)).catch(() => (loadErrors++, []));
        pending.push(deleter(toDelete));
        await sleep(rng.load.between(500, 2500));
      }
    })();
    const sessionLoops = Array.from({ length: sessionSlots }, async () => {
      while (Date.now() < endAt) await sessions.runOne(rng.sessions);
    });
    const faultLoop = (async () => {
      await sleep(5000);
      while (Date.now() < endAt - 5000) {
        await faults.inject(rng.faults);
        progress(`fault ${faults.windows.at(-1)?.kind ?? 'skipped'} recovered after ${faults.recoveryMs().at(-1) ?? '?'} ms`);
        await sleep(rng.faults.between(5000, 15_000));
      }
    })();
    // A wedged load loop is itself a finding: the soak stops waiting and judges what it has.
    let loadDone = false;
    const loadLimit = sleep(minutes * 60_000 + 120_000).then(() => loadDone || progress('load loops still busy 2 min after the end; judging anyway'));
    await Promise.race([Promise.all([batchLoop, faultLoop, ...sessionLoops]).then(() => Promise.all(pending)), loadLimit]);
    loadDone = true;
    progress(`load stopped; draining ${ledger.unsettled().length} unsettled`);

    const drainLimit = Date.now() + settleGraceMs + 20_000;
    while (ledger.unsettled().length > 0 && Date.now() < drainLimit) await sleep(500);
    // ttl objects finish their countdown; the processes of the last ones end.
    await sleep(5000);
    polling = false;
    await poller;
    progress(`judging; ${ledger.unsettled().length} unsettled`);

    const violations: string[] = [];
    violations.push(...lateOrStuck(ledger, faults.windows), ...wrongOutcomes(ledger, faults.windows), ...agentDeathOutcomes(ledger));
    const runs = execFileSync('lxc-attach', ['-n', container, '--', 'cat', runsFile], { encoding: 'utf8' });
    violations.push(...ranTwiceOrNever(ledger, runs));
    const markerPattern = `sleep ${String(markerBase).slice(0, 2)}`;
    const leftHost = hostProcessesWith(markerPattern).filter((p) => !p.includes('soak-bench'));
    const leftContainer = containerProcesses(container).filter((p) => p.includes(markerPattern));
    for (const p of [...leftHost, ...leftContainer.map((p) => `in container: ${p}`)]) violations.push(`process of a finished attach left: ${p}`);
    const helpersLeft = hostProcessesWith('lxc-attach-helper').filter((p) => p.includes(container));
    for (const p of helpersLeft) violations.push(`helper left: ${p}`);
    await sleep(2000);
    const after = sampleAgent(cluster.agent.proc.pid)!;
    // Bounded growth: an agent that survived the soak may hold a few more keep-alive sockets.
    if (after.fds > before.fds + 10) violations.push(`agent fds ${after.fds} after the load, baseline ${before.fds} (+10 allowed)`);
    if (after.rss > before.rss * 1.5 + 20) violations.push(`agent RSS ${after.rss.toFixed(1)} MiB after the load, baseline ${before.rss.toFixed(1)} (x1.5 + 20 MiB allowed)`);

    const rec = faults.recoveryMs();
    const byKind = new Map<string, number>();
    for (const r of ledger.records.values()) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    console.log(`attaches run: ${ledger.records.size} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}); apply retries ${batches.applyRetries}`);
    console.log(`sessions: ${sessions.completed} completed, ${sessions.peak} open at peak, ${sessions.errors.length} broken (under faults)`);
    console.log(`faults: ${[...faults.counts].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    console.log(`fault to recovery (probe attach Succeeded): p50 ${percentile(rec, 50) ?? '-'} ms, p99 ${percentile(rec, 99) ?? '-'} ms, n ${rec.length}`);
    console.log(`agent RSS MiB before/peak/after: ${before.rss.toFixed(1)}/${peak.rss.toFixed(1)}/${after.rss.toFixed(1)}; fds ${before.fds}/${peak.fds}/${after.fds}`);
    console.log(`invariant violations: ${violations.length}`);
    for (const v of violations) console.log(`  VIOLATION ${v}`);
    if (process.env.SOAK_VERBOSE) for (const e of sessions.errors) console.log(`  session error ${e}`);
    return violations.length === 0 ? 0 : 1;
  } finally {
    // An agent that outlives its SIGTERM is a finding; the soak still cleans up.
    const agentExited = await Promise.race([cluster.agent.proc.stop('SIGTERM').then(() => true), sleep(20_000).then(() => false)]);
    if (!agentExited) {
      console.log('  VIOLATION the agent did not exit within 20 s of SIGTERM; killed');
      await cluster.agent.proc.stop('SIGKILL');
    }
    await cluster.api.proc.stop();
    execFileSync(script, ['destroy', container, stoppedContainer]);
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(2);
});
