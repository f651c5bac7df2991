// POST, PUT and DELETE of resources (handlers/create.go, update.go, delete.go order of checks:
// output negotiation 406, input type 415, body size 413, options 422, decode 400, admission,
// then the registry's 422/409).
import type { FieldError } from '../schema/index.js';
import type { Obj } from '../objects.js';
import { goStringSlice } from '../schema/go-format.js';
import { badRequest, fromStatus, methodNotSupported, successStatus } from '../status.js';
import { writeObject } from '../http/respond.js';
import { peekMeta } from '../objects.js';
import { IMMORTAL_NAMESPACES, type DeleteOptions } from '../object-ops.js';
import { forbidden } from '../status.js';
import { asListItem, asServed, builtinRefusal, type Ctx } from './context.js';
import { checkInputType, checkName, decodeObject, readRequestBody, wipeSystemFields, writeOptions } from './decode-request.js';
import { negotiate, selection, snapshot } from './read.js';
import { parseJson } from '../schema/index.js';
import { apiVersionOf } from '../resource-type.js';
import { invalidStatus } from '../schema/index.js';
import { BuiltinRequestError } from '../builtins/index.js';
import { fieldTracker } from './track-fields.js';

const CRD_SETTLE_MS = 2000;

/** customresource_handler: creates right after establishment wait until the CRD settled (HA safety). */
async function crdSettle(ctx: Ctx): Promise<void> {
  const t = ctx.type;
  if (!t.custom) return;
  const crdName = `${t.resource}.${t.group}`;
  const crd = ctx.core.store.get(ctx.core.registry.crdType.bucket, crdName);
  if (crd && ctx.core.registry.isCrdTerminating(crd)) {
    const e = methodNotSupported(t.gr, 'create');
    e.status.message = 'create not allowed while custom resource definition is terminating';
    throw e;
  }
  const at = ctx.core.registry.establishedAt.get(crdName);
  if (at !== undefined && Date.now() - at < CRD_SETTLE_MS) {
    await new Promise((r) => setTimeout(r, CRD_SETTLE_MS - (Date.now() - at)));
  }
}

export async function handleCreate(ctx: Ctx): Promise<void> {
  const out = negotiate(ctx, { transforms: false, list: false });
  const format = checkInputType(ctx);
  const body = await readRequestBody(ctx);
  const opts = writeOptions(ctx, 'CreateOptions');
  const t = ctx.type;
  const obj = decodeObject(ctx, format, body, opts.fieldValidation);
  if (t.review) {
    let result: Obj;
    try {
      result = t.review(obj, ctx.core.reviewContext(ctx.info.namespace, ctx.user));
    } catch (e) {
      if (e instanceof BuiltinRequestError) throw builtinRefusal(e);
      throw e;
    }
    writeObject(ctx.res, 201, result, out, ctx.warnings);
    return;
  }
  wipeSystemFields(obj);
  const m = peekMeta(obj);
  const ns = t.namespaced ? ctx.ns : '';
  if (t.namespaced && m.namespace && m.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  ctx.core.ops.admitNamespace(t, ns, 'create', m.name ?? '');
  fieldTracker(ctx)?.(undefined, obj);
  await crdSettle(ctx);
  const r = await ctx.core.ops.create(t, ns, obj, { dryRun: opts.dryRun });
  ctx.warnings.push(...r.warnings);
  writeObject(ctx.res, 201, asServed(t, r.obj), out, ctx.warnings);
}

export async function handleUpdate(ctx: Ctx): Promise<void> {
  const out = negotiate(ctx, { transforms: false, list: false });
  const format = checkInputType(ctx);
  const body = await readRequestBody(ctx);
  const opts = writeOptions(ctx, 'UpdateOptions');
  const t = ctx.type;
  const obj = decodeObject(ctx, format, body, opts.fieldValidation);
  checkName(ctx, obj);
  const ns = t.namespaced ? ctx.ns : '';
  ctx.core.ops.admitNamespace(t, ns, 'update', ctx.info.name);
  const sub = ctx.info.subresource || undefined;
  const r = await ctx.core.ops.update(t, ns, ctx.info.name, obj, { dryRun: opts.dryRun, subresource: sub, trackFields: fieldTracker(ctx) });
  ctx.warnings.push(...r.warnings);
  writeObject(ctx.res, r.created ? 201 : 200, asServed(t, r.obj), out, ctx.warnings);
}

/** DeleteOptions from the query and an optional JSON body (the body wins). */
async function deleteOptions(ctx: Ctx): Promise<DeleteOptions> {
  const q = ctx.query;
  const raw: Obj = {};
  if (q.has('gracePeriodSeconds')) raw.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.has('propagationPolicy')) raw.propagationPolicy = q.get('propagationPolicy');
  if (q.has('orphanDependents')) raw.orphanDependents = q.get('orphanDependents') === 'true';
  if (q.getAll('dryRun').length) raw.dryRun = q.getAll('dryRun');
  const body = await readRequestBody(ctx);
  if (body.length > 0) {
    const p = parseJson(body.toString('utf8'));
    if (p.syntax !== undefined) throw badRequest(`couldn't get version/kind; json parse error: ${p.syntax}`);
    if (p.value && typeof p.value === 'object' && !Array.isArray(p.value)) Object.assign(raw, p.value);
  }
  const errs: FieldError[] = [];
  const pp = raw.propagationPolicy as string | undefined;
  if (pp !== undefined && raw.orphanDependents !== undefined) {
    errs.push({ type: 'FieldValueInvalid', field: 'propagationPolicy', badValue: pp, detail: 'orphanDependents and deletionPropagation cannot be both set' });
  }
  if (pp !== undefined && !['Foreground', 'Background', 'Orphan'].includes(pp)) {
    errs.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: pp, supported: ['Foreground', 'Background', 'Orphan', 'nil'] });
  }
  const dryRun = (raw.dryRun ?? []) as string[];
  if (dryRun.some((d) => d !== 'All')) errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', badValue: goStringSlice(dryRun), supported: ['All'] });
  if (errs.length) throw fromStatus(invalidStatus('meta.k8s.io', 'DeleteOptions', '', errs));
  const pre = raw.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  return {
    propagationPolicy: pp as DeleteOptions['propagationPolicy'],
    orphanDependents: raw.orphanDependents as boolean | undefined,
    gracePeriodSeconds: raw.gracePeriodSeconds as number | undefined,
    preconditions: pre ?? undefined,
    dryRun: dryRun.length > 0,
  };
}

export async function handleDelete(ctx: Ctx): Promise<void> {
  const out = negotiate(ctx, { transforms: false, list: false });
  const opts = await deleteOptions(ctx);
  const t = ctx.type;
  const ns = t.namespaced ? ctx.ns : '';
  if (t.group === '' && t.resource === 'namespaces' && IMMORTAL_NAMESPACES.includes(ctx.info.name)) {
    throw forbidden(t.gr, ctx.info.name, 'this namespace may not be deleted');
  }
  const r = await ctx.core.ops.delete(t, ns, ctx.info.name, opts);
  const code = !r.deleted && opts.orphanDependents === false ? 202 : 200;
  if (r.deleted && !(t.group === '' && t.resource === 'namespaces')) {
    const m = peekMeta(r.obj);
    writeObject(ctx.res, code, successStatus({ name: m.name, group: t.group, kind: t.resource, uid: m.uid }), out, ctx.warnings);
    return;
  }
  writeObject(ctx.res, code, asServed(t, r.obj), out, ctx.warnings);
}

export async function handleDeleteCollection(ctx: Ctx): Promise<void> {
  const out = negotiate(ctx, { transforms: false, list: false });
  const opts = await deleteOptions(ctx);
  const t = ctx.type;
  const sel = selection(ctx);
  const items: Obj[] = [];
  for (const o of snapshot(ctx, sel)) {
    const m = peekMeta(o);
    if (t.group === '' && t.resource === 'namespaces' && IMMORTAL_NAMESPACES.includes(m.name!)) continue;
    try {
      const r = await ctx.core.ops.delete(t, m.namespace, m.name!, opts);
      items.push(asListItem(t, r.obj));
    } catch (e) {
      // NB: an object deleted concurrently is simply no longer part of the collection.
      if ((e as { status?: { code?: number } }).status?.code !== 404) throw e;
    }
  }
  writeObject(ctx.res, 200, { apiVersion: apiVersionOf(t), kind: t.listKind, metadata: { resourceVersion: String(ctx.core.store.resourceVersion) }, items }, out, ctx.warnings);
}

