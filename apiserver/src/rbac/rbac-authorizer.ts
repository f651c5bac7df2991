// The authorizer chain of a kube-apiserver started with --authorization-mode=RBAC: the
// system:masters short cut (authorizerfactory.NewPrivilegedGroups), then the RBAC authorizer
// (plugin/pkg/auth/authorizer/rbac/rbac.go) walking bindings as pkg/registry/rbac/validation/rule.go
// VisitRulesFor does: ClusterRoleBindings first, then the RoleBindings of the request's namespace.
import type { Obj } from '../objects.js';
import { objectKey, peekMeta } from '../objects.js';
import type { DurableStore } from '../store/durable-store.js';
import { SYSTEM_MASTERS, serviceAccountUsername, type UserInfo } from '../auth/user-info.js';
import { ruleAllows, toPolicyRule, type Attributes, type PolicyRule } from './policy-rules.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const BUCKET = {
  roles: `${RBAC_GROUP}/roles`,
  roleBindings: `${RBAC_GROUP}/rolebindings`,
  clusterRoles: `${RBAC_GROUP}/clusterroles`,
  clusterRoleBindings: `${RBAC_GROUP}/clusterrolebindings`,
};

export interface Decision {
  allowed: boolean;
  reason: string;
}

export interface RulesForResult {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  evaluationError: string;
}

interface Subject { kind: string; name: string; namespace?: string }
interface RoleRef { kind: string; name: string }

/** utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated in brackets */
function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

function subjectsOf(binding: Obj): Subject[] {
  return Array.isArray(binding['subjects']) ? (binding['subjects'] as Subject[]) : [];
}

/** rule.go appliesToUser */
function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User': return user.username === s.name;
    case 'Group': return (user.groups ?? []).includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns !== '' && serviceAccountUsername(ns, s.name) === user.username;
    }
    default: return false;
  }
}

/** rule.go describeSubject */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

type Visitor = (source: string | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

export class RbacAuthorizer {
  constructor(private readonly store: DurableStore) {}

  #roleRules(ref: RoleRef, bindingNamespace: string): PolicyRule[] | string {
    if (ref.kind === 'Role') {
      const role = this.store.get(BUCKET.roles, objectKey(bindingNamespace, ref.name));
      if (!role) return `role.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`;
      return rulesOf(role);
    }
    if (ref.kind === 'ClusterRole') {
      const role = this.store.get(BUCKET.clusterRoles, objectKey(undefined, ref.name));
      if (!role) return `clusterrole.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`;
      return rulesOf(role);
    }
    return `unsupported role reference kind: ${JSON.stringify(ref.kind)}`;
  }

  /** rule.go VisitRulesFor; the visitor returns false to stop */
  #visitRulesFor(user: UserInfo, namespace: string, visit: Visitor): void {
    for (const b of this.store.list(BUCKET.clusterRoleBindings)) {
      const subject = subjectsOf(b).find((s) => appliesTo(user, s, ''));
      if (!subject) continue;
      const ref = b['roleRef'] as RoleRef;
      const rules = this.#roleRules(ref, '');
      if (typeof rules === 'string') { if (!visit(undefined, undefined, rules)) return; continue; }
      const source = `ClusterRoleBinding ${JSON.stringify(peekMeta(b).name)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, '')}`;
      for (const r of rules) if (!visit(source, r, undefined)) return;
    }
    if (namespace === '') return;
    for (const b of this.store.list(BUCKET.roleBindings)) {
      const m = peekMeta(b);
      if (m.namespace !== namespace) continue;
      const subject = subjectsOf(b).find((s) => appliesTo(user, s, namespace));
      if (!subject) continue;
      const ref = b['roleRef'] as RoleRef;
      const rules = this.#roleRules(ref, namespace);
      if (typeof rules === 'string') { if (!visit(undefined, undefined, rules)) return; continue; }
      const source = `RoleBinding ${JSON.stringify(`${m.name}/${namespace}`)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, namespace)}`;
      for (const r of rules) if (!visit(source, r, undefined)) return;
    }
  }

  authorize(a: Attributes): Decision {
    if ((a.user.groups ?? []).includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    const errors: string[] = [];
    let allowedBy: string | undefined;
    this.#visitRulesFor(a.user, a.namespace, (source, rule, error) => {
      if (error) errors.push(error);
      if (rule && ruleAllows(a, rule)) { allowedBy = source; return false; }
      return true;
    });
    if (allowedBy !== undefined) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '' };
  }

  /** the union of the privileged-group and RBAC rule resolvers (RulesFor) */
  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const resourceRules: PolicyRule[] = [];
    const nonResourceRules: PolicyRule[] = [];
    if ((user.groups ?? []).includes(SYSTEM_MASTERS)) {
      resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
      nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
    }
    const errors: string[] = [];
    this.#visitRulesFor(user, namespace, (_source, rule, error) => {
      if (error) errors.push(error);
      if (rule) {
        if ((rule.resources ?? []).length > 0) {
          resourceRules.push({ verbs: rule.verbs, apiGroups: rule.apiGroups, resources: rule.resources, resourceNames: rule.resourceNames });
        }
        if ((rule.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
      }
      return true;
    });
    return { resourceRules, nonResourceRules, evaluationError: errors.length > 0 ? aggregate(errors) : '' };
  }
}

export function rulesOf(role: Obj): PolicyRule[] {
  return Array.isArray(role['rules']) ? (role['rules'] as unknown[]).map(toPolicyRule) : [];
}
