// Where a stream request carries its session token: the header the plugin sets, or the
// Sec-WebSocket-Protocol entry a browser offers (it cannot set headers on a WebSocket).
import type { IncomingHttpHeaders } from 'node:http';
import { sessionTokenHeader, sessionTokenProtocolPrefix } from './paths.js';

export function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  return (headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** The session token of a stream request, or undefined when it carries none. Never log it. */
export function sessionTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[sessionTokenHeader.toLowerCase()];
  if (typeof header === 'string' && header !== '') return header;
  const entry = offeredProtocols(headers).find((p) => p.startsWith(sessionTokenProtocolPrefix));
  if (!entry) return undefined;
  const token = Buffer.from(entry.slice(sessionTokenProtocolPrefix.length), 'base64url').toString('utf8');
  return token === '' ? undefined : token;
}
