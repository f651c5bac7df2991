// Seeded faults, one at a time: kill -9 or SIGTERM of the agent, kill -9 and restart of the API
// server, kill -9 of a helper, lxc-stop and lxc-start of a container under live sessions, a client
// that stops reading. Recovery is the time from the fault until a probe attach succeeds (for the
// stalled client: until its stream has ended).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { nodeLabel, type ContainerAttach } from '../../common/src/containerattach/types.js';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';
import type { AgentCluster } from '../../test/support/agent-cluster.js';
import { restartApiServer } from '../../test/support/processes.js';
import type { AttachLedger } from './attach-ledger.js';
import { runLabel } from './batch-load.js';
import type { FaultWindow } from './invariants.js';
import type { SeededRandom } from './seeded-random.js';
import type { SessionLoad } from './session-load.js';
import type { StoreDurability } from './store-durability.js';

export const faultKinds = ['agent-kill9', 'agent-term', 'apiserver-restart', 'helper-kill9', 'container-restart', 'client-stops-reading'] as const;
const run = promisify(execFile);
export type FaultKind = typeof faultKinds[number];

/** Helpers are the agent's children running the native binary. */
function helperPids(agentPid: number): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      if (ppid === agentPid && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('lxc-attach-helper')) pids.push(Number(p));
    } catch {
      // NB: the process ended while we looked.
    }
  }
  return pids;
}

export class FaultInjector {
  readonly windows: FaultWindow[] = [];
  readonly counts = new Map<string, number>();
  /** agent RSS growth (MiB) while each stalled client read nothing */
  readonly stalledRssGrowth: number[] = [];
  #probe = 0;

  constructor(private readonly cluster: AgentCluster, private readonly ledger: AttachLedger, private readonly container: string,
    private readonly victim: string, private readonly sessions: SessionLoad, private readonly store: StoreDurability,
    private readonly agentRss: () => number | undefined, private readonly runId: string) {}

  recoveryMs(): number[] {
    return this.windows.filter((w) => w.recoveredAt !== undefined && w.kind !== 'client-stops-reading').map((w) => w.recoveredAt! - w.at);
  }

  async inject(rng: SeededRandom): Promise<void> {
    const kind = rng.pick(faultKinds);
    let window: FaultWindow;
    switch (kind) {
      case 'agent-kill9':
      case 'agent-term': {
        const signal = kind === 'agent-kill9' ? 'SIGKILL' : 'SIGTERM';
        const running = await this.#running();
        window = { kind, at: Date.now() };
        // The time of the kill itself: what ended while the list was being read ended before it.
        for (const name of running) {
          const rec = this.ledger.records.get(name);
          if (rec && !rec.kind.startsWith('session')) rec.runningAtAgentDeath = { at: window.at, signal };
        }
        await this.cluster.restartAgent(signal);
        break;
      }
      case 'apiserver-restart':
        window = { kind, at: Date.now() };
        await this.cluster.api.proc.stop('SIGKILL');
        this.cluster.api = await restartApiServer(this.cluster.api);
        await this.store.check(`after API server restart ${(this.counts.get(kind) ?? 0) + 1}`).catch((err: Error) => {
          this.store.violations.push(`store: could not be read back after a restart: ${err.message}`);
        });
        break;
      case 'container-restart':
        window = { kind, at: Date.now() };
        await run('lxc-stop', ['-n', this.victim, '-t', '10']);
        await new Promise((r) => setTimeout(r, rng.between(500, 3000)));
        await run('lxc-start', ['-n', this.victim]);
        await run('lxc-wait', ['-n', this.victim, '-s', 'RUNNING', '-t', '30']);
        break;
      case 'client-stops-reading': {
        window = { kind, at: Date.now() };
        const grown = await this.sessions.stalledReader(this.container, rng.between(5000, 15_000), this.agentRss);
        if (grown !== undefined) this.stalledRssGrowth.push(grown);
        window.recoveredAt = Date.now();
        this.windows.push(window);
        this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
        return;
      }
      case 'helper-kill9': {
        const pids = helperPids(this.cluster.agent.proc.pid);
        if (pids.length === 0) {
          this.counts.set('helper-kill9 (no helper alive, skipped)', (this.counts.get('helper-kill9 (no helper alive, skipped)') ?? 0) + 1);
          return;
        }
        window = { kind, at: Date.now() };
        process.kill(rng.pick(pids), 'SIGKILL');
        break;
      }
    }
    this.windows.push(window);
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    await this.#probeUntilHealthy(window);
  }

  /** What runs now, read fresh from the API server. */
  async #running(): Promise<string[]> {
    try {
      const list = await this.cluster.client.request<{ items: ContainerAttach[] }>('GET', containerAttachPath('default'), { query: { labelSelector: `${runLabel}=${this.runId}` } });
      return list.items.filter((o) => o.status?.phase === 'Running').map((o) => o.metadata.name!);
    } catch {
      return this.ledger.running().map((r) => r.name);
    }
  }

  async #probeUntilHealthy(window: FaultWindow): Promise<void> {
    const container = window.kind === 'container-restart' ? this.victim : this.container;
    for (;;) {
      const name = `soak-${this.runId}-probe${++this.#probe}`;
      this.ledger.add({ name, kind: 'probe', expect: { phase: 'Succeeded', reason: 'Completed', exitCode: 0, writesRun: false }, lifetimeMs: 5000 });
      try {
        await this.cluster.create(this.cluster.manifest(name, { container, command: ['true'], nodeName: this.cluster.node }, { [nodeLabel]: this.cluster.node, [runLabel]: this.runId }));
        const done = await this.cluster.waitForPhase(name, ['Succeeded', 'Failed'], 30_000);
        if (done.status?.phase === 'Succeeded') {
          window.recoveredAt = Date.now();
          return;
        }
      } catch {
        // NB: the API server may still be coming back; the next probe tells.
      }
      if (Date.now() - window.at > 120_000) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
