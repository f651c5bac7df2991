// kube-controller-manager's ClusterRole aggregation controller
// (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go): a ClusterRole with
// an aggregationRule gets the rules of every other ClusterRole its selectors match, in name order,
// each rule once; any ClusterRole change re-queues every aggregated role.
import type { ObjectOps } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { Change } from '../store/durable-store.js';
import type { Obj } from '../objects.js';
import { deepEqual, peekMeta } from '../objects.js';
import { matchesLabels, type LabelSelector, type Op } from '../selectors.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { retryEverySecond } from './controller-queue.js';

const BUCKET = 'rbac.authorization.k8s.io/clusterroles';

interface MetaLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

const OPERATORS: Record<string, Op> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** metav1.LabelSelectorAsSelector; undefined for an operator it refuses (matches nothing) */
export function asLabelSelector(s: MetaLabelSelector): LabelSelector | undefined {
  const out: LabelSelector = Object.entries(s.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=' as Op, values: [v] }));
  for (const e of s.matchExpressions ?? []) {
    const op = OPERATORS[e.operator];
    if (!op) return undefined;
    out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}

function selectorsOf(role: Obj): MetaLabelSelector[] | undefined {
  const rule = role['aggregationRule'] as { clusterRoleSelectors?: MetaLabelSelector[] } | undefined;
  return rule ? rule.clusterRoleSelectors ?? [] : undefined;
}

export class ClusterRoleAggregation {
  readonly queue: WorkQueue;

  constructor(private readonly ops: ObjectOps, private readonly registry: Registry, log: (m: string) => void) {
    this.queue = new WorkQueue((k) => this.#sync(k), retryEverySecond(log));
  }

  start(): void {
    this.#enqueueAll();
  }

  onCommit(changes: Change[]): void {
    if (changes.some((c) => c.bucket === BUCKET)) this.#enqueueAll();
  }

  #enqueueAll(): void {
    for (const r of this.ops.store.list(BUCKET)) if (selectorsOf(r)) this.queue.add(peekMeta(r).name!);
  }

  async #sync(name: string): Promise<void> {
    const role = this.ops.store.get(BUCKET, name);
    const selectors = role && selectorsOf(role);
    if (!role || !selectors) return;
    const others = [...this.ops.store.list(BUCKET)].filter((r) => peekMeta(r).name !== name)
      .sort((a, b) => (peekMeta(a).name! < peekMeta(b).name! ? -1 : 1));
    const rules: unknown[] = [];
    for (const s of selectors) {
      const sel = asLabelSelector(s);
      if (!sel) continue;
      for (const r of others) {
        if (!matchesLabels(sel, peekMeta(r).labels)) continue;
        for (const rule of Array.isArray(r['rules']) ? r['rules'] : []) if (!rules.some((x) => deepEqual(x, rule))) rules.push(rule);
      }
    }
    if (deepEqual(role['rules'] ?? [], rules)) return;
    const t = this.registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterroles')!;
    await this.ops.systemUpdate(t, { ...structuredClone(role), rules });
  }
}
