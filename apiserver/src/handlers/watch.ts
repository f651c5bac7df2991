// Watch: newline-delimited {"type","object"} events over a chunked 200 response, with the
// resourceVersion rules of the watch cache (initial ADDED for "" and "0", 410 Expired as an ERROR
// event when too old), bookmarks only when asked, sendInitialEvents, timeoutSeconds.
import type { Obj } from '../objects.js';
import { ApiError, resourceExpired } from '../status.js';
import { deliver, type EventType, type WatchSink } from '../watch/watch-cache.js';
import { toJson } from '../http/respond.js';
import { renderTable } from '../table.js';
import { apiVersionOf } from '../resource-type.js';
import { asServed, boolParam, intParam, type Ctx } from './context.js';
import { listOptionsInvalid, negotiate, parseRv, selection, snapshot, validateListOptions, waitForRv } from './read.js';

const BOOKMARK_INTERVAL_MS = 60_000;
/** a watcher whose client cannot keep up is closed (it will re-watch), as the cacher drops slow watchers */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const MIN_REQUEST_TIMEOUT_S = 1800;

export async function handleWatch(ctx: Ctx): Promise<void> {
  const timeoutSeconds = intParam(ctx.query, 'timeoutSeconds');
  const allowBookmarks = boolParam(ctx.query, 'allowWatchBookmarks');
  const sendInitial = boolParam(ctx.query, 'sendInitialEvents');
  const errs = validateListOptions(ctx, true);
  if (errs.length) throw listOptionsInvalid(errs);
  const out = negotiate(ctx, { transforms: true, list: false });
  const sel = selection(ctx);
  const t = ctx.type;
  const core = ctx.core;
  const hist = core.hub.ensure(t.bucket);
  const rvParam = ctx.query.get('resourceVersion') ?? '';
  const requested = rvParam === '' || rvParam === '0' ? undefined : parseRv(rvParam);
  // cacher.go Watch (1.32): only a watch with sendInitialEvents waits for the cache to reach the
  // resourceVersion (waitUntilWatchCacheFreshAndForceAllEvents), and its 3 s timeout becomes an
  // ERROR event (newErrWatcher). Any other watch from the future starts at once and, like
  // cacheWatcher.process, passes on only events newer than the requested resourceVersion.
  let notFresh: Obj | undefined;
  if (requested !== undefined && sendInitial === true) {
    try {
      await waitForRv(ctx, requested);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      notFresh = e.status as unknown as Obj;
    }
  }

  const res = ctx.res;
  const table = out.as === 'Table';
  let headerSent = false;
  res.writeHead(200, { 'Content-Type': out.contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let closed = false;
  const write = (type: EventType | 'BOOKMARK' | 'ERROR', obj: Obj): void => {
    if (closed) return;
    let payload: Obj = obj;
    if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
      payload = renderTable(t, [obj], {
        resourceVersion: String((obj.metadata as Obj | undefined)?.resourceVersion ?? ''), noHeaders: headerSent,
      });
      headerSent = true;
    }
    res.write(`${toJson({ type, object: payload })}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };

  const finish = (): void => {
    if (closed) return;
    closed = true;
    hist.sinks.delete(sink);
    clearTimeout(timeout);
    clearInterval(bookmarks);
    core.stopping.removeEventListener('abort', finish);
    res.end();
  };

  let lastRv = requested ?? core.store.resourceVersion;
  const startRv = lastRv;
  const sink: WatchSink = {
    match: (o) => sel.match(t.readView(o)),
    send: (type, obj, rv) => {
      if (rv <= startRv) return;
      lastRv = rv;
      if (obj) write(type as EventType, asServed(t, obj));
    },
    close: (expiredAt) => {
      if (expiredAt !== undefined) write('ERROR', resourceExpired(`too old resource version: ${lastRv} (${expiredAt})`).status as unknown as Obj);
      finish();
    },
  };

  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: Obj = { resourceVersion: String(core.store.resourceVersion) };
    if (!t.custom) metadata.creationTimestamp = null;
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: t.kind, apiVersion: apiVersionOf(t), metadata });
  };

  const timeoutMs = (timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds : MIN_REQUEST_TIMEOUT_S * (1 + Math.random())) * 1000;
  const timeout = setTimeout(finish, timeoutMs);
  const bookmarks = setInterval(() => { if (allowBookmarks && core.store.resourceVersion > startRv) bookmark(); }, BOOKMARK_INTERVAL_MS);
  res.on('close', finish);
  res.on('error', finish);
  core.stopping.addEventListener('abort', finish);

  if (notFresh) {
    write('ERROR', notFresh);
    finish();
    return;
  }
  // Everything from here to registering the sink is synchronous: no commit can slip in between.
  if (sendInitial === true || (sendInitial === undefined && requested === undefined)) {
    for (const o of snapshot(ctx, sel)) write('ADDED', asServed(t, o));
    if (sendInitial === true && allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else if (requested !== undefined) {
    const backlog = hist.since(requested);
    if (!backlog) {
      write('ERROR', resourceExpired(`too old resource version: ${requested} (${hist.startRv})`).status as unknown as Obj);
      finish();
      return;
    }
    for (const ev of backlog) deliver(sink, ev);
  }
  if (!closed) hist.sinks.add(sink);
}
