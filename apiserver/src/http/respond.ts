// Writing responses: objects in the negotiated format, Status errors, warnings.
import type { ServerResponse } from 'node:http';
import { stringify as yamlStringify } from 'yaml';
import { ApiError, internalError, type Status } from '../status.js';
import type { Output } from './negotiate.js';

/** JSON text; integers kept exact by the strict parser may arrive as bigint. */
export function toJson(value: unknown, pretty = false): string {
  try {
    return JSON.stringify(value, null, pretty ? 2 : undefined);
  } catch (e) {
    if (!(e instanceof TypeError) || !/BigInt/i.test(e.message)) throw e;
    return slowJson(value, pretty ? '  ' : '', '');
  }
}

function slowJson(v: unknown, indent: string, cur: string): string {
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const next = cur + indent;
  const nl = indent ? `\n${next}` : '';
  const end = indent ? `\n${cur}` : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => slowJson(x === undefined ? null : x, indent, next)).join(`,${nl}`)}${end}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{${nl}${entries.map(([k, x]) => `${JSON.stringify(k)}${sep}${slowJson(x, indent, next)}`).join(`,${nl}`)}${end}}`;
}

export function setWarnings(res: ServerResponse, warnings: string[]): void {
  if (warnings.length === 0 || res.headersSent) return;
  res.setHeader('Warning', [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`));
}

export function writeObject(res: ServerResponse, code: number, body: unknown, out: Output, warnings: string[] = []): void {
  setWarnings(res, warnings);
  const text = out.format === 'yaml' ? yamlStringify(JSON.parse(toJson(body))) : `${toJson(body, out.pretty)}\n`;
  res.writeHead(code, { 'Content-Type': out.contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Status bodies are JSON whatever the Accept header said (the JSON serializer is always available). */
export function writeStatus(res: ServerResponse, status: Status, warnings: string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  setWarnings(res, warnings);
  const text = `${JSON.stringify(status)}\n`;
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (status.details?.retryAfterSeconds) headers['Retry-After'] = String(status.details.retryAfterSeconds);
  res.writeHead(status.code, headers);
  res.end(text);
}

export function writeError(res: ServerResponse, e: unknown, warnings: string[] = [], log?: (m: string) => void): void {
  if (e instanceof ApiError) {
    writeStatus(res, e.status, warnings);
    return;
  }
  log?.(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  writeStatus(res, internalError(String((e as Error)?.message ?? e)).status, warnings);
}

/** http.NotFound: what kube-apiserver's last delegate answers for paths nothing serves. */
export function writeNotFoundPage(res: ServerResponse): void {
  const text = '404 page not found\n';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** WriteRawJSON: indented JSON for non-API objects (/version, root paths). */
export function writeRawJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
