// kube-aggregator's proxyHandler (staging/src/k8s.io/kube-aggregator/pkg/apiserver/handler_proxy.go)
// with the upgrade-aware handler it delegates to (apimachinery pkg/util/proxy/upgradeaware.go,
// transport.go) and NewRequestForProxy (apiserver pkg/util/proxy): a request under /apis/G/V of an
// APIService goes to one ready endpoint of its Service over TLS (the caBundle, ServerName
// <svc>.<ns>.svc, the front-proxy client certificate), carrying the caller as X-Remote-* headers.
import https from 'node:https';
import tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Obj } from '../objects.js';
import type { UserInfo } from '../auth/user-info.js';
import type { FrontProxyCertificates } from './front-proxy-certificates.js';
import { authority, type ServiceRef } from './service-resolver.js';
import { forwardedHeaders, isDroppedResponseHeader, type HeaderPairs } from './identity-headers.js';
import { writeRequestTimeout } from '../http/long-running.js';

/** discovery of /apis/G/V must answer within this (NewRequestForProxy) */
const DISCOVERY_TIMEOUT_MS = 5000;
const MAX_UPGRADE_RESPONSE_HEAD = 64 * 1024;

/** http.Error: text/plain with a trailing newline */
export function proxyError(res: ServerResponse, message: string, code: number): void {
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(`${message}\n`);
}

/** the TLS client options towards an APIService's backend */
export function backendTls(apiService: Obj, ref: ServiceRef, pki: FrontProxyCertificates): tls.ConnectionOptions {
  const spec = (apiService['spec'] ?? {}) as Record<string, unknown>;
  const caBundle = typeof spec['caBundle'] === 'string' ? Buffer.from(spec['caBundle'], 'base64').toString('utf8') : '';
  const insecure = spec['insecureSkipTLSVerify'] === true;
  return {
    servername: `${ref.name}.${ref.namespace}.svc`,
    ca: caBundle === '' ? undefined : caBundle,
    rejectUnauthorized: !insecure,
    cert: pki.clientCert,
    key: pki.clientKey,
    ALPNProtocols: ['http/1.1'],
  };
}

/** the dial error as Go's net package words it (what kube's 503 bodies carry) */
export function goDialError(e: NodeJS.ErrnoException, target: string): string {
  switch (e.code) {
    case 'ECONNREFUSED': return `dial tcp ${target}: connect: connection refused`;
    case 'ETIMEDOUT': return `dial tcp ${target}: i/o timeout`;
    case 'EHOSTUNREACH': return `dial tcp ${target}: connect: no route to host`;
    case 'ECONNRESET': return `read tcp ${target}: read: connection reset by peer`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `tls: failed to verify certificate: x509: ${e.message}`;
    default: return e.message;
  }
}

function remoteIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** httputil.ReverseProxy and proxy.Transport: X-Forwarded-For appended, X-Forwarded-Uri/Host/Proto set */
function withForwarding(headers: HeaderPairs, req: IncomingMessage, target: string, pathname: string, auditId: string): HeaderPairs {
  const prior = headers.filter(([k]) => k.toLowerCase() === 'x-forwarded-for').map(([, v]) => v);
  const out = headers.filter(([k]) => !['x-forwarded-for', 'x-forwarded-uri', 'x-forwarded-host', 'x-forwarded-proto', 'audit-id'].includes(k.toLowerCase()));
  out.push(['X-Forwarded-For', [...prior, remoteIp(req)].join(', ')]);
  out.push(['X-Forwarded-Uri', pathname], ['X-Forwarded-Host', target], ['X-Forwarded-Proto', 'https'], ['Audit-Id', auditId]);
  return out;
}

/** url.Values.Encode: keys sorted, values percent-encoded */
function encodeQuery(q: URLSearchParams): string {
  const keys = [...new Set(q.keys())].sort();
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keys.flatMap((k) => q.getAll(k).map((v) => `${enc(k)}=${enc(v)}`)).join('&');
}

export interface ProxyTarget {
  endpoint: { host: string; port: number };
  tls: tls.ConnectionOptions;
  /** kept-alive connections to this backend (kube's proxy transport reuses them too) */
  agent: https.Agent;
  user: UserInfo;
  /** the request is /apis/G/V itself */
  discovery: boolean;
  /** kube-apiserver's --request-timeout; undefined for a long-running request */
  timeoutMs?: number;
}

/** Runs `onTimeout` after the request's time is up unless `clear` was called first. */
function deadline(t: ProxyTarget, onTimeout: () => void): () => void {
  if (t.timeoutMs === undefined) return () => undefined;
  const timer = setTimeout(onTimeout, t.timeoutMs);
  return () => clearTimeout(timer);
}

/** the plain (non-upgrade) path */
export function proxyRequest(req: IncomingMessage, res: ServerResponse, url: URL, t: ProxyTarget): void {
  const target = authority(t.endpoint);
  const query = encodeQuery(url.searchParams);
  const headers = withForwarding(forwardedHeaders(req.rawHeaders, t.user, false), req, target, url.pathname, randomUUID());
  headers.push(['Host', target]);
  const out = https.request({
    host: t.endpoint.host, port: t.endpoint.port, method: req.method, path: url.pathname + (query ? `?${query}` : ''),
    headers: headers.flat() as unknown as Record<string, string>, agent: t.agent, ...t.tls,
    timeout: t.discovery ? DISCOVERY_TIMEOUT_MS : undefined,
  }, (backend) => {
    const pairs: string[] = [];
    for (let i = 0; i + 1 < backend.rawHeaders.length; i += 2) {
      if (!isDroppedResponseHeader(backend.rawHeaders[i]!)) pairs.push(backend.rawHeaders[i]!, backend.rawHeaders[i + 1]!);
    }
    res.writeHead(backend.statusCode ?? 502, pairs);
    backend.pipe(res);
    backend.on('error', () => res.destroy());
  });
  let failed = false;
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    req.resume();
    proxyError(res, `error trying to reach service: ${message}`, 503);
  };
  out.on('timeout', () => { out.destroy(); fail('context deadline exceeded'); });
  out.on('error', (e: NodeJS.ErrnoException) => fail(goDialError(e, target)));
  const clear = deadline(t, () => {
    failed = true;
    out.destroy();
    req.resume();
    // Nothing written yet: the timeout's Status. Otherwise the handler is aborted, which on HTTP/1
    // closes the connection mid-response.
    if (res.headersSent) res.destroy();
    else writeRequestTimeout(res);
  });
  res.on('close', () => {
    clear();
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
}

/**
 * tryUpgrade: dial the backend, send the request head, read the backend's answer; 101 splices the
 * two connections as raw bytes, another status below 400 is a 503, 400 and above goes to the client
 * as the backend wrote it before the connection closes.
 */
export function proxyUpgrade(req: IncomingMessage, res: ServerResponse, socket: Duplex, head: Buffer, url: URL, t: ProxyTarget): void {
  const target = authority(t.endpoint);
  const query = encodeQuery(url.searchParams);
  const headers = forwardedHeaders(req.rawHeaders, t.user, true);
  const prior = headers.filter(([k]) => k.toLowerCase() === 'x-forwarded-for').map(([, v]) => v);
  const pairs = headers.filter(([k]) => k.toLowerCase() !== 'x-forwarded-for');
  pairs.push(['X-Forwarded-For', [...prior, remoteIp(req)].join(', ')], ['Audit-Id', randomUUID()]);
  const requestHead = `${req.method ?? 'GET'} ${url.pathname}${query ? `?${query}` : ''} HTTP/1.1\r\nHost: ${target}\r\n`
    + pairs.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
  const backend = tls.connect({ host: t.endpoint.host, port: t.endpoint.port, ...t.tls });
  let answered = false;
  // Once switched, the connection is hijacked: kube's timeout filter can then only abort its
  // handler (ErrAbortHandler), which leaves a hijacked connection and its splice running.
  const clear = deadline(t, () => {
    if (answered) return;
    answered = true;
    backend.destroy();
    writeRequestTimeout(res);
  });
  backend.once('error', (e: NodeJS.ErrnoException) => {
    if (answered) { socket.destroy(); return; }
    answered = true;
    clear();
    proxyError(res, goDialError(e, target), 503);
  });
  backend.once('secureConnect', () => {
    backend.write(requestHead);
    if (head.length > 0) backend.write(head);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_UPGRADE_RESPONSE_HEAD) { backend.destroy(); answered = true; clear(); proxyError(res, 'invalid upgrade response: header too large', 503); }
        return;
      }
      backend.off('data', onData);
      if (answered) return;
      answered = true;
      clear();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (status !== 101 && status < 400) {
        backend.destroy();
        proxyError(res, `invalid upgrade response: status code ${status}`, 503);
        return;
      }
      // From here on the client's connection carries raw bytes both ways.
      res.detachSocket(socket as never);
      socket.write(buffered);
      backend.pipe(socket);
      if (status === 101) socket.pipe(backend);
      const closeBoth = () => { socket.destroy(); backend.destroy(); };
      backend.on('close', closeBoth);
      socket.on('close', closeBoth);
      socket.on('error', closeBoth);
      backend.on('error', closeBoth);
    };
    backend.on('data', onData);
  });
  socket.on('close', () => {
    if (answered) return;
    clear();
    backend.destroy();
  });
}
