// Interactive sessions as the plugin opens them: an object with a token hash, then the remote-command
// WebSocket pinned to the agent's certificate. Some talk and close stdin, some idle, some vanish.
import { nodeLabel, type ContainerAttach } from '../../common/src/containerattach/types.js';
import { type AgentCluster, sessionToken } from '../../test/support/agent-cluster.js';
import { StreamClient } from '../../test/support/stream-client.js';
import type { AttachLedger } from './attach-ledger.js';
import { runLabel } from './batch-load.js';
import type { SeededRandom } from './seeded-random.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SessionLoad {
  #serial = 0;
  open = 0;
  peak = 0;
  completed = 0;
  /** sessions that could not be set up or broke, each with its error (expected under faults) */
  errors: string[] = [];

  constructor(private readonly cluster: AgentCluster, private readonly container: string, private readonly ledger: AttachLedger,
    private readonly runId: string) {}

  /** One session from create to end; never throws. */
  async runOne(rng: SeededRandom): Promise<void> {
    const vanish = rng.next() < 0.2;
    const lines = 1 + Math.floor(rng.next() * 5);
    const idleMs = rng.between(100, 3000);
    const name = `soak-${this.runId}-s${++this.#serial}${vanish ? '-vanish' : ''}`;
    const { token, hash } = sessionToken();
    const obj: ContainerAttach = this.cluster.manifest(name, {
      container: this.container, mode: 'Interactive', stdin: true, sessionTokenHash: hash, connectTimeoutSeconds: 20,
      command: ['sh', '-c', 'while read l; do echo "got $l"; done; echo bye'],
    }, { [nodeLabel]: this.cluster.node, [runLabel]: this.runId });
    this.ledger.add({
      name, kind: vanish ? 'session-vanish' : 'session',
      expect: vanish ? { phase: 'Failed', reason: 'ClientDisconnected', writesRun: false } : { phase: 'Succeeded', reason: 'Completed', exitCode: 0, writesRun: false },
      lifetimeMs: 20_000 + idleMs + lines * 300,
    });
    let client: StreamClient | undefined;
    try {
      await this.cluster.create(obj);
      const waiting = await this.cluster.waitForPhase(name, ['WaitingForClient', 'Failed'], 30_000);
      if (waiting.status?.phase !== 'WaitingForClient') throw new Error(`ended before a client came: ${waiting.status?.reason}`);
      client = await StreamClient.open(waiting.status.endpoint!, token);
      this.open++;
      this.peak = Math.max(this.peak, this.open);
      for (let i = 0; i < lines; i++) {
        client.stdin(`line${i}\n`);
        await client.waitForStdout(`got line${i}`, 15_000);
        await sleep(idleMs / lines);
      }
      if (vanish) {
        client.ws.terminate();
        return;
      }
      client.closeStdin();
      const result = await Promise.race([client.done, sleep(30_000).then(() => {
        throw new Error('the stream did not end within 30s of closing stdin');
      })]);
      if (JSON.stringify(result.outcome) !== '{"exitCode":0}') this.errors.push(`${name}: stream outcome ${JSON.stringify(result.outcome)}`);
      this.completed++;
    } catch (err) {
      this.errors.push(`${name}: ${(err as Error).message.slice(0, 200)}`);
      client?.ws.terminate();
    } finally {
      if (client) this.open--;
    }
  }
}
