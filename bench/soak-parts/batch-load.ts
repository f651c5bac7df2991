// Batch attaches as a GitOps tool applies them: a YAML stream of a few objects through real
// `kubectl apply`, retried while the API server is down. Each kind states its true outcome.
import { execFile } from 'node:child_process';
import { nodeLabel, type ContainerAttach } from '../../common/src/containerattach/types.js';
import { kubectlBin, tempDir } from '../../test/support/processes.js';
import type { AttachLedger, Expectation } from './attach-ledger.js';
import type { SeededRandom } from './seeded-random.js';

export const runsFile = '/tmp/soak-runs';
/** Long sleeps get 5000000 + a serial, so a leftover process names its attach. */
export const markerBase = 5_000_000;
export const runLabel = 'soak.lxcattach.io/run';

export interface BatchTargets {
  node: string;
  container: string;
  stoppedContainer: string;
  missingContainer: string;
}

interface Planned {
  spec: ContainerAttach['spec'];
  expect: Expectation;
  lifetimeMs: number;
  deleteWhenRunning?: boolean;
}

const kinds = ['exit0', 'exit3', 'stubborn-deadline', 'forker-ttl', 'delete-running', 'missing', 'stopped', 'big-output', 'stdin-reader'] as const;

/** `seq 1 n` as the command prints it */
export function seqOutput(n: number): string {
  let out = '';
  for (let i = 1; i <= n; i++) out += `${i}\n`;
  return out;
}

const bigLines = 100_000;
const bigOutput = seqOutput(bigLines);
export type BatchKind = typeof kinds[number];

function plan(kind: BatchKind, name: string, serial: number, t: BatchTargets): Planned {
  const marker = markerBase + serial;
  const record = `echo ${name} >> ${runsFile}`;
  const sh = (script: string) => ['sh', '-c', script];
  switch (kind) {
    case 'exit0':
    case 'exit3': {
      const code = kind === 'exit0' ? 0 : 3;
      return {
        spec: { container: t.container, command: sh(`${record}; echo out-${name}; exit ${code}`) },
        expect: { phase: code ? 'Failed' : 'Succeeded', reason: code ? 'NonZeroExitCode' : 'Completed', exitCode: code, output: `out-${name}\n`, writesRun: true },
        lifetimeMs: 5000,
      };
    }
    case 'stubborn-deadline':
      return {
        spec: { container: t.container, activeDeadlineSeconds: 2, command: sh(`trap "" HUP TERM; ${record}; sleep ${marker}`) },
        expect: { phase: 'Failed', reason: 'DeadlineExceeded', writesRun: true },
        lifetimeMs: 2000 + 15_000,
      };
    case 'forker-ttl':
      return {
        // The child keeps the command's output open after it exits; it is left running on purpose,
        // as lxc-attach leaves it, and ends by itself (its sleep is not a leftover marker).
        spec: { container: t.container, ttlSecondsAfterFinished: 3, command: sh(`${record}; sleep 25 & sleep 1; exit 5`) },
        expect: { phase: 'Failed', reason: 'NonZeroExitCode', exitCode: 5, writesRun: true },
        lifetimeMs: 1000 + 3000 + 5000,
      };
    case 'delete-running':
      return {
        spec: { container: t.container, command: sh(`${record}; trap "" HUP; sleep ${marker}`) },
        expect: { phase: 'Deleted', writesRun: true },
        lifetimeMs: 15_000,
        deleteWhenRunning: true,
      };
    case 'big-output':
      return {
        spec: { container: t.container, command: sh(`${record}; seq 1 ${bigLines}`) },
        expect: { phase: 'Succeeded', reason: 'Completed', exitCode: 0, output: bigOutput, writesRun: true },
        lifetimeMs: 10_000,
      };
    case 'stdin-reader':
      // A batch attach has no stdin: the command reads end-of-file at once, never waits forever.
      return {
        spec: { container: t.container, command: sh(`${record}; cat; echo eof-${name}`) },
        expect: { phase: 'Succeeded', reason: 'Completed', exitCode: 0, output: `eof-${name}\n`, writesRun: true },
        lifetimeMs: 5000,
      };
    case 'missing':
      return { spec: { container: t.missingContainer, command: ['true'] }, expect: { phase: 'Failed', reason: 'ContainerNotFound', writesRun: false }, lifetimeMs: 5000 };
    case 'stopped':
      return { spec: { container: t.stoppedContainer, command: ['true'] }, expect: { phase: 'Failed', writesRun: false }, lifetimeMs: 5000 };
  }
}

export class BatchLoad {
  #serial = 0;
  readonly #home = tempDir('soak-kubectl-home');
  applied = 0;
  applyRetries = 0;
  deleteRetries = 0;
  /** `sleep` argument -> the attach that runs it, to name a leftover process */
  readonly markers = new Map<string, string>();

  constructor(private readonly kubeconfig: string, private readonly targets: BatchTargets, private readonly ledger: AttachLedger,
    private readonly runId: string) {}

  /** Applies `count` attaches of random kinds in one `kubectl apply`; returns those to delete once Running. */
  async applyBatch(rng: SeededRandom, count: number): Promise<string[]> {
    const objs: ContainerAttach[] = [];
    const toDelete: string[] = [];
    for (let i = 0; i < count; i++) {
      const serial = ++this.#serial;
      const kind = rng.pick(kinds);
      const name = `soak-${this.runId}-${serial}-${kind}`;
      const p = plan(kind, name, serial, this.targets);
      objs.push({
        apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach',
        metadata: { name, namespace: 'default', labels: { [nodeLabel]: this.targets.node, [runLabel]: this.runId } },
        spec: { nodeName: this.targets.node, ...p.spec },
      });
      this.ledger.add({ name, kind, expect: p.expect, lifetimeMs: p.lifetimeMs });
      this.markers.set(String(markerBase + serial), name);
      if (p.deleteWhenRunning) toDelete.push(name);
    }
    const stream = `# soak batch\n${objs.map((o) => JSON.stringify(o)).join('\n---\n')}\n`;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#kubectl(['apply', '-f', '-'], stream);
        break;
      } catch (err) {
        // NB: a GitOps tool retries until the API server is back; so does the soak.
        if (attempt > 120) {
          for (const o of objs) this.ledger.records.get(o.metadata.name!)!.createFailed = true;
          throw err;
        }
        this.applyRetries++;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    this.applied += objs.length;
    return toDelete;
  }

  /** Retried while the API server is down, as applies are: a delete lost to a restart would leave
   *  the attach running on, by design. */
  async delete(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#kubectl(['delete', 'containerattach', name, '--wait=false', '--ignore-not-found']);
        return;
      } catch (err) {
        if (attempt > 120) throw err;
        this.deleteRetries++;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  #kubectl(args: string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(kubectlBin, args, { env: { PATH: process.env.PATH, HOME: this.#home, KUBECONFIG: this.kubeconfig }, timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
      if (input !== undefined) child.stdin!.end(input);
    });
  }
}
