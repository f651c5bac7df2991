import { apiVersion, plural } from './types.js';

/** REST path of the ContainerAttach collection (all namespaces when `namespace` is absent) or of one object. */
export function containerAttachPath(namespace?: string, name?: string): string {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const one = name ? `/${encodeURIComponent(name)}` : '';
  return `/apis/${apiVersion}${ns}/${plural}${one}`;
}

/** Path of an interactive attach's stream on its node agent (status.endpoint ends with it). */
export function agentAttachPath(namespace: string, name: string): string {
  return `/attach/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** The namespace and name an agent attach path names, or undefined for any other path. */
export function parseAgentAttachPath(url: string | undefined): { namespace: string; name: string } | undefined {
  const pathname = new URL(url ?? '/', 'https://agent').pathname;
  const m = /^\/attach\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}

/** The aggregated API's attach subresource (served by lxc-attach-agent attach-api behind the
 *  APIService v1alpha1.subresources.lxcattach.io); kube-apiserver treats `attach` as long-running. */
export const subresourceGroupVersion = 'subresources.lxcattach.io/v1alpha1';

export function subresourceAttachPath(namespace: string, name: string): string {
  return `/apis/${subresourceGroupVersion}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}/attach`;
}

export function parseSubresourceAttachPath(url: string | undefined): { namespace: string; name: string } | undefined {
  const pathname = new URL(url ?? '/', 'https://attach-api').pathname;
  const prefix = `/apis/${subresourceGroupVersion}/namespaces/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const m = /^([^/]+)\/containerattaches\/([^/]+)\/attach$/.exec(pathname.slice(prefix.length));
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]!), name: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

/** The header carrying the session token where Authorization cannot (kube-apiserver removes it
 *  before proxying to an aggregated server). */
export const sessionTokenHeader = 'X-Lxcattach-Session-Token';

/** The same token where a header cannot go (a browser's WebSocket): a Sec-WebSocket-Protocol entry,
 *  this prefix then the token in base64url, as kube-apiserver takes `base64url.bearer.authorization.k8s.io.`
 *  (staging/src/k8s.io/apiserver/pkg/authentication/request/websocket/protocol.go). A prefix of its
 *  own, because kube-apiserver takes the bearer one as the caller's credential and removes it. */
export const sessionTokenProtocolPrefix = 'base64url.session-token.lxcattach.io.';

/** The terminal page the attach API serves for a namespace: its files are the names of a namespaced
 *  pseudo-resource `terminal` in the group, so kube-apiserver checks `get terminal` in that namespace
 *  (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go: .../namespaces/NS/terminal/FILE). */
export const terminalResource = 'terminal';

export function terminalPagePath(namespace: string, file = 'index.html'): string {
  return `/apis/${subresourceGroupVersion}/namespaces/${encodeURIComponent(namespace)}/${terminalResource}/${file}`;
}

/** The namespace and file of a terminal page path; file is '' for the bare `.../terminal`. */
export function parseTerminalPagePath(url: string | undefined): { namespace: string; file: string } | undefined {
  const pathname = new URL(url ?? '/', 'https://attach-api').pathname;
  const prefix = `/apis/${subresourceGroupVersion}/namespaces/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const m = new RegExp(`^([^/]+)/${terminalResource}(?:/([^/]*))?$`).exec(pathname.slice(prefix.length));
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]!), file: m[2] ?? '' };
  } catch {
    return undefined;
  }
}
