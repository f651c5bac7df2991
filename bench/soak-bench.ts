// Fault-and-load soak (bench/soak): standalone API server (--no-agent) and a node agent as separate
// processes, on containers of its own; mixed batch and interactive load for --minutes, with a peak
// of --peak interactive sessions held at once, while seeded faults hit the agent, the API server,
// helpers, a container and a client; then the load drains and the invariants are judged. Exits 1
// on any violation. The seed is printed so a run can be replayed.
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
import { agentDeathOutcomes, lateOrStuck, ranTwiceOrNever, settleGraceMs, tailsNotSuffix, wrongOutcomes } from './soak-parts/invariants.js';
import { percentile } from './soak-parts/percentile.js';
import { SeededRandom } from './soak-parts/seeded-random.js';
import { SessionLoad } from './soak-parts/session-load.js';
import { soakAgentConfig } from './soak-parts/soak-agent-config.js';
import { StoreDurability } from './soak-parts/store-durability.js';

const { values: args } = parseArgs({ options: {
  minutes: { type: 'string', default: '1' },
  seed: { type: 'string' },
  sessions: { type: 'string', default: '5' },
  peak: { type: 'string', default: '200' },
} });
const minutes = Number(args.minutes);
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
const sessionSlots = Number(args.sessions);
const peakSessions = Number(args.peak);
const script = repoPath('scripts/lxc-test-container.sh');
const runId = String(process.pid);
const container = `lxcat-${runId}-soak`;
const stoppedContainer = `lxcat-${runId}-soakstopped`;
const victim = `lxcat-${runId}-soakvictim`;
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
  console.log(`soak: seed ${seed} (replay: bench/soak --minutes ${minutes} --seed ${seed} --sessions ${sessionSlots} --peak ${peakSessions})`);
  progress('creating containers');
  execFileSync(script, ['create', container]);
  execFileSync(script, ['create', victim]);
  execFileSync(script, ['create', stoppedContainer, '--stopped']);
  execFileSync('lxc-attach', ['-n', container, '--', 'sh', '-c', `: > ${runsFile}`]);
  const commandOf = (ps: string) => ps.replace(/^\d+ /, '');
  const baseline = new Set([container, victim].flatMap((c) => containerProcesses(c).map(commandOf)));
  progress('starting the API server and the agent');
  const cluster = await new AgentCluster(`soak-node-${runId}`).start(soakAgentConfig(peakSessions));
  progress('load starts');
  const ledger = new AttachLedger();
  const rng = { load: new SeededRandom(seed), sessions: new SeededRandom(seed + 1), faults: new SeededRandom(seed + 2) };
  const batches = new BatchLoad(cluster.api.kubeconfig, { node: cluster.node, container, stoppedContainer, missingContainer: `lxcat-${runId}-nosuch` }, ledger, runId);
  const sessions = new SessionLoad(cluster, ledger, runId);
  const store = new StoreDurability(() => cluster.client, runId);
  const agentRss = () => sampleAgent(cluster.agent.proc.pid)?.rss;
  const faults = new FaultInjector(cluster, ledger, container, victim, sessions, store, agentRss, runId);
  const pending: Promise<unknown>[] = [];
  let loadErrors = 0;
  try {
    await store.start();
    const firstToDelete = await batches.applyBatch(rng.load, 3);
    const endAt = Date.now() + minutes * 60_000;
    // The agent's baseline is taken once it has warmed up under the load, before the first fault:
    // a Node.js heap grows to its working size and keeps it.
    const warmUpMs = Math.min(60_000, minutes * 12_000);
    let before: AgentSample = sampleAgent(cluster.agent.proc.pid)!;
    const peak = { ...before };
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
    pending.push(deleter(firstToDelete));
    const batchLoop = (async () => {
      while (Date.now() < endAt) {
        const toDelete = await batches.applyBatch(rng.load, 1 + Math.floor(rng.load.next() * 4)).catch(() => (loadErrors++, []));
        pending.push(deleter(toDelete));
        await sleep(rng.load.between(500, 2500));
      }
    })();
    const sessionLoops = Array.from({ length: sessionSlots + 1 }, async (_, slot) => {
      while (Date.now() < endAt) await sessions.runOne(rng.sessions, slot === sessionSlots ? victim : container, slot === sessionSlots);
    });
    // The peak comes a third into the run, beside the rest of the load and the faults.
    const peakLoop = (async () => {
      if (peakSessions <= 0) return;
      await sleep(minutes * 20_000);
      progress(`peak: opening ${peakSessions} sessions`);
      await sessions.holdPeak(container, peakSessions, 16, 20_000);
      progress(`peak: ${sessions.peak} sessions were open at once`);
    })();
    const faultLoop = (async () => {
      await sleep(warmUpMs);
      // Descriptors, unlike the heap, go back to the idle count: their baseline stays the idle one.
      before = { rss: sampleAgent(cluster.agent.proc.pid)?.rss ?? before.rss, fds: before.fds };
      progress(`warmed up: agent RSS ${before.rss.toFixed(1)} MiB`);
      while (Date.now() < endAt - 5000) {
        // The peak is opened without faults (a killed agent would end its sessions before they are
        // all open); they resume while it is held.
        while (sessions.openingPeak) await sleep(500);
        await faults.inject(rng.faults);
        const w = faults.windows.at(-1);
        progress(`fault ${w?.kind ?? 'skipped'} recovered after ${w?.recoveredAt === undefined ? '?' : w.recoveredAt - w.at} ms`);
        await sleep(rng.faults.between(5000, 15_000));
      }
    })();
    // A wedged load loop is itself a finding: the soak stops waiting and judges what it has.
    let loadDone = false;
    const loadLimit = sleep(minutes * 60_000 + 120_000).then(() => loadDone || progress('load loops still busy 2 min after the end; judging anyway'));
    await Promise.race([Promise.all([batchLoop, faultLoop, peakLoop, ...sessionLoops]).then(() => Promise.all(pending)), loadLimit]);
    loadDone = true;
    progress(`load stopped; draining ${ledger.unsettled().length} unsettled`);

    const drainLimit = Date.now() + settleGraceMs + 20_000;
    while (ledger.unsettled().length > 0 && Date.now() < drainLimit) await sleep(500);
    // ttl objects finish their countdown; the processes of the last ones end.
    await sleep(5000);
    polling = false;
    await poller;
    progress(`judging; ${ledger.unsettled().length} unsettled`);

    await store.stop();
    await store.check('at the end').catch((err: Error) => store.violations.push(`store: could not be read back at the end: ${err.message}`));
    const violations: string[] = [];
    violations.push(...lateOrStuck(ledger, faults.windows), ...wrongOutcomes(ledger, faults.windows), ...agentDeathOutcomes(ledger));
    violations.push(...tailsNotSuffix(ledger, faults.windows), ...sessions.violations, ...store.violations);
    const runs = execFileSync('lxc-attach', ['-n', container, '--', 'cat', runsFile], { encoding: 'utf8' });
    violations.push(...ranTwiceOrNever(ledger, runs));
    const markerPattern = `sleep ${String(markerBase).slice(0, 2)}`;
    // Judged in this run's containers and by this run's helpers only: another soak may run beside it.
    for (const p of containerProcesses(container).filter((p) => p.includes(markerPattern))) {
      const name = batches.markers.get(/sleep (\d+)/.exec(p)?.[1] ?? '');
      const rec = name ? ledger.records.get(name) : undefined;
      violations.push(`process of a finished attach left in ${container}: ${p} (${name ?? 'unknown'}, ended ${rec?.status?.phase}/${rec?.status?.reason}` +
        `${rec?.runningAtAgentDeath ? `, Running at the agent's ${rec.runningAtAgentDeath.signal}` : ''})`);
    }
    // Children forked and left on purpose (sleep 25) end by themselves; what else runs was there before.
    for (const c of [container, victim]) {
      const left = containerProcesses(c).filter((p) => !baseline.has(commandOf(p)) && !p.includes(markerPattern) && !p.endsWith('sleep 25'));
      for (const p of left) violations.push(`process left in ${c}: ${p}`);
    }
    const helpersLeft = hostProcessesWith('lxc-attach-helper').filter((p) => [container, victim].some((c) => p.includes(`--name=${c} `)));
    for (const p of helpersLeft) violations.push(`helper left: ${p}`);
    await sleep(2000);
    const after = sampleAgent(cluster.agent.proc.pid)!;
    // Bounded growth: an agent that survived the soak may hold a few more keep-alive sockets.
    if (after.fds > before.fds + 10) violations.push(`agent fds ${after.fds} after the load, baseline ${before.fds} (+10 allowed)`);
    if (after.rss > before.rss * 1.5 + 20) violations.push(`agent RSS ${after.rss.toFixed(1)} MiB after the load, baseline ${before.rss.toFixed(1)} (x1.5 + 20 MiB allowed)`);

    const rec = faults.recoveryMs();
    const byKind = new Map<string, number>();
    for (const r of ledger.records.values()) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    console.log(`attaches run: ${ledger.records.size} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}); apply retries ${batches.applyRetries}, delete retries ${batches.deleteRetries}`);
    console.log(`sessions: ${sessions.completed} completed, ${sessions.peak} open at peak (wanted ${peakSessions}), ${sessions.errors.length} broken (under faults)`);
    console.log(`faults: ${[...faults.counts].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    console.log(`fault to recovery (probe attach Succeeded): p50 ${percentile(rec, 50) ?? '-'} ms, p99 ${percentile(rec, 99) ?? '-'} ms, n ${rec.length}`);
    for (const kind of new Set(faults.windows.map((w) => w.kind))) {
      const r = faults.windows.filter((w) => w.kind === kind && w.recoveredAt !== undefined).map((w) => w.recoveredAt! - w.at);
      console.log(`  ${kind}${kind === 'client-stops-reading' ? ' (stall until the stream ended)' : ''}: p50 ${percentile(r, 50) ?? '-'} ms, p99 ${percentile(r, 99) ?? '-'} ms, n ${r.length}`);
    }
    console.log(`store: ${store.acknowledged} acknowledged writes, read back after every API server restart (${store.checks} checks)`);
    const grown = faults.stalledRssGrowth;
    if (grown.length) console.log(`agent RSS growth while a client read nothing: max ${Math.max(...grown).toFixed(1)} MiB, n ${grown.length}`);
    console.log(`agent RSS MiB before (warmed up)/peak/after: ${before.rss.toFixed(1)}/${peak.rss.toFixed(1)}/${after.rss.toFixed(1)}; fds ${before.fds}/${peak.fds}/${after.fds}`);
    if (peakSessions > 0 && sessions.peak < peakSessions) violations.push(`only ${sessions.peak} of ${peakSessions} sessions were open at the peak`);
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
    execFileSync(script, ['destroy', container, stoppedContainer, victim]);
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(2);
});
