// Keeps the agent's port usable under abuse: caps connections in all and per source address, ends
// a connection that has not sent its request headers within the pre-upgrade timeout (TLS handshake
// included), and refuses a source that keeps presenting wrong tokens. Every refusal is counted
// (lxcattach_stream_refusals_total{reason}) and logged, sampled so a flood cannot flood the log.
import type { Socket } from 'node:net';
import type { StreamLimits } from './stream-limits.js';

export type RefusalReason =
  | 'TooManyConnections'
  | 'TooManyFromSource'
  | 'PreUpgradeTimeout'
  | 'RateLimited'
  | 'Unauthorized'
  | 'NotFound'
  | 'Conflict'
  | 'BadRequest'
  | 'Forbidden';

export const refusalReasons: readonly RefusalReason[] = [
  'TooManyConnections', 'TooManyFromSource', 'PreUpgradeTimeout', 'RateLimited', 'Unauthorized', 'NotFound', 'Conflict', 'BadRequest',
  'Forbidden',
];

const windowMs = 60_000;
/** At most one log line per reason in this interval; the next one says how many were not logged. */
const logIntervalMs = 10_000;

export interface GuardHooks {
  counted(reason: RefusalReason): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

/** A TLS socket and the TCP socket under it report the same peer: that pair names a connection. */
function connectionKey(socket: { remoteAddress?: string; remotePort?: number }): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? 0}`;
}

export class ConnectionGuard {
  readonly #limits: StreamLimits;
  readonly #hooks: GuardHooks;
  #open = 0;
  readonly #perSource = new Map<string, number>();
  /** connections that have not yet sent request headers, with their timers */
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #failures = new Map<string, { since: number; count: number }>();
  readonly #lastLog = new Map<RefusalReason, { at: number; suppressed: number }>();

  constructor(limits: StreamLimits, hooks: GuardHooks) {
    this.#limits = limits;
    this.#hooks = hooks;
  }

  /** On TCP accept, before TLS: false when the socket was refused (and destroyed). */
  accept(socket: Socket): boolean {
    const source = socket.remoteAddress ?? '?';
    const fromSource = this.#perSource.get(source) ?? 0;
    const refusal: RefusalReason | undefined = this.#open >= this.#limits.maxConnections
      ? 'TooManyConnections'
      : fromSource >= this.#limits.maxConnectionsPerSource ? 'TooManyFromSource' : undefined;
    if (refusal) {
      this.refused(refusal, source);
      socket.destroy();
      return false;
    }
    this.#open++;
    this.#perSource.set(source, fromSource + 1);
    const key = connectionKey(socket);
    this.#pending.set(key, setTimeout(() => {
      this.#pending.delete(key);
      this.refused('PreUpgradeTimeout', source);
      socket.destroy();
    }, this.#limits.preUpgradeTimeoutSeconds * 1000));
    socket.once('close', () => {
      this.#headersIn(key);
      this.#open--;
      const left = (this.#perSource.get(source) ?? 1) - 1;
      if (left > 0) this.#perSource.set(source, left);
      else this.#perSource.delete(source);
    });
    return true;
  }

  /** Request headers arrived (an HTTP request or an upgrade): the pre-upgrade timer stops. Idle
   *  keep-alive connections are then the HTTP server's keepAliveTimeout's business. */
  headersReceived(socket: { remoteAddress?: string; remotePort?: number }): void {
    this.#headersIn(connectionKey(socket));
  }

  #headersIn(key: string): void {
    const timer = this.#pending.get(key);
    if (timer) clearTimeout(timer);
    this.#pending.delete(key);
  }

  /** Whether `source` made too many failed attempts within the last minute. */
  rateLimited(source: string): boolean {
    const f = this.#failures.get(source);
    if (!f) return false;
    if (Date.now() - f.since >= windowMs) {
      this.#failures.delete(source);
      return false;
    }
    return f.count >= this.#limits.failedAttemptsPerMinute;
  }

  /** A stream request from `source` was refused for its target or token. */
  failedAttempt(source: string): void {
    const now = Date.now();
    const f = this.#failures.get(source);
    if (!f || now - f.since >= windowMs) {
      this.#prune(now);
      this.#failures.set(source, { since: now, count: 1 });
    } else {
      f.count++;
    }
  }

  /** Counts a refusal and logs it, at most once per reason per interval. */
  refused(reason: RefusalReason, source: string): void {
    this.#hooks.counted(reason);
    const now = Date.now();
    const last = this.#lastLog.get(reason);
    if (last && now - last.at < logIntervalMs) {
      last.suppressed++;
      return;
    }
    this.#lastLog.set(reason, { at: now, suppressed: 0 });
    this.#hooks.log('Refused a connection on the stream port', {
      reason, source, ...(last?.suppressed ? { notLoggedSinceLastLine: last.suppressed } : {}),
    });
  }

  #prune(now: number): void {
    for (const [source, f] of this.#failures) if (now - f.since >= windowMs) this.#failures.delete(source);
  }

  /** Stops the pending timers (the server is closing). */
  close(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }
}
