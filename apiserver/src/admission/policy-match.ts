// Whether a policy's matchConstraints or a binding's matchResources select a request
// (staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go Matches,
// plugin/webhook/predicates/namespace and object matchers, plugin/webhook/predicates/rules).
import { asLabelSelector } from '../controllers/clusterrole-aggregation.js';
import { matchesLabels } from '../selectors.js';
import type { AdmissionAttributes } from './admission-attributes.js';
import type { MatchResources, MetaLabelSelector, NamedRule } from './policy-types.js';

export type { MatchResources, NamedRule } from './policy-types.js';

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === '*' || x === v);

/** rules.Matcher.resource: "*" is every resource but no subresource, "*\/*" everything, "r/*", "*\/s" */
function resourceMatches(resources: string[] | undefined, resource: string, subresource: string): boolean {
  const want = subresource ? `${resource}/${subresource}` : resource;
  return (resources ?? []).some((r) => {
    if (r === '*/*' || r === want) return true;
    if (r === '*') return subresource === '';
    const [res, sub] = r.split('/', 2);
    if (sub === undefined) return false;
    return (res === '*' || res === resource) && (sub === '*' || sub === subresource);
  });
}

function scopeMatches(scope: string | undefined, a: AdmissionAttributes): boolean {
  if (!scope || scope === '*') return true;
  const namespaced = a.namespace !== '' && !(a.group === '' && a.resource === 'namespaces');
  return scope === 'Namespaced' ? namespaced : !namespaced;
}

export function ruleMatches(r: NamedRule, a: AdmissionAttributes): boolean {
  if (!has(r.operations, a.operation) || !has(r.apiGroups, a.group) || !has(r.apiVersions, a.version)) return false;
  if (!resourceMatches(r.resources, a.resource, a.subresource) || !scopeMatches(r.scope, a)) return false;
  return !r.resourceNames?.length || r.resourceNames.includes(a.name);
}

function labelsOf(o: unknown): Record<string, string> {
  return ((o as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels) ?? {};
}

function selectorMatches(s: MetaLabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!s || (!s.matchLabels && !s.matchExpressions)) return true;
  const sel = asLabelSelector(s);
  return sel !== undefined && matchesLabels(sel, labels);
}

/** MatchNamespaceSelector: a cluster-scoped request other than for a Namespace is never exempted */
function namespaceMatches(m: MatchResources, a: AdmissionAttributes): boolean {
  if (a.group === '' && a.resource === 'namespaces') return selectorMatches(m.namespaceSelector, labelsOf(a.object ?? a.oldObject));
  if (a.namespace === '') return true;
  return selectorMatches(m.namespaceSelector, labelsOf(a.namespaceObject));
}

/** MatchObjectSelector: the new or the old object's labels */
function objectMatches(m: MatchResources, a: AdmissionAttributes): boolean {
  const s = m.objectSelector;
  if (!s || (!s.matchLabels && !s.matchExpressions)) return true;
  return [a.object, a.oldObject].some((o) => o !== undefined && selectorMatches(s, labelsOf(o)));
}

/** Matches: selectors, then exclusions, then the rules (none in a binding: everything the policy matched) */
export function matches(m: MatchResources | undefined, a: AdmissionAttributes): boolean {
  if (!m) return true;
  if (!namespaceMatches(m, a) || !objectMatches(m, a)) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, a))) return false;
  return !m.resourceRules?.length || m.resourceRules.some((r) => ruleMatches(r, a));
}
