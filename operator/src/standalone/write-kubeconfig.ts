// Writing the kubeconfig for the standalone server: a cluster with the CA data, a user with the
// token, a context with namespace default. An existing kubeconfig keeps its other entries.
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const CONTEXT_NAME = 'lxc-attach-standalone';
const USER_NAME = 'lxc-attach-admin';

interface KubeconfigEntry { server: string; caPem: string; token: string }

type Named = { name: string } & Record<string, unknown>;

function upsert(list: unknown, entry: Named): Named[] {
  const items = (Array.isArray(list) ? list : []) as Named[];
  const i = items.findIndex((x) => x && x.name === entry.name);
  if (i >= 0) items[i] = entry;
  else items.push(entry);
  return items;
}

export async function writeKubeconfig(file: string, e: KubeconfigEntry): Promise<void> {
  let doc: Record<string, unknown> = {};
  try {
    const parsed = parse(await readFile(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) doc = parsed as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read existing kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
  }
  doc.apiVersion = 'v1';
  doc.kind = 'Config';
  doc.preferences ??= {};
  doc.clusters = upsert(doc.clusters, {
    name: CONTEXT_NAME,
    cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') },
  });
  doc.users = upsert(doc.users, { name: USER_NAME, user: { token: e.token } });
  doc.contexts = upsert(doc.contexts, { name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: USER_NAME, namespace: 'default' } });
  doc['current-context'] = CONTEXT_NAME;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, stringify(doc), { mode: 0o600 });
  await rename(tmp, file);
}
