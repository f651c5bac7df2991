// kube-apiserver's timeout for requests that are not long-running: the long-running check
// (BasicLongRunningRequestCheck with the sets of pkg/controlplane/apiserver/config.go) and the 504
// the timeout filter writes (staging/src/k8s.io/apiserver/pkg/server/filters/timeout.go).
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from './request-info.js';

/** kube-apiserver's --request-timeout default */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

const longRunningVerbs = new Set(['watch', 'proxy']);
const longRunningSubresources = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/** Only resource requests can be long-running; an aggregated server cannot add to the sets (kubernetes#83200). */
export function isLongRunning(info: RequestInfo): boolean {
  return info.isResourceRequest && (longRunningVerbs.has(info.verb) || longRunningSubresources.has(info.subresource));
}

/** apierrors.NewTimeoutError("request did not complete within the allotted timeout", 0), written
 *  with json.Encoder: the bare Status (no kind or apiVersion) and a newline; Go sniffs the type. */
export function writeRequestTimeout(res: ServerResponse): void {
  const status = {
    metadata: {}, status: 'Failure', message: 'Timeout: request did not complete within the allotted timeout',
    reason: 'Timeout', details: {}, code: 504,
  };
  res.writeHead(504, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${JSON.stringify(status)}\n`);
}
