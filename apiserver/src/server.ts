// The API server: HTTPS listener, bearer-token authentication, routing of non-resource paths
// (health, version, discovery, OpenAPI) and resource requests, and the in-process controllers.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Obj } from './objects.js';
import type { ReviewUser } from './builtins/index.js';
import { DurableStore, type StoreOptions } from './store/durable-store.js';
import { WatchHub } from './watch/watch-cache.js';
import { Registry } from './resource-registry.js';
import { ObjectOps, IMMORTAL_NAMESPACES } from './object-ops.js';
import { CrdController } from './controllers/crd-controller.js';
import { NamespaceController } from './controllers/namespace-controller.js';
import { GarbageCollector } from './controllers/garbage-collector.js';
import { EventTtl } from './controllers/event-ttl.js';
import { ListPages } from './handlers/list-pages.js';
import type { Ctx, ServerCore } from './handlers/context.js';
import { requestInfo, type RequestInfo } from './http/request-info.js';
import { writeError, writeNotFoundPage, writeRawJson, writeStatus, setWarnings } from './http/respond.js';
import { methodNotSupported, notAcceptable, notFound, unauthorized } from './status.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { aggregatedContentType, aggregatedDiscovery, etagOf, legacyApiVersions, legacyGroup, legacyGroupList, legacyResourceList, wantsAggregated } from './discovery.js';
import { OpenApi } from './openapi-endpoints.js';
import { versionInfo } from './version.js';
import { parseAccept } from './http/negotiate.js';

interface ApiServerOptions {
  dataDir: string;
  /** bearer token every request must carry (health endpoints excepted) */
  token: string;
  tls: { key: string | Buffer; cert: string | Buffer };
  log?: (message: string) => void;
  store?: StoreOptions;
  /** called for every authenticated resource request (like an audit log at Metadata level) */
  audit?: (entry: AuditEntry) => void;
}

export interface AuditEntry {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  userAgent: string;
}

/** Paths anonymous requests may use (AnonymousAuthConfigurableEndpoints); everything else needs the token. */
const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz']);
/** The one all-powerful user the standalone server has (the token's owner). */
const STANDALONE_USER = 'lxcattach:admin';
const API_AUDIENCE = 'https://kubernetes.default.svc';

export class ApiServer {
  readonly core: ServerCore;
  readonly registry: Registry;
  readonly crdController: CrdController;
  readonly namespaceController: NamespaceController;
  readonly gc: GarbageCollector;
  readonly eventTtl: EventTtl;
  readonly #opts: ApiServerOptions;
  readonly #tokenHash: Buffer;
  readonly #openapi: OpenApi;
  readonly #stop = new AbortController();
  #server?: https.Server;
  #address = '';
  #ready = false;

  private constructor(opts: ApiServerOptions, store: DurableStore) {
    this.#opts = opts;
    this.#tokenHash = createHash('sha256').update(opts.token).digest();
    const log = opts.log ?? ((m: string) => process.stderr.write(`apiserver: ${m}\n`));
    const registry = new Registry();
    const ops = new ObjectOps(store);
    const hub = new WatchHub(() => store.resourceVersion);
    this.registry = registry;
    const user: ReviewUser = { username: STANDALONE_USER, groups: ['system:masters', 'system:authenticated'] };
    this.core = {
      store, ops, hub, registry, pages: new ListPages(), log, stopping: this.#stop.signal,
      reviewContext: (namespace) => ({
        namespace: namespace || undefined, user, apiAudiences: [API_AUDIENCE],
        authenticateToken: (token) => (this.#tokenMatches(token) ? user : undefined),
      }),
    };
    this.crdController = new CrdController(ops, registry, hub, log);
    this.namespaceController = new NamespaceController(ops, registry, log);
    this.gc = new GarbageCollector(ops, registry, log);
    this.eventTtl = new EventTtl(store, log);
    this.#openapi = new OpenApi(registry, () => [...store.list(registry.crdType.bucket)]);
    store.onCommit = (changes) => {
      hub.onCommit(changes);
      this.crdController.onCommit(changes);
      this.namespaceController.onCommit(changes);
      this.gc.onCommit(changes);
      this.eventTtl.onCommit(changes);
    };
  }

  /** Opens the store in dataDir (replaying its log), creates the default namespaces, starts the controllers. */
  static async open(opts: ApiServerOptions): Promise<ApiServer> {
    const store = await DurableStore.open(opts.dataDir, { log: opts.log, ...opts.store });
    const s = new ApiServer(opts, store);
    try {
      for (const t of s.registry.all()) s.core.hub.ensure(t.bucket);
      s.crdController.start();
      await s.#bootstrapNamespaces();
      s.namespaceController.start();
      s.gc.start();
      s.eventTtl.start();
    } catch (e) {
      await store.close();
      throw e;
    }
    return s;
  }

  async #bootstrapNamespaces(): Promise<void> {
    const t = this.registry.lookup('', 'v1', 'namespaces');
    if (!t) return;
    for (const name of [...IMMORTAL_NAMESPACES, 'kube-node-lease']) {
      if (this.core.ops.get(t, undefined, name)) continue;
      await this.core.ops.create(t, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false });
    }
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    const server = https.createServer({ key: this.#opts.tls.key, cert: this.#opts.tls.cert }, (req, res) => void this.#handle(req, res));
    // Watches are long-running: no request timeout; idle keep-alive connections still expire.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    // Node closes idle keep-alive connections after 5 s by default, racing clients that reuse them
    // (a request sent as the server closes gets "socket hang up"); Go's server keeps them far longer.
    server.keepAliveTimeout = 120_000;
    server.on('clientError', (_e, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'); else socket.destroy(); });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
    const addr = server.address() as AddressInfo;
    this.#address = `${addr.address}:${addr.port}`;
    this.#ready = true;
    return addr;
  }

  /** Test switch: drop a resource's watch history, ending its watches; older resourceVersions then get 410. */
  expireWatchHistory(group: string, resource: string): void {
    this.core.hub.expire(`${group || 'core'}/${resource}`);
  }

  /** Stops listening, ends watches, waits for queued writes, closes the store. */
  async close(): Promise<void> {
    this.#ready = false;
    this.#stop.abort();
    this.crdController.queue.shutdown();
    this.namespaceController.queue.shutdown();
    this.gc.queue.shutdown();
    this.eventTtl.stop();
    this.core.hub.closeAll();
    if (this.#server) {
      const server = this.#server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
    }
    await this.core.store.close();
  }

  #tokenMatches(token: string): boolean {
    return timingSafeEqual(createHash('sha256').update(token).digest(), this.#tokenHash);
  }

  #authenticated(req: IncomingMessage): boolean | 'anonymous' {
    const h = req.headers.authorization;
    if (!h) return 'anonymous';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return false;
    return this.#tokenMatches(m[1]!.trim());
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const warnings: string[] = [];
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const auth = this.#authenticated(req);
      if (auth === false || (auth === 'anonymous' && !ANONYMOUS_PATHS.has(url.pathname))) {
        req.resume();
        writeStatus(res, unauthorized().status);
        return;
      }
      const info = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      if (info.isResourceRequest) {
        this.#opts.audit?.({
          verb: info.verb, group: info.group, resource: info.resource, subresource: info.subresource,
          namespace: info.namespace, name: info.name, userAgent: req.headers['user-agent'] ?? '',
        });
        await this.#resource(req, res, info, url.searchParams, warnings);
        return;
      }
      req.resume();
      this.#nonResource(req, res, url);
    } catch (e) {
      writeError(res, e, warnings, this.core.log);
    }
  }

  #nonResource(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') return writeNotFoundPage(res);
    if (p === '/healthz' || p === '/livez' || p === '/readyz') {
      const ok = p !== '/readyz' || this.#ready;
      res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(ok ? 'ok' : '[-]shutdown failed: reason withheld\nreadyz check failed');
      return;
    }
    if (p === '/version') return writeRawJson(res, 200, versionInfo());
    if (p === '/') {
      const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'];
      for (const g of this.registry.groups()) if (g.group) { paths.push(`/apis/${g.group}`); for (const v of g.versions) paths.push(`/apis/${g.group}/${v}`); }
      return writeRawJson(res, 200, { paths: paths.sort() });
    }
    if (p === '/api' || p === '/apis') {
      const agg = wantsAggregated(req.headers.accept);
      if (agg) {
        const text = JSON.stringify(aggregatedDiscovery(this.registry, p === '/api', agg));
        const etag = etagOf(text);
        if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag }); res.end(); return; }
        res.writeHead(200, { 'Content-Type': aggregatedContentType(agg), ETag: etag, Vary: 'Accept', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      return this.#json(res, p === '/api' ? legacyApiVersions(this.#address) : legacyGroupList(this.registry));
    }
    const parts = p.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = legacyGroup(this.registry, parts[1]!);
      return g ? this.#json(res, g) : writeNotFoundPage(res);
    }
    if ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3)) {
      const doc = parts[0] === 'api' ? legacyResourceList(this.registry, '', parts[1]!) : legacyResourceList(this.registry, parts[1]!, parts[2]!);
      return doc ? this.#json(res, doc) : writeNotFoundPage(res);
    }
    if (p === '/openapi/v3') return this.#json(res, this.#openapi.root());
    if (parts[0] === 'openapi' && parts[1] === 'v3') {
      const doc = parts[2] === 'api' && parts.length === 4 ? this.#openapi.groupVersion('', parts[3]!)
        : parts[2] === 'apis' && parts.length === 5 ? this.#openapi.groupVersion(parts[3]!, parts[4]!) : undefined;
      return doc ? this.#json(res, doc) : writeNotFoundPage(res);
    }
    if (p === '/openapi/v2') {
      const acceptsJson = parseAccept(req.headers.accept).some((r) => r.q > 0 && (r.type === '*' || `${r.type}/${r.subtype}` === 'application/json' || (r.type === 'application' && r.subtype === '*')));
      if (!acceptsJson) {
        return writeStatus(res, notAcceptable(['application/json']).status);
      }
      return this.#json(res, this.#openapi.v2());
    }
    writeNotFoundPage(res);
  }

  #json(res: ServerResponse, body: Obj): void {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  async #resource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, warnings: string[]): Promise<void> {
    const t = this.registry.lookup(info.group, info.version, info.resource);
    const notServed = () => { req.resume(); writeNotFoundPage(res); };
    if (!t || !info.verb) return notServed();
    const isNamespaceKind = t.group === '' && t.resource === 'namespaces';
    let ns = info.namespace;
    if (isNamespaceKind) ns = '';
    else if (!t.namespaced && ns && !t.review) return notServed();
    else if (t.namespaced && !ns && !['list', 'watch'].includes(info.verb)) return notServed();
    if (info.subresource) {
      const sub = t.subresources.find((x) => x.name === info.subresource);
      if (!sub) {
        if (t.custom) { req.resume(); throw notFound(t.gr, info.name); }
        return notServed();
      }
      if (!sub.verbs.includes(info.verb)) { req.resume(); throw methodNotSupported(t.gr, info.verb); }
    } else if (!t.verbs.includes(info.verb)) {
      req.resume();
      throw methodNotSupported(t.gr, info.verb);
    }
    const ctx: Ctx = { req, res, info, query, type: t, ns, core: this.core, warnings };
    try {
      switch (info.verb) {
        case 'get': await handleGet(ctx); break;
        case 'list': req.resume(); await handleList(ctx); break;
        case 'watch': req.resume(); await handleWatch(ctx); break;
        case 'create': await handleCreate(ctx); break;
        case 'update': await handleUpdate(ctx); break;
        case 'patch': await handlePatch(ctx); break;
        case 'delete': await handleDelete(ctx); break;
        case 'deletecollection': await handleDeleteCollection(ctx); break;
        default: req.resume(); throw methodNotSupported(t.gr, info.verb);
      }
    } catch (e) {
      req.resume();
      setWarnings(res, []);
      writeError(res, e, warnings, this.core.log);
    }
  }
}
