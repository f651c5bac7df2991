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
