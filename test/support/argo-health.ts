// Runs the Argo CD health check (deploy/argocd) on the real Lua 5.1 interpreter, as Argo CD does:
// the object becomes the global `obj`, a Lua table literal written from its JSON.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from './paths.js';
import { tempDir } from './processes.js';

export const argoHealthScript = repoPath('deploy/argocd/containerattach-health.lua');

/** A Lua 5.1 literal for a JSON value; strings are byte-exact (Lua strings are 8-bit clean). */
export function luaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    let out = '"';
    for (const byte of Buffer.from(value, 'utf8')) {
      if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
      else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
      else out += `\\${String(byte).padStart(3, '0')}`;  // padded: Lua would read "\\10" + "5" as byte 105
    }
    return out + '"';
  }
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(', ')}}`;
  const fields = Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${luaLiteral(k)}] = ${luaLiteral(v)}`);
  return `{${fields.join(', ')}}`;
}

export interface ArgoHealth {
  status: string;
  message: string;
}

export function argoHealth(obj: unknown): ArgoHealth {
  const dir = tempDir('argo-health');
  const runner = path.join(dir, 'run.lua');
  writeFileSync(runner, [
    `obj = ${luaLiteral(obj)}`,
    `local hs = dofile(${luaLiteral(argoHealthScript)})`,
    'io.write(hs.status, "\\n", hs.message or "")',
  ].join('\n'));
  const r = spawnSync('lua5.1', [runner], { encoding: 'utf8' });
  if (r.error) throw new Error(`lua5.1 could not run (install the Debian package lua5.1): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`lua5.1 failed (${r.status}): ${r.stderr}`);
  const [status, ...message] = r.stdout.split('\n');
  return { status, message: message.join('\n') };
}
