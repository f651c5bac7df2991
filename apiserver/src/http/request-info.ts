// k8s.io/apiserver/pkg/endpoints/request/requestinfo.go: what a URL path and method address.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** 'api' or 'apis' for API paths */
  prefix?: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: string;
  /** path segments after /api or /apis */
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

export function requestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path: pathname, group: '', version: '', namespace: '', resource: '', name: '',
    subresource: '', verb: method.toLowerCase(), parts: [],
  };
  let parts = pathname.split('/').filter(Boolean).map((s) => decodeURIComponentSafe(s));
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.prefix = parts[0];
  parts = parts.slice(1);
  info.parts = parts;
  if (info.prefix === 'apis') {
    if (parts.length < 3) return info;
    info.group = parts[0]!;
    parts = parts.slice(1);
  } else if (parts.length < 2) {
    return info;
  }
  info.isResourceRequest = true;
  info.version = parts[0]!;
  parts = parts.slice(1);
  const verbs: Record<string, string> = { post: 'create', get: 'get', head: 'get', put: 'update', patch: 'patch', delete: 'delete' };
  info.verb = verbs[info.verb] ?? '';
  if (parts[0] === 'watch' || parts[0] === 'proxy') {
    if (parts[0] === 'watch') info.verb = 'watch';
    else info.verb = 'proxy';
    parts = parts.slice(1);
  }
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.resource = parts[0] ?? '';
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 3) info.subresource = parts[2]!;
  if (parts.length > 3) info.verb = '';
  if (info.name === '' && info.verb === 'get') {
    info.verb = 'list';
    const w = query.get('watch');
    if (w !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(w)) info.verb = 'watch';
  } else if (info.name === '' && info.verb === 'delete') {
    info.verb = 'deletecollection';
  }
  return info;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // NB: a malformed escape is kept literally; the lookup then simply finds no such resource.
    return s;
  }
}
