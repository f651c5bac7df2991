// The RBAC storage's escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,
// clusterrolebinding}/policybased/storage.go, pkg/registry/rbac/escalation_check.go and
// validation.ConfirmNoEscalation): writing a Role or ClusterRole needs `escalate` on it or every
// rule it grants; writing a binding needs `bind` on the role it names or every rule of that role.
// system:masters, and writes without a request user (the server's own controllers), may do both.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Obj } from '../objects.js';
import { peekMeta } from '../objects.js';
import { forbidden, notFound } from '../status.js';
import { SYSTEM_MASTERS, type UserInfo } from '../auth/user-info.js';
import type { PolicyRule } from './policy-rules.js';
import { RBAC_GROUP, rulesOf, type RbacAuthorizer } from './rbac-authorizer.js';

/** the user the current request runs as (kube's request context) */
export const requestUser = new AsyncLocalStorage<UserInfo>();

const has = (list: string[] | undefined, v: string) => (list ?? []).includes('*') || (list ?? []).includes(v);

/** policy_comparator.go BreakdownRule: one rule per group, resource (or URL), name and verb */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        for (const n of names) out.push({ apiGroups: [group], resources: [resource], resourceNames: [n], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourceCovers(owner: string[], requested: string): boolean {
  if (owner.includes('*') || owner.includes(requested)) return true;
  const slash = requested.indexOf('/');
  return slash >= 0 && owner.includes(`*${requested.slice(slash)}`);
}

/** policy_comparator.go ruleCovers for a broken-down rule */
function covers(owner: PolicyRule, sub: PolicyRule): boolean {
  if (!has(owner.verbs, sub.verbs[0]!)) return false;
  if (sub.nonResourceURLs) {
    const url = sub.nonResourceURLs[0]!;
    return (owner.nonResourceURLs ?? []).some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
  }
  if (!has(owner.apiGroups, sub.apiGroups![0]!) || !resourceCovers(owner.resources ?? [], sub.resources![0]!)) return false;
  const names = owner.resourceNames ?? [];
  return names.length === 0 || (sub.resourceNames !== undefined && names.includes(sub.resourceNames[0]!));
}

const goQuotedList = (l: string[]) => `[${l.map((x) => JSON.stringify(x)).join(' ')}]`;

/** rbacv1helpers.CompactString */
function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuotedList(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuotedList(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuotedList(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuotedList(r.resourceNames)}`);
  if (r.verbs.length) parts.push(`Verbs:${goQuotedList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** validation.CompactRules: simple rules differing only in verb are merged */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    if (r.resourceNames || r.nonResourceURLs) { out.push(r); continue; }
    const key = `${r.apiGroups![0]}\0${r.resources![0]}`;
    const existing = simple.get(key);
    if (existing) existing.verbs.push(...r.verbs);
    else { const c = { ...r, verbs: [...r.verbs] }; simple.set(key, c); out.push(c); }
  }
  return out;
}

export class EscalationCheck {
  constructor(private readonly authorizer: RbacAuthorizer, private readonly getRole: (kind: string, namespace: string, name: string) => Obj | undefined) {}

  #confirmNoEscalation(user: UserInfo, namespace: string, rules: PolicyRule[], resource: string, name: string): void {
    const owned = this.authorizer.rulesFor(user, namespace);
    const ownerRules = [...owned.resourceRules, ...owned.nonResourceRules];
    const missing = rules.flatMap(breakdown).filter((sub) => !ownerRules.some((o) => covers(o, sub)));
    if (missing.length === 0) return;
    const lines = [...new Set(compact(missing).map(compactString))].sort();
    let msg = `user ${JSON.stringify(user.username)} (groups=${goQuotedList(user.groups ?? [])}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
    if (owned.evaluationError) msg += `; resolution errors: [${owned.evaluationError}]`;
    throw forbidden({ group: RBAC_GROUP, resource }, name, msg);
  }

  /** runs before a Role, ClusterRole or binding is stored */
  admit(resource: string, obj: Obj): void {
    const user = requestUser.getStore();
    if (!user || (user.groups ?? []).includes(SYSTEM_MASTERS)) return;
    const m = peekMeta(obj);
    const namespace = m.namespace ?? '';
    const name = m.name ?? '';
    const attrs = { user, isResourceRequest: true, namespace, apiGroup: RBAC_GROUP, apiVersion: '', subresource: '', path: '' };
    if (resource === 'roles' || resource === 'clusterroles') {
      if (this.authorizer.authorize({ ...attrs, verb: 'escalate', resource, name }).allowed) return;
      this.#confirmNoEscalation(user, namespace, rulesOf(obj), resource, name);
      return;
    }
    if (resource !== 'rolebindings' && resource !== 'clusterrolebindings') return;
    const ref = (obj['roleRef'] ?? {}) as { kind?: string; name?: string };
    const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    if (this.authorizer.authorize({ ...attrs, verb: 'bind', resource: refResource, name: ref.name ?? '' }).allowed) return;
    const role = this.getRole(ref.kind ?? '', namespace, ref.name ?? '');
    if (!role) throw notFound({ group: RBAC_GROUP, resource: refResource }, ref.name ?? '');
    this.#confirmNoEscalation(user, namespace, rulesOf(role), resource, name);
  }
}
