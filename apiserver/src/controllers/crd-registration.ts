// kube-apiserver's CRD registration controller (pkg/controlplane/controller/crdregistration/
// crdregistration_controller.go): every served version of a CRD has a Local APIService
// (groupPriorityMinimum 1000, versionPriority 100, labelled automanaged "true") while some CRD
// serves that group version; it is removed when none does.
import type { ObjectOps } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { Change } from '../store/durable-store.js';
import { peekMeta } from '../objects.js';
import { crdSpec } from '../crd-resource-types.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { retryEverySecond } from './controller-queue.js';
import { APISERVICES_BUCKET } from '../aggregator/service-resolver.js';

const AUTOMANAGED = 'kube-aggregator.kubernetes.io/automanaged';

export class CrdRegistration {
  readonly queue: WorkQueue;

  constructor(private readonly ops: ObjectOps, private readonly registry: Registry, log: (m: string) => void) {
    this.queue = new WorkQueue((k) => this.#sync(k), retryEverySecond(log));
  }

  start(): void {
    for (const crd of this.ops.store.list(this.registry.crdType.bucket)) for (const v of crdSpec(crd).versions) this.queue.add(`${v.name}.${crdSpec(crd).group}`);
    for (const a of this.ops.store.list(APISERVICES_BUCKET)) if (peekMeta(a).labels?.[AUTOMANAGED] === 'true') this.queue.add(peekMeta(a).name!);
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      if (c.bucket !== this.registry.crdType.bucket) continue;
      for (const crd of [c.obj, c.prev]) if (crd) for (const v of crdSpec(crd).versions) this.queue.add(`${v.name}.${crdSpec(crd).group}`);
    }
  }

  /** name: version.group */
  async #sync(name: string): Promise<void> {
    const dot = name.indexOf('.');
    const version = name.slice(0, dot);
    const group = name.slice(dot + 1);
    const served = [...this.ops.store.list(this.registry.crdType.bucket)]
      .some((crd) => crdSpec(crd).group === group && crdSpec(crd).versions.some((v) => v.name === version && v.served));
    const t = this.registry.lookup('apiregistration.k8s.io', 'v1', 'apiservices')!;
    const existing = this.ops.get(t, undefined, name);
    if (served && !existing) {
      await this.ops.create(t, undefined, {
        apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
        metadata: { name, labels: { [AUTOMANAGED]: 'true' } },
        spec: { group, version, groupPriorityMinimum: 1000, versionPriority: 100 },
      }, { dryRun: false });
    } else if (!served && existing && peekMeta(existing).labels?.[AUTOMANAGED] === 'true') {
      await this.ops.delete(t, undefined, name, {});
    }
  }
}
