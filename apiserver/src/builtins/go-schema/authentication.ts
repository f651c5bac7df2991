// k8s.io/api/authentication/v1 TokenReview and TokenRequest (types.go order, generated.proto numbers).
import { metadataField } from './meta.js';
import {
  BOOL, INT64, STRING, STRING_LIST, TIME, TYPE_META_FIELDS, mapOf, opt, req, sliceOf, struct,
} from './model.js';

export const USER_INFO = struct('UserInfo', [
  opt('username', 1, STRING),
  opt('uid', 2, STRING),
  opt('groups', 3, sliceOf(STRING)),
  opt('extra', 4, mapOf(STRING_LIST)),
]);

export const TOKEN_REVIEW = struct('TokenReview', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('spec', 2, struct('TokenReviewSpec', [
    opt('token', 1, STRING),
    opt('audiences', 2, sliceOf(STRING)),
  ])),
  opt('status', 3, struct('TokenReviewStatus', [
    opt('authenticated', 1, BOOL),
    opt('user', 2, USER_INFO),
    opt('audiences', 4, sliceOf(STRING)),
    opt('error', 3, STRING),
  ])),
]);

/** serviceaccounts/<name>/token takes a TokenRequest (`kubectl create token` sends it as protobuf) */
export const TOKEN_REQUEST = struct('TokenRequest', [
  ...TYPE_META_FIELDS,
  metadataField(),
  req('spec', 2, struct('TokenRequestSpec', [
    req('audiences', 1, sliceOf(STRING)),
    req('expirationSeconds', 4, INT64, { pointer: true }),
    req('boundObjectRef', 3, struct('BoundObjectReference', [
      opt('kind', 1, STRING),
      opt('apiVersion', 2, STRING),
      opt('name', 3, STRING),
      opt('uid', 4, STRING),
    ]), { pointer: true }),
  ])),
  opt('status', 3, struct('TokenRequestStatus', [
    req('token', 1, STRING),
    req('expirationTimestamp', 2, TIME),
  ])),
]);

export const SELF_SUBJECT_REVIEW = struct('SelfSubjectReview', [
  ...TYPE_META_FIELDS,
  metadataField(),
  opt('status', 2, struct('SelfSubjectReviewStatus', [opt('userInfo', 1, USER_INFO)])),
]);
