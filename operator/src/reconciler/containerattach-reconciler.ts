// Reconciles one ContainerAttach key at a time (level-based): read the object from the informer
// cache, look at the node (container, session), act idempotently, and write the status only when
// it differs. Sessions tell it when they change by enqueueing their key.
//
//   unclaimed ──claim (label, resourceVersion precondition)──> claimed by this node
//   claimed, no phase ──policy, container──> Failed | WaitingForClient (Interactive)
//                                                  | Running, written BEFORE the helper starts (Batch)
//   WaitingForClient ──client connects: Running written, then the helper starts──> Running
//                    (without a session here: taken back only if this agent's seal verifies and
//                     every admission check passes again, else Failed/NotAdmittedHere|PolicyDenied...)
//   Running ──helper exits──> Succeeded | Failed        (Running without a session here: AgentRestarted)
//   Succeeded | Failed ──ttlSecondsAfterFinished──> deleted
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { agentAttachPath } from '../../../common/src/containerattach/paths.js';
import { nodeLabel, type ContainerAttach, type ContainerAttachStatus } from '../../../common/src/containerattach/types.js';
import { checkPolicy, effectiveDeadlineSeconds } from '../policy/check-policy.js';
import { policyFor, type AgentConfig } from '../policy/agent-config.js';
import { matchesAnyGlob } from '../policy/policy-patterns.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import { AttachSession, type SessionResult } from '../attach/session.js';
import type { SessionRegistry } from '../attach/session-registry.js';
import type { HelperEvent } from '../attach/helper-process.js';
import { isConflict, isNotFound, KubeApiError } from '../../../common/src/kube/client.js';
import { cappedBackoffMs } from '../../../common/src/queue/backoff.js';
import type { ContainerAttachApi } from '../api-calls/containerattach-writes.js';
import type { EventRecorder } from '../api-calls/event-recorder.js';
import {
  finishedStatus, runningStatus, sessionStatus, statusChanged, waitingStatus, type AgentIdentity,
} from './attach-status.js';
import type { ReconcileResult } from '../../../common/src/queue/work-queue.js';
import type { AdmissionSeal } from './admission-seal.js';

interface ReconcilerDeps {
  identity: AgentIdentity;
  config: AgentConfig;
  defaultLxcPath: string;
  helperPath: string;
  tailBytes: number;
  killGraceMs: number;
  /** the writes it makes (the class's public face, so tests can hand in their own) */
  api: Pick<ContainerAttachApi, 'claim' | 'patchStatus' | 'delete'>;
  events: Pick<EventRecorder, 'record'>;
  sessions: SessionRegistry;
  metrics: AgentMetrics;
  seal: AdmissionSeal;
  lookup(namespace: string, name: string): ContainerAttach | undefined;
  enqueue(key: string): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

const isFinal = (s: ContainerAttachStatus | undefined): boolean => s?.phase === 'Succeeded' || s?.phase === 'Failed';

const startRecordRetryMs = 20_000;

/** The API server is unreachable or overloaded, not refusing. */
function isTransient(err: unknown): boolean {
  return err instanceof KubeApiError && (err.statusCode === 0 || err.statusCode === 429 || err.statusCode >= 500);
}

export class ContainerAttachReconciler {
  readonly #d: ReconcilerDeps;
  /** The last status this agent wrote per uid: the informer cache may not show it yet, and a stale
   *  view must not cause a second write, Event or metric. */
  readonly #written = new Map<string, ContainerAttachStatus>();

  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = splitKey(key);
    const obj = this.#d.lookup(namespace, name);
    const session = this.#d.sessions.find(namespace, name);
    if (session && session.key.uid !== obj?.metadata.uid) {
      // The object is gone (or replaced by a new one of the same name): its session ends with it.
      session.end('ObjectDeleted', 'the ContainerAttach was deleted');
      if (session.state === 'finished') this.#forget(session);
    }
    if (!obj) return;
    const label = obj.metadata.labels?.[nodeLabel];
    if (label === undefined) return this.#maybeClaim(obj);
    if (label !== this.#d.identity.node) return;

    const own = this.#d.sessions.get(obj.metadata.uid ?? '');
    if (isFinal(obj.status)) {
      if (own) this.#forget(own);
      this.#written.delete(obj.metadata.uid ?? '');
      return this.#expire(obj);
    }
    if (own) return this.#sync(obj, own);
    switch (obj.status?.phase) {
      case 'Running':
        return this.#finishWithoutSession(obj, {
          succeeded: false,
          reason: 'AgentRestarted',
          message: 'the agent restarted while the attach was running; it is not run again',
        }, true);
      case 'WaitingForClient':
        return this.#readopt(obj);
      default:
        return this.#admit(obj);
    }
  }

  /** Ends every session (SIGHUP to its processes) and writes their final statuses. */
  async shutdown(): Promise<void> {
    const live = this.#d.sessions.all().filter((s) => s.state !== 'finished');
    for (const s of live) s.end('AgentShutdown', 'the agent was stopped; the session was hung up');
    await Promise.all(live.map((s) => s.finished()));
    for (const s of live) {
      const obj = this.#d.lookup(s.key.namespace, s.key.name);
      if (obj?.metadata.uid === s.key.uid) {
        await this.#sync(obj, s).catch((err: Error) => this.#d.log('Failed to write the final status', { ...s.key, err: err.message }));
      }
    }
  }

  #containerExists(obj: ContainerAttach): boolean {
    // NB: the CRD refuses these names; an older CRD may not, and they would name the lxc path itself.
    if (obj.spec.container === '.' || obj.spec.container === '..') return false;
    const lxcPath = obj.spec.lxcPath ?? this.#d.defaultLxcPath;
    return existsSync(path.join(lxcPath, obj.spec.container, 'config'));
  }

  async #maybeClaim(obj: ContainerAttach): Promise<void> {
    const { node } = this.#d.identity;
    const wanted = obj.spec.nodeName;
    if (wanted && wanted !== node) return;
    if (!wanted && !this.#containerExists(obj)) return;
    // A node the namespace may not use leaves an object without nodeName to the nodes it may.
    const policy = policyFor(this.#d.config, obj.metadata.namespace ?? 'default');
    if (!wanted && !matchesAnyGlob(policy.allowedNodes, node)) return;
    try {
      await this.#d.api.claim(obj, node);
    } catch (err) {
      // Another agent won the race or the object changed: the informer brings the new state.
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
    void this.#d.events.record(obj, 'Normal', 'Claimed', `claimed by the agent on node ${node}`);
  }

  /** Every check an object must pass before a helper may run for it, on first admission and when
   *  a restarted agent takes an attach back; a refusal is the result the object ends with. */
  #refusal(obj: ContainerAttach): SessionResult | undefined {
    const { spec } = obj;
    const namespace = obj.metadata.namespace ?? 'default';
    const { node } = this.#d.identity;
    if (spec.nodeName && spec.nodeName !== node) {
      return { succeeded: false, reason: 'NodeMismatch', message: `labelled for node ${node} but spec.nodeName is ${spec.nodeName}` };
    }
    const refusal = checkPolicy(spec, policyFor(this.#d.config, namespace), this.#d.sessions.counts(namespace), node);
    if (refusal) return { succeeded: false, reason: 'PolicyDenied', message: `policy rule ${refusal.rule}: ${refusal.message}` };
    if (!this.#containerExists(obj)) {
      return {
        succeeded: false, reason: 'ContainerNotFound',
        message: `container ${spec.container} does not exist in ${spec.lxcPath ?? this.#d.defaultLxcPath} on node ${node}`,
      };
    }
    return undefined;
  }

  /** A session for an admitted object, registered at once: the checks and the slot it takes happen
   *  with no await in between, so parallel admissions cannot all pass the session limits. */
  #newSession(obj: ContainerAttach, connectTimeoutMs: number | undefined): AttachSession {
    const { namespace = 'default', name = '', uid = '' } = obj.metadata;
    const policy = policyFor(this.#d.config, namespace);
    const deadline = effectiveDeadlineSeconds(obj.spec, policy);
    const session: AttachSession = new AttachSession({ namespace, name, uid }, obj.spec, {
      helperPath: this.#d.helperPath,
      connectTimeoutMs,
      deadlineMs: deadline === undefined ? undefined : deadline * 1000,
      killGraceMs: this.#d.killGraceMs,
      logDirectories: policy,
      tailBytes: this.#d.tailBytes,
    }, {
      onChange: () => this.#d.enqueue(objectKey(namespace, name)),
      onHelperEvent: (e) => this.#observeHelper(e, session),
    });
    this.#d.sessions.add(session);
    return session;
  }

  /** Writes a status for a session that was just registered; a failed write gives its slot back. */
  async #writeForNewSession(obj: ContainerAttach, session: AttachSession, wanted: ContainerAttachStatus): Promise<void> {
    try {
      await this.#write(obj, wanted);
    } catch (err) {
      session.end('StatusWriteFailed', 'the admission could not be recorded');
      this.#d.sessions.delete(session.key.uid);
      throw err;
    }
  }

  async #admit(obj: ContainerAttach): Promise<void> {
    const refusal = this.#refusal(obj);
    if (refusal) return this.#finishWithoutSession(obj, refusal, false);
    const { spec } = obj;
    const policy = policyFor(this.#d.config, obj.metadata.namespace ?? 'default');
    const interactive = spec.mode === 'Interactive';
    const session = this.#newSession(obj, interactive ? (spec.connectTimeoutSeconds ?? policy.defaultConnectTimeoutSeconds) * 1000 : undefined);
    const { namespace, name } = session.key;
    if (interactive) {
      const waiting = waitingStatus(obj, this.#d.identity, agentAttachPath(namespace, name));
      return this.#writeForNewSession(obj, session, { ...waiting, admissionSeal: this.#d.seal.seal(obj) });
    }
    // At most once: the start is recorded before the helper runs, so a restarted agent that finds
    // Running without a session marks it AgentRestarted instead of running it again.
    await this.#writeForNewSession(obj, session, runningStatus(obj, this.#d.identity, new Date()));
    session.start({ stdout: () => undefined, stderr: () => undefined });
    this.#d.metrics.attachesStarted.inc({ mode: 'Batch' });
  }

  /** A restarted agent takes back an interactive attach nobody has connected to yet, if it admitted
   *  it itself (the seal) and it still passes every admission check. */
  async #readopt(obj: ContainerAttach): Promise<ReconcileResult | void> {
    if (obj.spec.mode !== 'Interactive' || !this.#d.seal.verify(obj)) {
      return this.#finishWithoutSession(obj, {
        succeeded: false, reason: 'NotAdmittedHere',
        message: `the status says WaitingForClient, but the agent on node ${this.#d.identity.node} did not admit this attach ` +
          '(or its data dir, whose key seals admissions, was replaced); it is not run',
      }, false);
    }
    const refusal = this.#refusal(obj);
    if (refusal) return this.#finishWithoutSession(obj, refusal, false);
    const policy = policyFor(this.#d.config, obj.metadata.namespace ?? 'default');
    const since = Date.parse(obj.status?.conditions?.find((c) => c.type === 'Admitted')?.lastTransitionTime ?? '') || Date.now();
    const timeoutMs = (obj.spec.connectTimeoutSeconds ?? policy.defaultConnectTimeoutSeconds) * 1000;
    const left = since + timeoutMs - Date.now();
    if (left <= 0) {
      return this.#finishWithoutSession(obj, {
        succeeded: false, reason: 'ClientConnectTimeout', message: `no client connected within ${timeoutMs / 1000}s`,
      }, false);
    }
    const session = this.#newSession(obj, left);
    return this.#sync(obj, session);
  }

  /** Writes the status the session implies; once it is final, the informer's next view of the
   *  object (with the final phase) lets the session go. */
  async #sync(obj: ContainerAttach, session: AttachSession): Promise<void> {
    const wanted = sessionStatus(obj, this.#d.identity, session, agentAttachPath(session.key.namespace, session.key.name));
    this.#updateGauges();
    const phaseChanged = await this.#write(obj, wanted);
    if (session.state === 'finished' && phaseChanged) {
      this.#countFinished(obj, session.result!);
      if (session.startedAt !== undefined) {
        this.#d.metrics.sessionSeconds.observe((Date.now() - session.startedAt) / 1000);
      }
    }
  }

  /** The stream server's hook: a client presented the right token. The start is recorded as
   *  Running before the helper runs, which also makes the token single use across restarts. */
  async markStarted(session: AttachSession): Promise<void> {
    const startedAt = new Date();
    // An API server restart is over in seconds: a client that connects meanwhile waits for the
    // start to be recorded rather than losing its attach.
    const giveUpAt = Date.now() + startRecordRetryMs;
    for (let attempt = 1; ; attempt++) {
      const obj = this.#d.lookup(session.key.namespace, session.key.name);
      if (obj?.metadata.uid !== session.key.uid) throw new Error('the ContainerAttach is gone');
      try {
        await this.#write(obj, runningStatus(obj, this.#d.identity, startedAt));
        break;
      } catch (err) {
        if (!isTransient(err) || Date.now() >= giveUpAt) throw err;
        await new Promise((r) => setTimeout(r, cappedBackoffMs(200, 2000, attempt)));
      }
    }
    this.#d.metrics.attachesStarted.inc({ mode: 'Interactive' });
  }

  async #finishWithoutSession(obj: ContainerAttach, result: SessionResult, ran: boolean): Promise<void> {
    if (await this.#write(obj, finishedStatus(obj, this.#d.identity, result, ran))) this.#countFinished(obj, result);
  }

  #countFinished(obj: ContainerAttach, result: SessionResult): void {
    this.#d.metrics.attachesFinished.inc({
      mode: obj.spec.mode ?? 'Batch',
      result: result.succeeded ? 'succeeded' : 'failed',
      reason: result.reason,
    });
  }

  /** Status subresource, merge patch, only when something changed; an Event per phase change.
   *  Returns whether the phase changed. */
  async #write(obj: ContainerAttach, wanted: ContainerAttachStatus): Promise<boolean> {
    const uid = obj.metadata.uid ?? '';
    const known = this.#written.get(uid);
    if (!statusChanged(obj, wanted)) return false;
    if (known && isDeepStrictEqual(comparable(known), comparable(wanted))) return false;
    const { namespace = 'default', name = '' } = obj.metadata;
    await this.#d.api.patchStatus(namespace, name, wanted);
    this.#written.set(uid, wanted);
    const before = known?.phase ?? obj.status?.phase;
    if (before === wanted.phase) return false;
    const events = this.#d.events;
    switch (wanted.phase) {
      case 'WaitingForClient':
        void events.record(obj, 'Normal', 'WaitingForClient', `waiting for a client at ${wanted.endpoint}`);
        break;
      case 'Running':
        void events.record(obj, 'Normal', 'Started', `started ${describeCommand(obj)}`);
        break;
      case 'Succeeded':
        void events.record(obj, 'Normal', 'Succeeded', wanted.message ?? 'succeeded');
        break;
      case 'Failed':
        void events.record(obj, 'Warning', wanted.reason ?? 'Failed', wanted.message ?? 'failed');
        break;
    }
    return true;
  }

  async #expire(obj: ContainerAttach): Promise<ReconcileResult | void> {
    const ttl = obj.spec.ttlSecondsAfterFinished;
    if (ttl === undefined) return;
    const done = Date.parse(obj.status?.completionTime ?? '');
    const due = (Number.isNaN(done) ? Date.now() : done) + ttl * 1000;
    if (Date.now() < due) return { requeueAfterMs: due - Date.now() };
    const { namespace = 'default', name = '', uid = '' } = obj.metadata;
    try {
      await this.#d.api.delete(namespace, name, uid);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  #forget(session: AttachSession): void {
    this.#d.sessions.delete(session.key.uid);
    this.#written.delete(session.key.uid);
    this.#updateGauges();
  }

  #updateGauges(): void {
    let waiting = 0;
    let running = 0;
    for (const s of this.#d.sessions.all()) {
      if (s.state === 'waiting') waiting++;
      if (s.state === 'running') running++;
    }
    this.#d.metrics.activeSessions.set({ state: 'waiting' }, waiting);
    this.#d.metrics.activeSessions.set({ state: 'running' }, running);
  }

  #observeHelper(e: HelperEvent, session: AttachSession): void {
    if (e.event === 'attached') this.#d.metrics.setupSeconds.observe((Date.now() - (session.startedAt ?? Date.now())) / 1000);
    if (e.event === 'attach-failed') this.#d.metrics.helperFailures.inc({ reason: e.reason });
  }
}

/** A status without its timestamps, which differ between two computations of the same state. */
function comparable(status: ContainerAttachStatus): unknown {
  return {
    ...status,
    completionTime: undefined,
    conditions: status.conditions?.map((c) => ({ ...c, lastTransitionTime: undefined })),
  };
}

function describeCommand(obj: ContainerAttach): string {
  const cmd = obj.spec.command?.length ? obj.spec.command.join(' ') : 'the shell';
  return `${cmd.length > 200 ? cmd.slice(0, 200) + '…' : cmd} in container ${obj.spec.container}`;
}
