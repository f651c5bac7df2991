// The API server: HTTPS listener, bearer-token authentication, routing of non-resource paths
// (health, version, discovery, OpenAPI) and resource requests, and the in-process controllers.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Obj } from './objects.js';
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
import { methodNotSupported, notFound, unauthorized } from './status.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { aggregatedContentType, aggregatedDiscovery, etagOf, legacyApiVersions, legacyGroup, legacyGroupList, legacyResourceList, wantsAggregated } from './discovery.js';
import { OpenApi } from './openapi-endpoints.js';
import { serveOpenApiV2 } from './openapi-v2-protobuf.js';
import { versionInfo } from './version.js';
import { ALL_AUTHENTICATED, SYSTEM_MASTERS, anonymousUser, withAuthenticatedGroup, type UserInfo } from './auth/user-info.js';
import { readTokenFile } from './auth/token-file.js';
import { ImpersonationError, impersonate, wantsImpersonation } from './auth/impersonation.js';
import { RbacAuthorizer } from './rbac/rbac-authorizer.js';
import { forbiddenError } from './rbac/forbidden-error.js';
import type { Attributes } from './rbac/policy-rules.js';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_ROLES } from './rbac/bootstrap-policy.js';
import { ClusterRoleAggregation } from './controllers/clusterrole-aggregation.js';
import { EscalationCheck, requestUser } from './rbac/escalation-check.js';
import { ApiServiceAvailability } from './controllers/apiservice-availability.js';
import { CrdRegistration } from './controllers/crd-registration.js';
import { Aggregator } from './aggregator/aggregator.js';
import { RemoteDiscovery } from './aggregator/remote-discovery.js';
import { ensureFrontProxyCertificates, type FrontProxyCertificates } from './aggregator/front-proxy-certificates.js';
import { AUTHENTICATION_CONFIGMAP, authenticationConfigMap } from './aggregator/authentication-configmap.js';
import { localApiServices } from './aggregator/local-apiservices.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, isLongRunning } from './http/long-running.js';
import { ValidatingPolicyAdmission } from './admission/validating-policy-admission.js';
import { attributesOf } from './admission/write-attributes.js';
import { ServerResponse as HttpServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';

interface ApiServerOptions {
  dataDir: string;
  /** bearer token of the all-powerful user (system:masters); health endpoints need no token */
  token: string;
  /** kube-apiserver's --token-auth-file: more users, each with its RBAC permissions */
  tokenAuthFile?: string;
  /** where the front-proxy CA and client certificate are kept (default: dataDir/pki) */
  pkiDir?: string;
  tls: { key: string | Buffer; cert: string | Buffer };
  log?: (message: string) => void;
  store?: StoreOptions;
  /** called for every authenticated resource request (like an audit log at Metadata level) */
  audit?: (entry: AuditEntry) => void;
  /** kube-apiserver's --request-timeout for requests that are not long-running (default 60 s) */
  requestTimeoutMs?: number;
}

export interface AuditEntry {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  userAgent: string;
  /** the user the request ran as (after impersonation) */
  user: string;
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
  readonly clusterRoleAggregation: ClusterRoleAggregation;
  readonly authorizer: RbacAuthorizer;
  readonly apiServiceAvailability: ApiServiceAvailability;
  readonly crdRegistration: CrdRegistration;
  readonly aggregator: Aggregator;
  /** the requestheader CA aggregated servers trust (published in extension-apiserver-authentication) */
  readonly frontProxy: FrontProxyCertificates;
  readonly #tokenUsers: Map<string, UserInfo>;
  readonly #opts: ApiServerOptions;
  readonly #tokenHash: Buffer;
  readonly #openapi: OpenApi;
  readonly #stop = new AbortController();
  #server?: https.Server;
  /** connections taken over by an upgrade: the HTTP server no longer tracks them */
  readonly #upgraded = new Set<Duplex>();
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
    this.#tokenUsers = opts.tokenAuthFile ? readTokenFile(opts.tokenAuthFile, log) : new Map();
    const authorizer = new RbacAuthorizer(store);
    this.authorizer = authorizer;
    this.core = {
      store, ops, hub, registry, pages: new ListPages(), log, stopping: this.#stop.signal,
      reviewContext: (namespace, user) => ({
        namespace: namespace || undefined, user, apiAudiences: [API_AUDIENCE],
        authenticateToken: (token) => this.#userOfToken(token),
        authorize: (a) => authorizer.authorize(a),
        rulesFor: (u, ns) => authorizer.rulesFor(u, ns),
      }),
    };
    this.clusterRoleAggregation = new ClusterRoleAggregation(ops, registry, log);
    const escalation = new EscalationCheck(authorizer, (kind, ns, name) => {
      const t = registry.lookup('rbac.authorization.k8s.io', 'v1', kind === 'Role' ? 'roles' : 'clusterroles');
      return kind === 'Role' || kind === 'ClusterRole' ? t && ops.get(t, ns, name) : undefined;
    });
    ops.admit = (t, obj) => { if (t.group === 'rbac.authorization.k8s.io') escalation.admit(t.resource, obj); };
    const policyAdmission = new ValidatingPolicyAdmission(store);
    ops.validatingAdmission = (w) => {
      const user = requestUser.getStore();
      // the server's own controllers write without a request user; kube's run as system users no policy targets
      if (!user) return;
      policyAdmission.validate(attributesOf(w, user, w.t.namespaced && w.namespace ? store.get('core/namespaces', w.namespace) : undefined));
    };
    this.frontProxy = ensureFrontProxyCertificates(opts.pkiDir ?? path.join(opts.dataDir, 'pki'));
    const remoteDiscovery = new RemoteDiscovery();
    this.aggregator = new Aggregator(store, this.frontProxy, remoteDiscovery, log);
    this.apiServiceAvailability = new ApiServiceAvailability(ops, registry, this.frontProxy, remoteDiscovery, log);
    this.crdRegistration = new CrdRegistration(ops, registry, log);
    this.crdController = new CrdController(ops, registry, hub, log);
    this.namespaceController = new NamespaceController(ops, registry, log);
    this.gc = new GarbageCollector(ops, registry, log);
    this.eventTtl = new EventTtl(store, log);
    this.#openapi = new OpenApi(registry, () => [...store.list(registry.crdType.bucket)]);
    // Controllers react outside any request: what they write is the server's own doing.
    store.onCommit = (changes) => requestUser.exit(() => {
      hub.onCommit(changes);
      this.crdController.onCommit(changes);
      this.namespaceController.onCommit(changes);
      this.gc.onCommit(changes);
      this.eventTtl.onCommit(changes);
      this.clusterRoleAggregation.onCommit(changes);
      this.apiServiceAvailability.onCommit(changes);
      this.crdRegistration.onCommit(changes);
    });
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
      await s.#bootstrapPolicy();
      s.clusterRoleAggregation.start();
      await s.#publishAuthenticationConfigMap();
      await s.#registerLocalApiServices();
      s.apiServiceAvailability.start();
      s.crdRegistration.start();
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

  /** the default roles and bindings (created when missing, as the rbac/bootstrap-roles hook does) */
  async #bootstrapPolicy(): Promise<void> {
    const rbac = (resource: string) => this.registry.lookup('rbac.authorization.k8s.io', 'v1', resource)!;
    const sets: Array<[string, Obj[]]> = [['clusterroles', BOOTSTRAP_CLUSTER_ROLES], ['clusterrolebindings', BOOTSTRAP_CLUSTER_ROLE_BINDINGS], ['roles', BOOTSTRAP_ROLES]];
    for (const [resource, objs] of sets) {
      const t = rbac(resource);
      for (const o of objs) {
        const meta = o['metadata'] as { name: string; namespace?: string };
        if (this.core.ops.get(t, meta.namespace, meta.name)) continue;
        await this.core.ops.create(t, meta.namespace, structuredClone(o), { dryRun: false });
      }
    }
  }

  /** kube-system/extension-apiserver-authentication, rewritten at every start */
  async #publishAuthenticationConfigMap(): Promise<void> {
    const t = this.registry.lookup('', 'v1', 'configmaps')!;
    const want = authenticationConfigMap(this.frontProxy.caCert);
    const { namespace, name } = AUTHENTICATION_CONFIGMAP;
    const have = this.core.ops.get(t, namespace, name);
    if (!have) {
      await this.core.ops.create(t, namespace, want, { dryRun: false });
    } else if (JSON.stringify(have['data']) !== JSON.stringify(want['data'])) {
      await this.core.ops.systemUpdate(t, { ...structuredClone(have), data: want['data'] });
    }
  }

  async #registerLocalApiServices(): Promise<void> {
    const t = this.registry.lookup('apiregistration.k8s.io', 'v1', 'apiservices')!;
    const builtinGroups = this.registry.groups().filter((g) => this.registry.typesOf(g.group, g.versions[0]!).some((x) => !x.custom));
    for (const a of localApiServices(builtinGroups)) {
      const name = (a['metadata'] as { name: string }).name;
      if (!this.core.ops.get(t, undefined, name)) await this.core.ops.create(t, undefined, a, { dryRun: false });
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
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // An upgrade request is answered like any other until a proxied backend switches protocols.
      const res = new HttpServerResponse(req);
      res.assignSocket(socket as never);
      res.shouldKeepAlive = false;
      res.on('finish', () => socket.end());
      socket.on('error', () => socket.destroy());
      this.#upgraded.add(socket);
      socket.once('close', () => this.#upgraded.delete(socket));
      void this.#handle(req, res, { socket, head });
    });
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
    this.clusterRoleAggregation.queue.shutdown();
    this.apiServiceAvailability.stop();
    this.crdRegistration.queue.shutdown();
    this.aggregator.close();
    this.core.hub.closeAll();
    if (this.#server) {
      const server = this.#server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const socket of this.#upgraded) socket.destroy();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
    }
    await this.core.store.close();
  }

  #tokenMatches(token: string): boolean {
    return timingSafeEqual(createHash('sha256').update(token).digest(), this.#tokenHash);
  }

  /** the admin token, then the token file (a union of token authenticators) */
  #userOfToken(token: string): UserInfo | undefined {
    if (this.#tokenMatches(token)) return { username: STANDALONE_USER, groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED] };
    const u = this.#tokenUsers.get(token);
    return u && withAuthenticatedGroup(u);
  }

  /** the bearer token's user; 'anonymous' without an Authorization header; undefined: refused (401) */
  #authenticate(req: IncomingMessage): UserInfo | 'anonymous' | undefined {
    const h = req.headers.authorization;
    if (!h) return 'anonymous';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return undefined;
    return this.#userOfToken(m[1]!.trim());
  }

  /** WithAuthorization (staging/src/k8s.io/apiserver/pkg/endpoints/filters/authorization.go) */
  #authorize(user: UserInfo, info: RequestInfo, pathname: string, method: string): void {
    const a: Attributes = info.isResourceRequest
      ? { user, verb: info.verb, isResourceRequest: true, namespace: info.namespace, apiGroup: info.group, apiVersion: info.version,
        resource: info.resource, subresource: info.subresource, name: info.name, path: pathname }
      : { user, verb: method.toLowerCase(), isResourceRequest: false, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '', path: pathname };
    const d = this.authorizer.authorize(a);
    if (!d.allowed) throw forbiddenError(a, d.reason);
  }

  async #handle(req: IncomingMessage, res: ServerResponse, upgrade?: { socket: Duplex; head: Buffer }): Promise<void> {
    const warnings: string[] = [];
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const auth = this.#authenticate(req);
      if (auth === undefined || (auth === 'anonymous' && !ANONYMOUS_PATHS.has(url.pathname))) {
        req.resume();
        writeStatus(res, unauthorized().status);
        return;
      }
      // Authorization is gone once authenticated, as WithAuthentication removes it.
      delete req.headers.authorization;
      let user = auth === 'anonymous' ? anonymousUser() : auth;
      const info = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      if (wantsImpersonation(req)) {
        let acting;
        try {
          acting = impersonate(req, user, (a) => this.authorizer.authorize(a));
        } catch (e) {
          if (!(e instanceof ImpersonationError)) throw e;
          req.resume();
          // responsewriters.InternalError
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
          res.end(`Internal Server Error: ${JSON.stringify(req.url ?? '/')}: ${e.message}\n`);
          return;
        }
        if ('attributes' in acting) throw forbiddenError(acting.attributes, acting.reason);
        user = acting;
      }
      this.#authorize(user, info, url.pathname, req.method ?? 'GET');
      const apiService = this.aggregator.apiServiceFor(url.pathname);
      if (apiService) {
        const timeoutMs = isLongRunning(info) ? undefined : this.#opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        this.aggregator.serve(req, res, url, apiService, user, timeoutMs, upgrade);
        return;
      }
      if (info.isResourceRequest) {
        this.#opts.audit?.({
          verb: info.verb, group: info.group, resource: info.resource, subresource: info.subresource,
          namespace: info.namespace, name: info.name, userAgent: req.headers['user-agent'] ?? '', user: user.username,
        });
        await requestUser.run(user, () => this.#resource(req, res, info, url.searchParams, warnings, user));
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
      for (const g of this.aggregator.groups()) { paths.push(`/apis/${g.group}`); for (const v of g.versions) paths.push(`/apis/${g.group}/${v}`); }
      return writeRawJson(res, 200, { paths: [...new Set(paths)].sort() });
    }
    if (p === '/api' || p === '/apis') {
      const agg = wantsAggregated(req.headers.accept);
      if (agg) {
        const doc = aggregatedDiscovery(this.registry, p === '/api', agg);
        if (p === '/apis') (doc['items'] as Obj[]).push(...this.aggregator.aggregatedItems());
        const text = JSON.stringify(doc);
        const etag = etagOf(text);
        if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag }); res.end(); return; }
        res.writeHead(200, { 'Content-Type': aggregatedContentType(agg), ETag: etag, Vary: 'Accept', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      return this.#json(res, p === '/api' ? legacyApiVersions(this.#address) : this.#groupList());
    }
    const parts = p.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = legacyGroup(this.registry, parts[1]!) ?? this.#aggregatedGroup(parts[1]!);
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
    if (p === '/openapi/v2') return serveOpenApiV2(req, res, this.#openapi.v2());
    writeNotFoundPage(res);
  }

  /** /apis: the server's own groups, then those of remote APIServices */
  #groupList(): Obj {
    const list = legacyGroupList(this.registry);
    const own = new Set((list['groups'] as Obj[]).map((g) => g['name']));
    for (const g of this.aggregator.groups()) if (!own.has(g.group)) (list['groups'] as Obj[]).push(this.#aggregatedGroup(g.group)!);
    return list;
  }

  #aggregatedGroup(group: string): Obj | undefined {
    const g = this.aggregator.groups().find((x) => x.group === group);
    if (!g) return undefined;
    const gv = (v: string) => ({ groupVersion: `${group}/${v}`, version: v });
    return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: g.versions.map(gv), preferredVersion: gv(g.versions[0]!) };
  }

  #json(res: ServerResponse, body: Obj): void {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  async #resource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, warnings: string[], user: UserInfo): Promise<void> {
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
    const ctx: Ctx = { req, res, info, query, type: t, ns, core: this.core, warnings, user };
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
