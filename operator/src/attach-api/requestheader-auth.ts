// Who is asking, as an aggregated API server decides it: the TLS peer must hold a client
// certificate that chains to the requestheader CA, carries the ClientAuth extended key usage and
// a CN among the allowed names (k8s staging/src/k8s.io/apiserver/pkg/authentication/request/x509
// x509.go Verifier); only then are the identity headers believed (.../request/headerrequest
// requestheader.go). Anything else is refused: headers from an unauthenticated peer are forgeries.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHeaderConfig } from './requestheader-config.js';

const clientAuthOid = '1.3.6.1.5.5.7.3.2';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export class AuthenticationError extends Error {
  readonly code = 'ATTACHAPI_ERR_UNAUTHENTICATED';
}

function values(req: IncomingMessage, header: string): string[] {
  return (req.headersDistinct[header.toLowerCase()] ?? []).filter((v) => v !== '');
}

/** requestheader.go unescapeExtraKey: extra keys are lowercased and percent-decoded. */
function extraKey(escaped: string): string {
  try {
    return decodeURIComponent(escaped).toLowerCase();
  } catch {
    return escaped.toLowerCase();
  }
}

function verifyPeer(socket: TLSSocket, config: RequestHeaderConfig): void {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) {
    throw new AuthenticationError('no client certificate: only the API server\'s front proxy may call this endpoint');
  }
  if (!(cert.ext_key_usage ?? []).includes(clientAuthOid)) {
    throw new AuthenticationError('the client certificate is not for client authentication (no ClientAuth extended key usage)');
  }
  if (!socket.authorized) {
    throw new AuthenticationError(`the client certificate is not signed by the requestheader CA: ${String(socket.authorizationError)}`);
  }
  const cn = cert.subject?.CN;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  if (config.allowedNames.length > 0 && !config.allowedNames.includes(commonName ?? '')) {
    throw new AuthenticationError(`the client certificate's CN "${commonName ?? ''}" is not in requestheader-allowed-names`);
  }
}

/** The user kube-apiserver vouches for; throws AuthenticationError otherwise. */
export function authenticate(req: IncomingMessage, config: RequestHeaderConfig): UserInfo {
  verifyPeer(req.socket as TLSSocket, config);
  const username = config.usernameHeaders.map((h) => values(req, h)[0]).find((v) => v !== undefined);
  if (!username) throw new AuthenticationError('the front proxy sent no user name header');
  const uid = config.uidHeaders.map((h) => values(req, h)[0]).find((v) => v !== undefined);
  const groups = config.groupHeaders.flatMap((h) => values(req, h));
  const extra: Record<string, string[]> = {};
  for (const prefix of config.extraHeaderPrefixes) {
    const p = prefix.toLowerCase();
    for (const [name, vals] of Object.entries(req.headersDistinct)) {
      if (!name.startsWith(p) || name.length === p.length || !vals) continue;
      (extra[extraKey(name.slice(p.length))] ??= []).push(...vals);
    }
  }
  return { username, ...(uid ? { uid } : {}), groups, extra };
}
