// authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`): the requester's user info
// after authentication and impersonation (pkg/registry/authentication/selfsubjectreview/rest.go).
import { SELF_SUBJECT_REVIEW } from './go-schema/authentication.js';
import { badRequest, defineReviewKind } from './review-common.js';
import { userInfo } from './token-review.js';

export const selfSubjectReviewKind = defineReviewKind({
  group: 'authentication.k8s.io', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews',
  goType: SELF_SUBJECT_REVIEW,
  review(obj, context) {
    if (!context.user) throw badRequest('no user present on request');
    // the REST handler builds a fresh object stamped with the time of the request
    return { ...obj, metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, status: { userInfo: userInfo(context.user) } };
  },
});
