// The terminal page's files (built by scripts/build-web.ts from operator/src/attach-api/web/ into
// this module's folder), answered with their content types and a Content-Security-Policy that lets
// the page load and connect to its own origin only: kubectl proxy, or whatever serves it.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const files: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'terminal.js': 'text/javascript; charset=utf-8',
  'terminal.css': 'text/css; charset=utf-8',
};

export const contentSecurityPolicy = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self'", "font-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const folder = fileURLToPath(new URL('./web/', import.meta.url));
const cache = new Map<string, Buffer>();

function read(file: string): Buffer | undefined {
  let body = cache.get(file);
  if (!body) {
    try {
      body = readFileSync(folder + file);
    } catch {
      return undefined;
    }
    cache.set(file, body);
  }
  return body;
}

/** Answers GET .../namespaces/NS/terminal/FILE; false when FILE is not one of the page's files. */
export function serveTerminalFile(res: ServerResponse, file: string): boolean {
  const type = files[file];
  if (!type) return false;
  const body = read(file);
  if (!body) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('the terminal page was not built (npm run build:web)\n');
    return true;
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  }).end(body);
  return true;
}
