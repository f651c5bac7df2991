// Refusals in kube's shapes: a metav1.Status body with the HTTP code, written on a raw socket for an
// upgrade request (kube-aggregator copies a response of 400 or more to the client as it is) or on
// an ordinary response.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const reasons: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 500: 'InternalError', 503: 'ServiceUnavailable',
};

const phrases: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

function statusBody(code: number, message: string, details?: object): string {
  return JSON.stringify({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reasons[code] ?? 'Unknown',
    ...(details ? { details } : {}), code,
  });
}

export function refuseUpgrade(socket: Duplex, code: number, message: string, details?: object): void {
  const body = statusBody(code, message, details);
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${code} ${phrases[code] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function respondStatus(res: ServerResponse, code: number, message: string, details?: object): void {
  res.writeHead(code, { 'Content-Type': 'application/json' }).end(statusBody(code, message, details));
}
