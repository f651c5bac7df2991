// The API server store's promise under kill -9: every write it acknowledged is there after the
// restart, and every record it serves is whole. A writer bumps a counter in a few ConfigMaps
// (nobody else touches them); after each restart and at the end, each counter must be at least
// the last acknowledged value and at most the last one sent, and every object of the lists the
// soak reads must carry the fields a stored object always has.
import type { KubeClient } from '../../common/src/kube/client.js';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';

const namespace = 'default';
const path = (name?: string) => `/api/v1/namespaces/${namespace}/configmaps${name ? `/${name}` : ''}`;

interface Counter {
  acked: number;
  sent: number;
}

interface ListedObject {
  metadata?: { name?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
}

export class StoreDurability {
  readonly #counters = new Map<string, Counter>();
  acknowledged = 0;
  checks = 0;
  readonly violations: string[] = [];
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(private readonly client: () => KubeClient, private readonly runId: string, private readonly size = 8) {}

  async start(): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      const name = `soak-${this.runId}-durable-${i}`;
      await this.client().request('POST', path(), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { seq: '0' } } });
      this.#counters.set(name, { acked: 0, sent: 0 });
    }
    this.#loop = this.#write();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }

  async #write(): Promise<void> {
    const names = [...this.#counters.keys()];
    for (let n = 0; !this.#stopped; n++) {
      const name = names[n % names.length]!;
      const c = this.#counters.get(name)!;
      const seq = ++c.sent;
      try {
        await this.client().request('PATCH', path(name), { body: { data: { seq: String(seq) } }, contentType: 'application/merge-patch+json', timeoutMs: 10_000 });
        c.acked = Math.max(c.acked, seq);
        this.acknowledged++;
      } catch {
        // NB: unacknowledged; after a restart the counter may hold it or the one before.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Reads every counter and the lists back; call when the API server answers again. */
  async check(when: string): Promise<void> {
    this.checks++;
    // The acknowledged bounds are read before the list, the sent ones after: the writer keeps going.
    const ackedBefore = new Map([...this.#counters].map(([name, c]) => [name, c.acked]));
    const list = await this.client().request<{ items: (ListedObject & { data?: { seq?: string } })[] }>('GET', path());
    this.#wellFormed(list.items, `configmaps ${when}`);
    const found = new Map(list.items.map((o) => [o.metadata?.name ?? '', Number(o.data?.seq)]));
    for (const [name, c] of this.#counters) {
      const acked = ackedBefore.get(name)!;
      const seq = found.get(name);
      if (seq === undefined) this.violations.push(`store: ${name} missing ${when} (acknowledged seq ${acked})`);
      else if (seq < acked) this.violations.push(`store: ${name} seq ${seq} ${when}, but seq ${acked} was acknowledged`);
      else if (seq > c.sent) this.violations.push(`store: ${name} seq ${seq} ${when}, never sent (last sent ${c.sent})`);
    }
    const attaches = await this.client().request<{ items: ListedObject[] }>('GET', containerAttachPath(namespace));
    this.#wellFormed(attaches.items, `containerattaches ${when}`);
  }

  #wellFormed(items: ListedObject[], where: string): void {
    for (const o of items) {
      const m = o.metadata;
      if (!m?.name || !m.uid || !/^\d+$/.test(m.resourceVersion ?? '') || Number.isNaN(Date.parse(m.creationTimestamp ?? ''))) {
        this.violations.push(`store: a corrupt record served in ${where}: ${JSON.stringify(o).slice(0, 200)}`);
      }
    }
  }
}
