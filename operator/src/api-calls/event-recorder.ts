// Kubernetes Events about ContainerAttach objects (core/v1), so `kubectl describe` and dashboards
// show each transition and refusal. Recording never fails the caller: a lost Event is logged.
import { randomBytes } from 'node:crypto';
import type { ContainerAttach } from '../../../common/src/containerattach/types.js';
import { rfc3339 } from '../../../common/src/kube/time.js';
import type { KubeClient } from '../../../common/src/kube/client.js';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  readonly #client: KubeClient;
  readonly #node: string;
  readonly #log: (message: string, fields: Record<string, unknown>) => void;

  constructor(client: KubeClient, node: string, log: (message: string, fields: Record<string, unknown>) => void) {
    this.#client = client;
    this.#node = node;
    this.#log = log;
  }

  async record(obj: ContainerAttach, type: EventType, reason: string, message: string): Promise<void> {
    const { namespace = 'default', name = '', uid, resourceVersion } = obj.metadata;
    const now = rfc3339(new Date());
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${Date.now().toString(16)}${randomBytes(2).toString('hex')}`, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name, namespace, uid, resourceVersion },
      reason,
      message,
      type,
      source: { component: 'lxc-attach-agent', host: this.#node },
      reportingComponent: 'lxcattach.io/agent',
      reportingInstance: this.#node,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.#client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { body: event });
    } catch (err) {
      this.#log('Failed to record Event', { namespace, name, reason, err: (err as Error).message });
    }
  }
}
