// The agent's Prometheus metrics (prom-client, one registry per agent so tests can run several).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { refusalReasons } from '../stream/connection-guard.js';

export class AgentMetrics {
  readonly registry = new Registry();
  readonly attachesStarted = new Counter({
    name: 'lxcattach_attaches_started_total',
    help: 'Attaches whose helper was started, by mode.',
    labelNames: ['mode'] as const,
    registers: [this.registry],
  });
  readonly attachesFinished = new Counter({
    name: 'lxcattach_attaches_finished_total',
    help: 'Attaches that reached Succeeded or Failed, by mode, result and reason.',
    labelNames: ['mode', 'result', 'reason'] as const,
    registers: [this.registry],
  });
  readonly activeSessions = new Gauge({
    name: 'lxcattach_active_sessions',
    help: 'Sessions waiting for a client or running on this node.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly sessionLimit = new Gauge({
    name: 'lxcattach_session_limit',
    help: 'The default policy\'s maxSessions: concurrent attaches this node admits (0 = unlimited).',
    registers: [this.registry],
  });
  readonly setupSeconds = new Histogram({
    name: 'lxcattach_attach_setup_seconds',
    help: 'From starting the helper to the process being attached and about to exec.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly sessionSeconds = new Histogram({
    name: 'lxcattach_session_duration_seconds',
    help: 'From starting the helper to the end of the session.',
    buckets: [0.01, 0.1, 1, 10, 60, 300, 1800, 7200],
    registers: [this.registry],
  });
  readonly relayedBytes = new Counter({
    name: 'lxcattach_relayed_bytes_total',
    help: 'Bytes relayed between clients and attached processes, by direction.',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly helperFailures = new Counter({
    name: 'lxcattach_helper_failures_total',
    help: 'Helper runs that did not get as far as running the command, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'lxcattach_reconcile_errors_total',
    help: 'Reconcile passes that failed and were retried.',
    registers: [this.registry],
  });
  readonly streamRefusals = new Counter({
    name: 'lxcattach_stream_refusals_total',
    help: 'Connections and stream requests the agent\'s port refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: 'lxcattach_watch_restarts_total',
    help: 'Informers restarted after their watch stopped with an error.',
    labelNames: ['informer'] as const,
    registers: [this.registry],
  });

  /** Series start at 0, so that rate() and increase() see their first increment. */
  constructor(informers: readonly string[] = []) {
    for (const informer of informers) this.watchRestarts.inc({ informer }, 0);
    for (const direction of ['stdin', 'stdout', 'stderr']) this.relayedBytes.inc({ direction }, 0);
    for (const state of ['waiting', 'running']) this.activeSessions.set({ state }, 0);
    this.reconcileErrors.inc(0);
    for (const reason of refusalReasons) this.streamRefusals.inc({ reason }, 0);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
