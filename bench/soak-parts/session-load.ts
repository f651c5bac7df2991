// Interactive sessions as the plugin opens them: an object with a token hash, then the remote-command
// WebSocket pinned to the agent's certificate. Some talk and close stdin, some idle a long time, some
// stream output continuously, some read slowly, some vanish without closing; and once per run a
// peak of many sessions held open at once, each with traffic.
import { nodeLabel, type ContainerAttach } from '../../common/src/containerattach/types.js';
import { type AgentCluster, sessionToken } from '../../test/support/agent-cluster.js';
import { StreamClient } from '../../test/support/stream-client.js';
import type { AttachLedger, Expectation } from './attach-ledger.js';
import { runLabel, seqOutput } from './batch-load.js';
import type { SeededRandom } from './seeded-random.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sessionKinds = ['chat', 'chat', 'idle', 'stream', 'slow-reader', 'vanish'] as const;
type SessionKind = typeof sessionKinds[number] | 'peak' | 'victim' | 'stalled';

const streamLines = 50_000;
const streamBytes = Buffer.byteLength(seqOutput(streamLines));
const echoLoop = 'while read l; do echo "got $l"; done; echo bye';

/** The client's TCP socket, to stop reading it as a slow client would. */
const rawSocket = (client: StreamClient) => (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;

interface Opened {
  name: string;
  client: StreamClient;
}

export class SessionLoad {
  #serial = 0;
  open = 0;
  peak = 0;
  completed = 0;
  /** the peak's sessions are being opened */
  openingPeak = false;
  /** sessions that could not be set up or broke, each with its error (expected under faults) */
  errors: string[] = [];
  /** a stream that lost or invented bytes although its session ended Completed: a violation */
  readonly violations: string[] = [];

  constructor(private readonly cluster: AgentCluster, private readonly ledger: AttachLedger, private readonly runId: string) {}

  /** One session from create to end on `container`; never throws. `victim`: the container may be
   *  stopped under it, so any final phase is accepted. */
  async runOne(rng: SeededRandom, container: string, victim = false): Promise<void> {
    const kind: SessionKind = victim ? 'victim' : rng.pick(sessionKinds);
    const lines = 1 + Math.floor(rng.next() * 5);
    const idleMs = kind === 'idle' || kind === 'victim' ? rng.between(10_000, 40_000) : rng.between(100, 3000);
    const pauseMs = rng.between(2000, 8000);
    const command = kind === 'stream' || kind === 'slow-reader' ? `seq 1 ${streamLines}` : echoLoop;
    const expect: Expectation = kind === 'vanish' ? { phase: 'Failed', reason: 'ClientDisconnected', writesRun: false }
      : kind === 'victim' ? { phase: 'Final', writesRun: false }
      : { phase: 'Succeeded', reason: 'Completed', exitCode: 0, writesRun: false };
    const opened = await this.#open(container, kind, command, expect, 20_000 + idleMs + pauseMs + lines * 300);
    if (!opened) return;
    const { name, client } = opened;
    await this.#hold(opened, async () => {
      if (kind === 'stream' || kind === 'slow-reader') {
        // A slow reader stops reading its socket for a while: the agent must hold the command back,
        // not buffer without bound, and lose nothing.
        if (kind === 'slow-reader') {
          const socket = rawSocket(client);
          socket.pause();
          await sleep(pauseMs);
          socket.resume();
        }
        await this.#endedWithAllOutput(`${name} (${kind})`, client, streamBytes);
      } else {
        for (let i = 0; i < lines; i++) {
          client.stdin(`line${i}\n`);
          await client.waitForStdout(`got line${i}`, 15_000);
          await sleep(idleMs / lines);
        }
        if (kind === 'vanish') {
          client.ws.terminate();
          return;
        }
        await this.#endWithExitZero(name, client);
      }
      this.completed++;
    });
  }

  /** Runs a session's part after it opened; never throws: an error is noted and its socket cut.
   *  The session no longer counts as open afterwards. */
  async #hold({ name, client }: Opened, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      this.errors.push(`${name}: ${(err as Error).message.slice(0, 200)}`);
      client.ws.terminate();
    } finally {
      this.open--;
    }
  }

  /** Waits for a streaming session's end: one that ends exit 0 with stdout bytes missing is a violation. */
  async #endedWithAllOutput(what: string, client: StreamClient, want: number): Promise<void> {
    const result = await this.#ended(client);
    if (JSON.stringify(result.outcome) === '{"exitCode":0}' && result.stdoutBytes !== want) {
      this.violations.push(`${what} ended with exit 0 but its client got ${result.stdoutBytes} of ${want} stdout bytes`);
    }
  }

  /** Ends the session's stdin and records an error unless the stream ends with exit code 0. */
  async #endWithExitZero(name: string, client: Opened['client']): Promise<void> {
    client.closeStdin();
    const result = await this.#ended(client);
    if (JSON.stringify(result.outcome) !== '{"exitCode":0}') this.errors.push(`${name}: stream outcome ${JSON.stringify(result.outcome)}`);
  }

  /** Opens `count` sessions at once (`parallel` being set up at a time), holds them all for
   *  `holdMs` with a line echoed through each every few seconds, then ends them. */
  async holdPeak(container: string, count: number, parallel: number, holdMs: number): Promise<void> {
    const opened: Opened[] = [];
    const lifetimeMs = 60_000 + count * 1000 + holdMs;
    let next = 0;
    this.openingPeak = true;
    await Promise.all(Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        const o = await this.#open(container, 'peak', echoLoop, { phase: 'Succeeded', reason: 'Completed', exitCode: 0, writesRun: false }, lifetimeMs);
        if (o) opened.push(o);
      }
    }));
    this.openingPeak = false;
    const until = Date.now() + holdMs;
    await Promise.all(opened.map(async (o, i) => this.#hold(o, async () => {
      for (let n = 0; Date.now() < until; n++) {
        o.client.stdin(`peak${i}-${n}\n`);
        await o.client.waitForStdout(`got peak${i}-${n}`, 30_000);
        await sleep(2000 + (i % 10) * 100);
      }
      await this.#endWithExitZero(o.name, o.client);
      this.completed++;
    })));
  }

  /** The fault "a client that stops reading": a session streaming output whose client reads
   *  nothing for `pauseMs`, then resumes. Returns how much the agent's RSS grew meanwhile (MiB);
   *  a stream that then ends exit 0 with bytes missing is a violation. */
  async stalledReader(container: string, pauseMs: number, agentRss: () => number | undefined): Promise<number | undefined> {
    const lifetimeMs = 30_000 + pauseMs;
    const opened = await this.#open(container, 'stalled', `seq 1 ${streamLines * 4}`, { phase: 'Succeeded', reason: 'Completed', exitCode: 0, writesRun: false }, lifetimeMs);
    if (!opened) return undefined;
    const { name, client } = opened;
    const socket = rawSocket(client);
    const before = agentRss();
    let peak = before ?? 0;
    await this.#hold(opened, async () => {
      socket.pause();
      for (const until = Date.now() + pauseMs; Date.now() < until;) {
        await sleep(500);
        peak = Math.max(peak, agentRss() ?? 0);
      }
      socket.resume();
      await this.#endedWithAllOutput(`${name} (stalled reader)`, client, Buffer.byteLength(seqOutput(streamLines * 4)));
      this.completed++;
    });
    return before === undefined ? undefined : peak - before;
  }

  /** Creates the object, waits for the agent to offer it and connects; undefined (error noted) when
   *  it cannot. The caller owns the open count from then on. */
  async #open(container: string, kind: SessionKind, command: string, expect: Expectation, lifetimeMs: number): Promise<Opened | undefined> {
    const name = `soak-${this.runId}-s${++this.#serial}-${kind}`;
    const { token, hash } = sessionToken();
    const obj: ContainerAttach = this.cluster.manifest(name, {
      container, mode: 'Interactive', stdin: true, sessionTokenHash: hash, connectTimeoutSeconds: 60, command: ['sh', '-c', command],
    }, { [nodeLabel]: this.cluster.node, [runLabel]: this.runId });
    const rec = this.ledger.add({ name, kind: `session-${kind}`, expect, lifetimeMs });
    try {
      try {
        await this.cluster.create(obj);
      } catch (err) {
        rec.createFailed = true;
        throw err;
      }
      const waiting = await this.cluster.waitForPhase(name, ['WaitingForClient', 'Failed', 'Succeeded'], 60_000);
      if (waiting.status?.phase !== 'WaitingForClient') throw new Error(`ended before a client came: ${waiting.status?.reason}`);
      const client = await StreamClient.open(waiting.status.endpoint!, token, { keepOutput: kind !== 'stream' && kind !== 'slow-reader' && kind !== 'stalled' });
      this.open++;
      this.peak = Math.max(this.peak, this.open);
      return { name, client };
    } catch (err) {
      this.errors.push(`${name}: ${(err as Error).message.slice(0, 200)}`);
      return undefined;
    }
  }

  async #ended(client: StreamClient) {
    return Promise.race([client.done, sleep(60_000).then(() => {
      throw new Error('the stream did not end within 60 s');
    })]);
  }
}
