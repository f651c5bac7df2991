// authentication.k8s.io/v1 TokenReview: pkg/registry/authentication/tokenreview/storage.go.
// The verdict needs the server's authenticator, which the core passes in the ReviewContext.
import { TOKEN_REVIEW } from './go-schema/authentication.js';
import { record, str } from './printing.js';
import { badRequest, defineReviewKind } from './review-common.js';
import type { KubeObject, ReviewUser } from './types.js';

export function userInfo(user: ReviewUser): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.username };
  if (user.uid) out['uid'] = user.uid;
  if (user.groups && user.groups.length > 0) out['groups'] = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) out['extra'] = structuredClone(user.extra);
  return out;
}

export const tokenReviewKind = defineReviewKind({
  group: 'authentication.k8s.io', kind: 'TokenReview', plural: 'tokenreviews',
  goType: TOKEN_REVIEW,
  review(obj, context) {
    if (context.namespace) throw badRequest(`namespace is not allowed on this type: ${context.namespace}`);
    const spec = record(obj['spec']);
    const token = str(spec['token']);
    if (token.length === 0) throw badRequest('token is required for TokenReview in authentication');

    const requested = Array.isArray(spec['audiences']) ? spec['audiences'].map(str) : [];
    const apiAudiences = context.apiAudiences ?? [];
    const audiences = requested.length > 0 ? requested : apiAudiences;
    // The bearer token is audience-agnostic: it serves exactly the API audiences, so a review for
    // other audiences only is "not authenticated" (authenticator.WrapAudienceAgnosticToken).
    const granted = apiAudiences.length > 0 ? audiences.filter((a) => apiAudiences.includes(a)) : audiences;
    const user = apiAudiences.length > 0 && granted.length === 0 ? undefined : context.authenticateToken?.(token);

    const status: Record<string, unknown> = user
      ? { authenticated: true, user: userInfo(user), ...(apiAudiences.length > 0 ? { audiences: granted } : {}) }
      : { user: {} };
    const response: KubeObject = { ...obj, status };
    return response;
  },
});
