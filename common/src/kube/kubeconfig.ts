// Kubeconfig loading as kubectl does it, without @kubernetes/client-node (whose import alone takes
// most of a second, which a kubectl plugin cannot afford on every call): KUBECONFIG's list merged
// with first-wins per name, --kubeconfig alone when given, paths relative to the file that names
// them, and the credentials kubectl supports (token, tokenFile, client certificates, basic auth,
// exec credential plugins, the token of a legacy auth-provider).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import path from 'node:path';
// js-yaml, not the yaml package the rest of the project uses: it imports and first-parses in a
// third of the time, and this runs on every kubectl lxc-attach.
import { load as parseYaml } from 'js-yaml';

interface Named<T> {
  name: string;
  value: T;
  dir: string;
}

interface ClusterEntry {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
}

interface UserEntry {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  'auth-provider'?: { name: string; config?: Record<string, string> };
  /** impersonation (client-go's AuthInfo Impersonate, ImpersonateUID, ImpersonateGroups, ImpersonateUserExtra) */
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
}

/** client-go transport headerKeyEscape: bytes outside a header token's characters as %XX */
function headerKeyEscape(key: string): string {
  return [...Buffer.from(key, 'utf8')].map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9!#$&'*+\-.^_`|~]/.test(c) && b < 0x80 ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

interface ContextEntry {
  cluster: string;
  user: string;
  namespace?: string;
}

export class KubeconfigError extends Error {
  readonly code = 'KUBE_ERR_CONFIG';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeconfigError';
  }
}

interface KubeconfigOverrides {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
}

/** One resolved context: where to connect and how to sign requests (the shape KubeClient uses). */
export class ResolvedKubeconfig {
  readonly namespace: string | undefined;
  readonly #cluster: Named<ClusterEntry>;
  readonly #user: Named<UserEntry>;
  #exec: { token?: string; cert?: string; key?: string } | undefined;

  constructor(namespace: string | undefined, cluster: Named<ClusterEntry>, user: Named<UserEntry>) {
    this.namespace = namespace;
    this.#cluster = cluster;
    this.#user = user;
  }

  getCurrentCluster(): { server: string } | null {
    return this.#cluster.value.server ? { server: this.#cluster.value.server } : null;
  }

  /** Adds TLS trust, client certificates and the Authorization header to `opts`. */
  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    const c = this.#cluster.value;
    const u = this.#user.value;
    const headers = (opts.headers ??= {}) as Record<string, string>;
    if (c['certificate-authority-data']) opts.ca = Buffer.from(c['certificate-authority-data'], 'base64');
    else if (c['certificate-authority']) opts.ca = readFileSync(path.resolve(this.#cluster.dir, c['certificate-authority']));
    if (c['insecure-skip-tls-verify']) opts.rejectUnauthorized = false;
    if (c['tls-server-name']) opts.servername = c['tls-server-name'];
    const data = (inline: string | undefined, file: string | undefined): Buffer | undefined =>
      inline ? Buffer.from(inline, 'base64') : file ? readFileSync(path.resolve(this.#user.dir, file)) : undefined;
    opts.cert = data(u['client-certificate-data'], u['client-certificate']);
    opts.key = data(u['client-key-data'], u['client-key']);
    let token = u.token ?? (u.tokenFile ? readFileSync(path.resolve(this.#user.dir, u.tokenFile), 'utf8').trim() : undefined);
    if (!token && u.exec) {
      const cred = this.#runExec(u.exec);
      token = cred.token;
      if (cred.cert) opts.cert = Buffer.from(cred.cert);
      if (cred.key) opts.key = Buffer.from(cred.key);
    }
    if (!token && u['auth-provider']) {
      const config = u['auth-provider'].config ?? {};
      token = config['id-token'] ?? config['access-token'];
      if (!token) throw new KubeconfigError(`auth-provider "${u['auth-provider'].name}" has no token to use; configure an exec credential plugin`);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (u.username !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${u.username}:${u.password ?? ''}`).toString('base64')}`;
    }
    if (u.as) {
      const multi = headers as unknown as Record<string, string | string[]>;
      multi['Impersonate-User'] = u.as;
      if (u['as-uid']) multi['Impersonate-Uid'] = u['as-uid'];
      if (u['as-groups']?.length) multi['Impersonate-Group'] = [...u['as-groups']];
      for (const [k, vs] of Object.entries(u['as-user-extra'] ?? {})) multi[`Impersonate-Extra-${headerKeyEscape(k)}`] = [...vs];
    }
  }

  /** client.authentication.k8s.io ExecCredential: run once per process, as kubectl caches it. */
  #runExec(exec: ExecConfig): { token?: string; cert?: string; key?: string } {
    if (this.#exec) return this.#exec;
    const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } }) };
    for (const e of exec.env ?? []) env[e.name] = e.value;
    let out: string;
    try {
      out = execFileSync(exec.command, exec.args ?? [], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    } catch (err) {
      throw new KubeconfigError(`the credential plugin ${exec.command} failed`, { cause: err });
    }
    let status: { token?: string; clientCertificateData?: string; clientKeyData?: string };
    try {
      status = (JSON.parse(out) as { status?: typeof status }).status ?? {};
    } catch (err) {
      throw new KubeconfigError(`the credential plugin ${exec.command} did not print an ExecCredential`, { cause: err });
    }
    this.#exec = { token: status.token, cert: status.clientCertificateData, key: status.clientKeyData };
    return this.#exec;
  }
}

interface ConfigFile {
  clusters: Named<ClusterEntry>[];
  users: Named<UserEntry>[];
  contexts: Named<ContextEntry>[];
  currentContext?: string;
}

function readConfigFile(file: string): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KubeconfigError(`cannot read ${file}`, { cause: err });
  }
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new KubeconfigError(`${file} is not a kubeconfig (YAML)`, { cause: err });
  }
  const dir = path.dirname(path.resolve(file));
  const named = <T>(key: string, inner: string): Named<T>[] =>
    ((doc[key] ?? []) as Record<string, unknown>[]).map((e) => ({ name: String(e.name), value: (e[inner] ?? {}) as T, dir }));
  return {
    clusters: named<ClusterEntry>('clusters', 'cluster'),
    users: named<UserEntry>('users', 'user'),
    contexts: named<ContextEntry>('contexts', 'context'),
    currentContext: (doc['current-context'] as string | undefined) || undefined,
  };
}

/** The kubeconfig files kubectl would read, in precedence order. */
function kubeconfigFiles(explicit: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (explicit) return [explicit];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter(Boolean);
  return [path.join(env.HOME ?? homedir(), '.kube', 'config')];
}

export function loadKubeconfig(overrides: KubeconfigOverrides, env: NodeJS.ProcessEnv = process.env): ResolvedKubeconfig {
  const files = kubeconfigFiles(overrides.kubeconfig, env);
  const loaded = files.map((f) => {
    const c = readConfigFile(f);
    if (!c && overrides.kubeconfig) throw new KubeconfigError(`${f}: no such file`);
    return c;
  }).filter((c): c is ConfigFile => c !== undefined);
  const first = <T>(pick: (c: ConfigFile) => Named<T>[], name: string): Named<T> | undefined => {
    for (const c of loaded) {
      const hit = pick(c).find((e) => e.name === name);
      if (hit) return hit;
    }
    return undefined;
  };
  const contextName = overrides.context ?? loaded.find((c) => c.currentContext)?.currentContext;
  if (!contextName) throw new KubeconfigError(`no current context in ${files.join(', ')}: set --context or current-context`);
  const context = first((c) => c.contexts, contextName);
  if (!context) throw new KubeconfigError(`context "${contextName}" does not exist`);
  const clusterName = overrides.cluster ?? context.value.cluster;
  const userName = overrides.user ?? context.value.user;
  const cluster = first((c) => c.clusters, clusterName);
  if (!cluster?.value.server) throw new KubeconfigError(`cluster "${clusterName}" does not exist or has no server`);
  const namedUser = first((c) => c.users, userName);
  if (overrides.user && !namedUser) throw new KubeconfigError(`user "${overrides.user}" does not exist`);
  const user = namedUser ?? { name: userName, value: {}, dir: cluster.dir };
  return new ResolvedKubeconfig(context.value.namespace, cluster, user);
}

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** In-cluster credentials of a pod, as client-go's rest.InClusterConfig reads them. The token is
 *  re-read for every request: projected service account tokens rotate. */
export function inClusterConfig(env: NodeJS.ProcessEnv = process.env, dir = serviceAccountDir): ResolvedKubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeconfigError('not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset): pass --kubeconfig');
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const namespace = (() => {
    try {
      return readFileSync(path.join(dir, 'namespace'), 'utf8').trim();
    } catch {
      return undefined; // NB: the namespace file is optional; callers default to "default".
    }
  })();
  return new ResolvedKubeconfig(namespace,
    { name: 'in-cluster', value: { server, 'certificate-authority': path.join(dir, 'ca.crt') }, dir },
    { name: 'in-cluster', value: { tokenFile: path.join(dir, 'token') }, dir });
}
