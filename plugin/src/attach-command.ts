// kubectl lxc-attach in kubectl's Options / Complete / Validate / Run shape. Run returns the exit
// code; nothing below the entry point exits the process.
import { dump as stringify } from 'js-yaml';
import type { ContainerAttach, LxcAttachFields, Phase } from '../../common/src/containerattach/types.js';
import type { PluginFlags } from './command-line.js';
import { attachApiAvailable, connect, createAttach, deleteAttach, waitForAttach, type Cluster } from './cluster.js';
import { ExitError, UsageError } from './plugin-errors.js';
import { checkLxcAttachRules, lxcError } from './lxc-messages.js';
import type { IOStreams } from './io-streams.js';
import { buildManifest, newSessionToken } from './manifest.js';
import { ApiServerRefusal, Relay, RelayError } from './relay.js';
import { apiserverRoute, directRoute } from './stream-route.js';
import { LocalTerminal } from './terminal.js';

const defaultWaitMs = 60_000;

const isFinal = (p: Phase | undefined): boolean => p === 'Succeeded' || p === 'Failed';

/** Reasons that stand for an lxc-attach error message (silenced like one by -q and -l). */
const lxcReasons = new Set(['ContainerNotFound', 'ContainerNotRunning']);

/** An attach that ended before any stream: "error: NAME failed: REASON: MESSAGE". */
function failure(obj: ContainerAttach): Error {
  const s = obj.status ?? {};
  if (s.reason && lxcReasons.has(s.reason)) return lxcError(obj.spec, s.message ?? s.reason);
  return new UsageError(`${obj.metadata.name} ${s.phase === 'Failed' ? 'failed' : 'ended'}: ${s.reason ?? 'Unknown'}: ${s.message ?? ''}`.trim());
}

export class AttachOptions {
  readonly #io: IOStreams;
  readonly fields: LxcAttachFields;
  readonly flags: PluginFlags;
  #cluster: Cluster | undefined;
  readonly #terminal: LocalTerminal;
  #relay: Relay | undefined;
  #created: string | undefined;

  constructor(io: IOStreams, fields: LxcAttachFields, flags: PluginFlags) {
    this.#io = io;
    this.fields = fields;
    this.flags = flags;
    this.#terminal = new LocalTerminal(io);
  }

  /** Resolves what the command line leaves open: the cluster, the namespace. */
  complete(): void {
    if (this.flags.dryRun) return;
    this.#cluster = connect(this.flags, this.#io);
  }

  /** Checks that the flags go together. */
  validate(): void {
    const refused = checkLxcAttachRules(this.fields);
    if (refused) throw refused;
    const f = this.flags;
    if (f.output && !f.dryRun) throw new UsageError('--output is only for --dry-run=client');
    if (f.batch && f.detach) throw new UsageError('--batch and --detach do not go together: --batch waits, --detach does not');
    if (f.dryRun && (f.batch || f.detach)) throw new UsageError('--dry-run=client only prints the manifest; drop --batch/--detach');
  }

  async run(): Promise<number> {
    if (this.flags.dryRun) return this.#printManifest();
    if (this.flags.detach) return this.#detach();
    if (this.flags.batch) return this.#batch();
    return this.#interactive();
  }

  /** Called on SIGINT/SIGTERM/SIGHUP: restore the terminal now and end the stream. */
  interrupt(): void {
    this.#terminal.restore();
    this.#relay?.abort();
  }

  /** Deletes what run() created, unless --keep (or a --detach/--dry-run, which keep by nature). */
  async cleanup(): Promise<void> {
    this.#terminal.restore();
    if (!this.#created || this.flags.keep || this.flags.detach || !this.#cluster) return;
    await deleteAttach(this.#cluster, this.#created);
  }

  #printManifest(): number {
    const manifest = buildManifest({ fields: this.fields, node: this.flags.node });
    this.#io.stdout.write(this.flags.output === 'json' ? JSON.stringify(manifest, null, 2) + '\n' : stringify(manifest));
    return 0;
  }

  async #create(obj: ContainerAttach): Promise<ContainerAttach> {
    const created = await createAttach(this.#cluster!, obj);
    this.#created = created.metadata.name;
    return created;
  }

  async #detach(): Promise<number> {
    const created = await this.#create(buildManifest({ fields: this.fields, node: this.flags.node }));
    this.#io.stdout.write(`containerattach.lxcattach.io/${created.metadata.name} created\n`);
    return 0;
  }

  async #batch(): Promise<number> {
    const created = await this.#create(buildManifest({ fields: this.fields, node: this.flags.node }));
    const name = created.metadata.name!;
    const done = await waitForAttach(this.#cluster!, created, (o) => isFinal(o.status?.phase), this.flags.timeoutMs,
      () => new UsageError(`${name} did not finish within ${(this.flags.timeoutMs ?? 0) / 1000}s`));
    const s = done.status!;
    if (s.stdoutTail) this.#io.stdout.write(s.stdoutTail);
    if (s.stderrTail) this.#io.stderr.write(s.stderrTail);
    if (s.stdoutTruncated || s.stderrTruncated) {
      this.#io.stderr.write(`warning: the output was longer than the tail kept in ${name}'s status; only its end is shown\n`);
    }
    if (s.exitCode !== undefined) return s.exitCode;
    throw failure(done);
  }

  /** Which path the stream takes. --via=apiserver fails before anything is created when the API
   *  server does not serve the attach API; auto asks while the object is being created. */
  async #streamPath(): Promise<() => Promise<'apiserver' | 'direct'>> {
    const via = this.flags.via;
    if (via === 'direct') return async () => 'direct';
    const probe = attachApiAvailable(this.#cluster!).catch((err: Error) => ({ available: false as const, why: err.message }));
    if (via === 'auto') return async () => ((await probe).available ? 'apiserver' : 'direct');
    const answer = await probe;
    if (!answer.available) {
      throw new UsageError(`--via=apiserver: the API server does not serve the attach API subresources.lxcattach.io/v1alpha1 (${answer.why}); ` +
        'is the APIService v1alpha1.subresources.lxcattach.io Available? (--via=direct connects to the node agent instead)');
    }
    return async () => 'apiserver';
  }

  async #interactive(): Promise<number> {
    const path = await this.#streamPath();
    const tty = this.#terminal.wantsPty;
    const token = newSessionToken();
    const size = this.#terminal.size();
    const term = this.#terminal.term();
    const created = await this.#create(buildManifest({
      fields: this.fields,
      node: this.flags.node,
      interactive: { tty, tokenHash: token.hash, terminal: size || term ? { ...size, ...(term ? { term } : {}) } : undefined },
    }));
    const name = created.metadata.name!;
    const waitMs = this.flags.timeoutMs ?? defaultWaitMs;
    const ready = await waitForAttach(this.#cluster!, created, (o) => o.status?.phase === 'WaitingForClient' || isFinal(o.status?.phase), waitMs,
      () => new UsageError(
        `no agent took ${name} within ${waitMs / 1000}s: is container ${this.fields.container} on a node running the agent?` +
        (this.flags.node ? '' : ' (--node names the node)'),
      ));
    if (ready.status?.phase !== 'WaitingForClient') throw failure(ready);
    const { endpoint, tlsFingerprint } = ready.status;
    if (!endpoint || !tlsFingerprint) throw new UsageError(`${name} is waiting but has no endpoint or fingerprint in its status`);
    const viaApiServer = (await path()) === 'apiserver';
    this.#relay = new Relay({
      route: () => (viaApiServer
        ? apiserverRoute(this.#cluster!, name, token.token)
        : directRoute(endpoint, tlsFingerprint, token.token, this.#io.env)),
      tty, io: this.#io, terminal: this.#terminal,
    });
    try {
      return await this.#relay.run();
    } catch (err) {
      if (err instanceof RelayError) throw new UsageError(err.message);
      if (err instanceof ApiServerRefusal) throw new ExitError(1, { stderr: `${err.message}\n` });
      throw err;
    }
  }
}
