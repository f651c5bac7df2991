// GET of one object and of lists: resourceVersion semantics, selectors, paging, Table output.
import type { FieldError } from '../schema/index.js';
import type { Obj } from '../objects.js';
import { badRequest, fromStatus, notFound, resourceExpired, timeoutError } from '../status.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, requiredFieldValue, SelectorError, type FieldTerm, type LabelSelector } from '../selectors.js';
import { negotiateOutput, isPrettyRequest, type Output } from '../http/negotiate.js';
import { writeObject } from '../http/respond.js';
import { renderTable, partialObjectMetadata, type IncludeObject } from '../table.js';
import { apiVersionOf } from '../resource-type.js';
import { peekMeta } from '../objects.js';
import { asListItem, asServed, boolParam, intParam, type Ctx } from './context.js';
import { invalidStatus } from '../schema/index.js';

const SERVED_MEDIA_TYPES = ['application/json', 'application/yaml'];

export function negotiate(ctx: Ctx, opts: { transforms: boolean; list: boolean }): Output {
  return negotiateOutput(ctx.req.headers.accept, {
    ...opts, supported: SERVED_MEDIA_TYPES, pretty: isPrettyRequest(ctx.req.headers['user-agent'], ctx.query),
  });
}

interface Selection {
  labels: LabelSelector;
  fields: FieldTerm[];
  match(obj: Obj): boolean;
}

/** labelSelector / fieldSelector as the list and watch handlers parse and transform them. */
export function selection(ctx: Ctx): Selection {
  const t = ctx.type;
  let labels: LabelSelector;
  let fields: FieldTerm[];
  try {
    labels = parseLabelSelector(ctx.query.get('labelSelector') ?? '');
    fields = parseFieldSelector(ctx.query.get('fieldSelector') ?? '');
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
  const probe: Obj = { metadata: {} };
  for (const f of fields) {
    if (t.fieldValue(probe, f.field) === undefined) throw badRequest(`field label not supported: ${f.field}`);
  }
  if (ctx.info.name) {
    const want = requiredFieldValue(fields, 'metadata.name');
    if (fields.length > 0 && want !== ctx.info.name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
    if (fields.length === 0) fields = [{ field: 'metadata.name', value: ctx.info.name, negate: false }];
  }
  const ns = ctx.ns;
  return {
    labels, fields,
    match: (o) => {
      const m = peekMeta(o);
      if (ns && m.namespace !== ns) return false;
      if (labels.length && !matchesLabels(labels, m.labels)) return false;
      if (fields.length && !matchesFields(fields, (f) => t.fieldValue(o, f) ?? '')) return false;
      return true;
    },
  };
}

export function listOptionsInvalid(errs: FieldError[]) {
  return fromStatus(invalidStatus('meta.k8s.io', 'ListOptions', '', errs));
}

function parseRv(v: string): number {
  if (!/^\d+$/.test(v)) throw badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Waits up to 3 s for a resourceVersion from the future, as the watch cache does. */
export async function waitForRv(ctx: Ctx, rv: number): Promise<void> {
  if (await ctx.core.hub.waitForRv(rv, 3000)) return;
  throw timeoutError(`Too large resource version: ${rv}, current: ${ctx.core.store.resourceVersion}`, 1,
    [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
}

function includeObject(ctx: Ctx): IncludeObject {
  const v = ctx.query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw fromStatus(invalidStatus('meta.k8s.io', 'TableOptions', '', [
    { type: 'FieldValueInvalid', field: 'includeObject', badValue: v, detail: "must be 'Metadata', 'Object', 'None', or empty" }]));
}

export async function handleGet(ctx: Ctx): Promise<void> {
  const out = negotiate(ctx, { transforms: true, list: false });
  const rvParam = ctx.query.get('resourceVersion') ?? '';
  if (rvParam !== '' && rvParam !== '0') await waitForRv(ctx, parseRv(rvParam));
  const stored = ctx.core.ops.get(ctx.type, ctx.ns, ctx.info.name);
  if (!stored) throw notFound(ctx.type.gr, ctx.info.name);
  const obj = asServed(ctx.type, stored);
  if (out.as === 'Table') {
    writeObject(ctx.res, 200, renderTable(ctx.type, [obj], {
      resourceVersion: peekMeta(obj).resourceVersion, includeObject: includeObject(ctx), noHeaders: false,
    }), out, ctx.warnings);
  } else if (out.as === 'PartialObjectMetadata') {
    writeObject(ctx.res, 200, partialObjectMetadata(obj), out, ctx.warnings);
  } else {
    writeObject(ctx.res, 200, obj, out, ctx.warnings);
  }
}

/** The filtered, key-ordered committed objects of the request's resource and namespace. */
export function snapshot(ctx: Ctx, sel: Selection): Obj[] {
  const items: Array<[string, Obj]> = [];
  for (const o of ctx.core.store.list(ctx.type.bucket)) {
    if (!sel.match(ctx.type.readView(o))) continue;
    const m = peekMeta(o);
    items.push([m.namespace ? `${m.namespace}/${m.name}` : m.name!, o]);
  }
  items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return items.map((x) => x[1]);
}

export function validateListOptions(ctx: Ctx, watch: boolean): FieldError[] {
  const q = ctx.query;
  const errs: FieldError[] = [];
  const match = q.get('resourceVersionMatch') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const cont = q.get('continue') ?? '';
  const sendInitial = q.get('sendInitialEvents');
  if (watch) {
    if (sendInitial !== null && match !== 'NotOlderThan') {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' });
    }
    if (match) {
      if (sendInitial === null) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' });
      if (match !== 'NotOlderThan') errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', badValue: match, supported: ['NotOlderThan'] });
      if (cont) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
    }
    return errs;
  }
  if (match) {
    if (!rv) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });
    if (cont) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', badValue: match, supported: ['Exact', 'NotOlderThan', ''] });
    if (match === 'Exact' && rv === '0') errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });
  }
  if (sendInitial !== null) errs.push({ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for list' });
  return errs;
}

export async function handleList(ctx: Ctx): Promise<void> {
  const limit = intParam(ctx.query, 'limit');
  boolParam(ctx.query, 'allowWatchBookmarks');
  const errs = validateListOptions(ctx, false);
  if (errs.length) throw listOptionsInvalid(errs);
  const out = negotiate(ctx, { transforms: true, list: true });
  const sel = selection(ctx);
  const rvParam = ctx.query.get('resourceVersion') ?? '';
  const match = ctx.query.get('resourceVersionMatch') ?? '';
  const cont = ctx.query.get('continue') ?? '';
  if (rvParam !== '' && rvParam !== '0' && !cont) {
    const rv = parseRv(rvParam);
    if (match === 'Exact' && rv < ctx.core.store.resourceVersion) {
      // Served from history by etcd until compaction; this store keeps no history.
      throw resourceExpired(`too old resource version: ${rv} (${ctx.core.store.resourceVersion})`);
    }
    await waitForRv(ctx, rv);
  }
  const page = cont
    ? ctx.core.pages.next(cont, limit)
    : ctx.core.pages.first(snapshot(ctx, sel), ctx.core.store.resourceVersion, limit);
  const t = ctx.type;
  if (out.as === 'Table') {
    writeObject(ctx.res, 200, renderTable(t, page.items.map((o) => asServed(t, o)), {
      resourceVersion: String(page.rv), continue: page.continueToken, remainingItemCount: page.remaining, includeObject: includeObject(ctx),
    }), out, ctx.warnings);
    return;
  }
  const metadata: Obj = { resourceVersion: String(page.rv) };
  if (page.continueToken) { metadata.continue = page.continueToken; metadata.remainingItemCount = page.remaining; }
  if (out.as === 'PartialObjectMetadataList') {
    writeObject(ctx.res, 200, {
      kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata,
      items: page.items.map((o) => partialObjectMetadata(asServed(t, o))),
    }, out, ctx.warnings);
    return;
  }
  writeObject(ctx.res, 200, {
    apiVersion: apiVersionOf(t), kind: t.listKind, metadata, items: page.items.map((o) => asListItem(t, o)),
  }, out, ctx.warnings);
}

export { parseRv };
