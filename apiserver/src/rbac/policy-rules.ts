// Rule matching of the RBAC authorizer: plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows and
// pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches, ...).
import type { ReviewAttributes, ReviewRule } from '../builtins/index.js';

/** An RBAC rule (rbac/v1 PolicyRule): the shape access reviews report rules in, too. */
export type PolicyRule = ReviewRule;

/** authorizer.Attributes: what a request (or an access review) asks to do */
export type Attributes = ReviewAttributes;

const has = (list: string[] | undefined, value: string): boolean => (list ?? []).some((x) => x === '*' || x === value);

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource === '') continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (a.isResourceRequest) {
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return has(rule.verbs, a.verb) && has(rule.apiGroups, a.apiGroup)
      && resourceMatches(rule, combined, a.subresource) && resourceNameMatches(rule, a.name);
  }
  return has(rule.verbs, a.verb) && nonResourceUrlMatches(rule, a.path);
}

/** a PolicyRule as the stored object has it (absent lists stay absent) */
export function toPolicyRule(value: unknown): PolicyRule {
  const r = (value ?? {}) as Record<string, unknown>;
  const list = (k: string): string[] | undefined => (Array.isArray(r[k]) ? (r[k] as unknown[]).map(String) : undefined);
  const out: PolicyRule = { verbs: list('verbs') ?? [] };
  for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
    const v = list(k);
    if (v) out[k] = v;
  }
  return out;
}
