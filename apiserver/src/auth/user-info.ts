// user.Info (staging/src/k8s.io/apiserver/pkg/authentication/user) and the well-known names.
import type { ReviewUser } from '../builtins/index.js';

export type UserInfo = ReviewUser;

export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export const anonymousUser = (): UserInfo => ({ username: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] });

/** serviceaccount.MakeUsername */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** serviceaccount.SplitUsername: namespace and name of a ServiceAccount username, if it is one */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** group.AuthenticatedGroupAdder: every authenticated user is also in system:authenticated */
export function withAuthenticatedGroup(u: UserInfo): UserInfo {
  const groups = u.groups ?? [];
  if (u.username === ANONYMOUS || groups.includes(ALL_AUTHENTICATED)) return u;
  return { ...u, groups: [...groups, ALL_AUTHENTICATED] };
}
