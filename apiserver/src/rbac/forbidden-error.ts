// The 403 of a refused request, worded as responsewriters.Forbidden / forbiddenMessage
// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go).
import { forbidden, type ApiError } from '../status.js';
import type { Attributes } from './policy-rules.js';

export function forbiddenMessage(a: Attributes): string {
  const username = JSON.stringify(a.user.username);
  if (!a.isResourceRequest) return `User ${username} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = `User ${username} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)}`;
  return a.namespace ? `${what} in the namespace ${JSON.stringify(a.namespace)}` : `${what} at the cluster scope`;
}

export function forbiddenError(a: Attributes, reason: string): ApiError {
  const message = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  return forbidden({ group: a.apiGroup, resource: a.resource }, a.name, message);
}
