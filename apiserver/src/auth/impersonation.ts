// Impersonate-User / -Group / -Uid / -Extra-* headers, each authorized with verb "impersonate"
// before the request runs as the impersonated user
// (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go WithImpersonation).
import type { IncomingMessage } from 'node:http';
import type { Attributes } from '../rbac/policy-rules.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, splitServiceAccountUsername, type UserInfo } from './user-info.js';

const USER = 'impersonate-user';
const UID = 'impersonate-uid';
const GROUP = 'impersonate-group';
const EXTRA_PREFIX = 'impersonate-extra-';

export class ImpersonationError extends Error {
  readonly code = 'APISERVER_ERR_IMPERSONATION';
}

/** the "acting as" check that failed: the 403 names these attributes */
export interface ImpersonationDenied { attributes: Attributes; reason: string }

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function values(req: IncomingMessage, name: string): string[] {
  return req.headersDistinct[name] ?? [];
}

/** true when the request carries any impersonation header */
export function wantsImpersonation(req: IncomingMessage): boolean {
  return Object.keys(req.headers).some((h) => h === USER || h === UID || h === GROUP || h.startsWith(EXTRA_PREFIX));
}

/**
 * Returns the impersonated user, or the denied check. The impersonation headers are removed from
 * the request (nothing downstream, a proxied backend included, sees them).
 */
export function impersonate(
  req: IncomingMessage, requester: UserInfo, authorize: (a: Attributes) => { allowed: boolean; reason: string },
): UserInfo | ImpersonationDenied {
  const username = values(req, USER)[0] ?? '';
  const groups = values(req, GROUP);
  const uid = values(req, UID)[0];
  const extra: Record<string, string[]> = {};
  for (const h of Object.keys(req.headers)) {
    if (h.startsWith(EXTRA_PREFIX)) extra[unescapeExtraKey(h.slice(EXTRA_PREFIX.length))] = values(req, h);
  }
  for (const h of Object.keys(req.headers)) if (h === USER || h === UID || h === GROUP || h.startsWith(EXTRA_PREFIX)) delete req.headers[h];

  if (username === '' && (groups.length > 0 || Object.keys(extra).length > 0 || uid !== undefined)) {
    // fmt's %v of the []v1.ObjectReference built from the headers: {Kind Namespace Name UID APIVersion ResourceVersion FieldPath}
    const ref = (kind: string, name: string, fieldPath = '') => `{${kind}  ${name}    ${fieldPath}}`;
    const refs = [...groups.map((g) => ref('Group', g)), ...Object.entries(extra).flatMap(([k, vs]) => vs.map((v) => ref('UserExtra', v, k))),
      ...(uid !== undefined ? [ref('UID', uid)] : [])];
    throw new ImpersonationError(`requested [${refs.join(' ')}] without impersonating a user`);
  }
  const base: Attributes = {
    user: requester, verb: 'impersonate', isResourceRequest: true, namespace: '', apiGroup: '', apiVersion: '',
    resource: '', subresource: '', name: '', path: '',
  };
  const checks: Attributes[] = [];
  const sa = splitServiceAccountUsername(username);
  checks.push(sa ? { ...base, resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name } : { ...base, resource: 'users', name: username });
  for (const g of groups) checks.push({ ...base, resource: 'groups', name: g });
  for (const [key, vals] of Object.entries(extra)) {
    for (const v of vals) checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v });
  }
  if (uid !== undefined) checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
  for (const attributes of checks) {
    const d = authorize(attributes);
    if (!d.allowed) return { attributes, reason: d.reason };
  }

  const out: UserInfo = { username, groups: [...groups] };
  if (sa && groups.length === 0) out.groups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
  if (uid !== undefined) out.uid = uid;
  if (Object.keys(extra).length > 0) out.extra = extra;
  const g = out.groups!;
  if (username !== ANONYMOUS) {
    if (!g.includes(ALL_AUTHENTICATED) && !g.includes(ALL_UNAUTHENTICATED)) g.push(ALL_AUTHENTICATED);
  } else if (!g.includes(ALL_UNAUTHENTICATED)) {
    g.push(ALL_UNAUTHENTICATED);
  }
  return out;
}
