// What the proxy tells an aggregated server about the caller: X-Remote-* headers set from the
// authenticated user after every incoming X-Remote-* is dropped (client-go
// transport/round_trippers.go SetAuthProxyHeaders). Credentials and impersonation headers never
// pass (WithAuthentication and impersonation.go remove them).
import type { UserInfo } from '../auth/user-info.js';
import { REQUEST_HEADERS } from './authentication-configmap.js';

export type HeaderPairs = Array<[string, string]>;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** round_trippers.go headerKeyEscape: bytes a header name may not hold are percent-encoded */
function headerKeyEscape(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/^[A-Za-z0-9!#$&'*+\-.^_`|~]$/.test(c)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** the request's headers as the backend gets them; `upgrade` keeps Connection/Upgrade */
export function forwardedHeaders(rawHeaders: string[], user: UserInfo, upgrade: boolean): HeaderPairs {
  const out: HeaderPairs = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'host' || lower.startsWith('impersonate-') || lower.startsWith('x-remote-')) continue;
    if (!upgrade && HOP_BY_HOP.has(lower)) continue;
    out.push([name, rawHeaders[i + 1]!]);
  }
  out.push([REQUEST_HEADERS.username, user.username]);
  if (user.uid) out.push([REQUEST_HEADERS.uid, user.uid]);
  for (const g of user.groups ?? []) out.push([REQUEST_HEADERS.group, g]);
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    for (const v of values) out.push([`${REQUEST_HEADERS.extraPrefix}${headerKeyEscape(key)}`, v]);
  }
  return out;
}

/** response headers a proxy does not pass on: hop-by-hop ones and CORS (corsRemovingTransport) */
export function isDroppedResponseHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return HOP_BY_HOP.has(lower) || lower.startsWith('access-control-');
}
