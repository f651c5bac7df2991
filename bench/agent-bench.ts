// Benchmark of the node agent (bench/agent): the standalone API server and a node agent as real
// processes, on a container of its own, each figure beside its anchor measured in the same run.
//   batch attaches per second through one agent                      goal >= 50/s
//   setup latency (helper started -> attached, the agent's histogram) median
//   1 GiB of stdout without a tty vs local lxc-attach                 goal >= 50% of its throughput
//   256 MiB through a pty vs lxc-attach under script                  goal >= 90% of its throughput
//   agent RSS idle and with 200 idle interactive sessions             goal <= 1 MiB per session
// --quick: tiny sizes and counts, so the test suite can run it.
import { execFileSync, spawnSync } from 'node:child_process';
import { nodeLabel, type ContainerAttach } from '../common/src/containerattach/types.js';
import { containerAttachPath } from '../common/src/containerattach/paths.js';
import { rssMiB, waitFor } from '../test/support/processes.js';
import { AgentCluster, uniqueName } from '../test/support/agent-cluster.js';
import { repoPath } from '../test/support/paths.js';
import { StreamClient } from '../test/support/stream-client.js';

const quick = process.argv.includes('--quick');
const batchCount = quick ? 10 : 200;
const stdoutMiB = quick ? 4 : 1024;
const ptyMiB = quick ? 2 : 256;
const idleSessions = quick ? 5 : 200;
const containerScript = repoPath('scripts/lxc-test-container.sh');
const container = `lxcat-${process.pid}-agentbench`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function timeShell(command: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync('/bin/sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${command}`);
  return seconds(start);
}

function verdict(ok: boolean, goal: string): string {
  return `goal ${goal}: ${ok ? 'met' : 'MISSED'}`;
}

/** Reads everything a session writes, counting bytes only (the test client keeps them). */
async function streamSession(cluster: AgentCluster, command: string[], tty: boolean): Promise<{ seconds: number; bytes: number }> {
  const name = uniqueName('bench-stream');
  const { token } = await cluster.createInteractive(name, { container, command, tty, ...(tty ? { terminal: { width: 80, height: 24 } } : {}) });
  const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
  const start = process.hrtime.bigint();
  const client = await StreamClient.open(waiting.status!.endpoint!, token, { keepOutput: false });
  if (!tty) client.closeStdin();
  const result = await client.done;
  const elapsed = seconds(start);
  if (!result.outcome || 'error' in result.outcome || result.outcome.exitCode !== 0) {
    throw new Error(`stream session failed: ${JSON.stringify(result.outcome)}`);
  }
  return { seconds: elapsed, bytes: result.stdoutBytes };
}

async function main(): Promise<void> {
  execFileSync(containerScript, ['create', container], { stdio: 'inherit' });
  const cluster = new AgentCluster(`bench-${process.pid}`);
  try {
    await cluster.start('policy:\n  maxSessions: 0\n  maxSessionsPerNamespace: 0\n');
    console.log(`bench/agent${quick ? ' (--quick)' : ''}: container ${container}, node agent pid ${cluster.agent.proc.pid}`);

    // Warm up: a real server holds creates for 2 s after a CRD becomes Established, and the first
    // attach pays for loading the helper and liblxc into the page cache.
    const warm = uniqueName('bench-warm');
    await cluster.create(cluster.manifest(warm, { container, command: ['true'], nodeName: cluster.node }, { [nodeLabel]: cluster.node }));
    await cluster.waitForPhase(warm, ['Succeeded']);

    // Batch throughput: objects created at once, until the last one has Succeeded.
    const start = process.hrtime.bigint();
    const names = Array.from({ length: batchCount }, () => uniqueName('bench-batch'));
    await Promise.all(names.map((name) => cluster.create(cluster.manifest(name, { container, command: ['true'], nodeName: cluster.node }, { [nodeLabel]: cluster.node }))));
    // One list per poll: a watch or GET per object would load the API server more than the agent.
    await waitFor('every batch attach to succeed', async () => {
      const list = await cluster.client.request<{ items: ContainerAttach[] }>('GET', containerAttachPath('default'));
      const done = list.items.filter((o) => names.includes(o.metadata.name ?? '') && o.status?.phase === 'Succeeded').length;
      return done === batchCount ? true : undefined;
    }, 120_000, 100);
    const rate = batchCount / seconds(start);
    console.log(`batch attaches through one agent: ${batchCount} in ${(batchCount / rate).toFixed(2)} s, ${rate.toFixed(1)}/s (${verdict(rate >= 50, '>= 50/s')})`);

    const metrics = await cluster.metrics();
    const buckets = [...metrics.matchAll(/^lxcattach_attach_setup_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)].map((m) => [Number(m[1]), Number(m[2])] as const);
    const total = buckets.at(-1)?.[1] ?? 0;
    const medianBucket = buckets.find(([, n]) => n >= total / 2)?.[0];
    const sum = Number(/^lxcattach_attach_setup_seconds_sum (\S+)/m.exec(metrics)?.[1]);
    console.log(`setup latency (helper started -> attached): median <= ${((medianBucket ?? NaN) * 1000).toFixed(0)} ms (histogram bucket), mean ${((sum / total) * 1000).toFixed(1)} ms over ${total}`);

    // Stdout without a tty: the agent's stream against lxc-attach piped locally.
    const produce = (mib: number) => ['dd', 'if=/dev/zero', 'bs=1048576', `count=${mib}`, 'status=none'];
    const localStdout = median(Array.from({ length: quick ? 1 : 3 }, () => timeShell(`lxc-attach -n ${container} -- ${produce(stdoutMiB).join(' ')} | cat >/dev/null`)));
    const remote = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) remote.push(await streamSession(cluster, produce(stdoutMiB), false));
    if (remote.some((r) => r.bytes !== stdoutMiB << 20)) throw new Error('stdout stream lost bytes');
    const remoteStdout = median(remote.map((r) => r.seconds));
    const stdoutShare = localStdout / remoteStdout;
    console.log(`${stdoutMiB} MiB stdout, no tty: lxc-attach ${localStdout.toFixed(3)} s, agent stream ${remoteStdout.toFixed(3)} s, ${(stdoutShare * 100).toFixed(0)}% of lxc-attach's throughput (${verdict(stdoutShare >= 0.5, '>= 50%')})`);

    // Through a pty: lxc-attach under script against a pty session over the stream.
    const localPty = median(Array.from({ length: quick ? 1 : 3 }, () => timeShell(`script -qec "lxc-attach -n ${container} -- ${produce(ptyMiB).join(' ')}" /dev/null </dev/null | cat >/dev/null`)));
    const remotePtyRuns = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) remotePtyRuns.push(await streamSession(cluster, produce(ptyMiB), true));
    const remotePty = median(remotePtyRuns.map((r) => r.seconds));
    const ptyShare = localPty / remotePty;
    console.log(`${ptyMiB} MiB through a pty: lxc-attach under script ${localPty.toFixed(3)} s, agent stream ${remotePty.toFixed(3)} s, ${(ptyShare * 100).toFixed(0)}% of lxc-attach's throughput (${verdict(ptyShare >= 0.9, '>= 90%')})`);

    // Memory: the agent idle, then holding idle interactive sessions (a shell waiting for input).
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMiB(cluster.agent.proc.pid);
    const clients: StreamClient[] = [];
    for (let i = 0; i < idleSessions; i++) {
      const name = uniqueName('bench-idle');
      const { token } = await cluster.createInteractive(name, { container, command: ['cat'] });
      const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
      clients.push(await StreamClient.open(waiting.status!.endpoint!, token));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const loaded = rssMiB(cluster.agent.proc.pid);
    const perSession = (loaded - idle) / idleSessions;
    console.log(`agent RSS: idle ${idle.toFixed(1)} MiB, with ${idleSessions} idle sessions ${loaded.toFixed(1)} MiB, ${(perSession * 1024).toFixed(0)} KiB per session (${verdict(perSession <= 1, '<= 1 MiB per session')})`);
    for (const c of clients) c.closeStdin();
    await Promise.all(clients.map((c) => c.done));
  } finally {
    await cluster.stop();
    execFileSync(containerScript, ['destroy', container], { stdio: 'inherit' });
  }
}

await main();
