// PATCH (handlers/patch.go): JSON patch and merge patch for every kind, strategic merge patch for
// the built-in kinds through the builtins module, server-side apply in apply-patch.ts.
import type { FieldError } from '../schema/index.js';
import type { Obj } from '../objects.js';
import { ApiError, badRequest, genericUnprocessable, notFound, requestEntityTooLarge, unsupportedMediaType, fromStatus, type Status } from '../status.js';
import { writeObject, toJson } from '../http/respond.js';
import { parseMediaType } from '../http/negotiate.js';
import { parseJson } from '../schema/index.js';
import { applyJsonPatch, applyMergePatch, PatchFailed, type JsonPatchOp } from '../json-patch.js';
import { deepClone, isObj } from '../objects.js';
import { asServed, builtinRefusal, type Ctx } from './context.js';
import { checkName, readRequestBody, writeOptions, type FieldValidation } from './decode-request.js';
import { negotiate } from './read.js';
import { invalidStatus } from '../schema/index.js';
import { BuiltinRequestError, strategicMergePatch } from '../builtins/index.js';
import { handleApply } from './apply-patch.js';
import { fieldTracker } from './track-fields.js';

const MAX_JSON_PATCH_OPS = 10000;
const APPLY = 'application/apply-patch+yaml';

export async function handlePatch(ctx: Ctx): Promise<void> {
  const t = ctx.type;
  const ct = parseMediaType(ctx.req.headers['content-type'] ?? '').base;
  if (!t.patchTypes.includes(ct)) throw unsupportedMediaType(t.patchTypes);
  if (ct === APPLY) return handleApply(ctx);
  const out = negotiate(ctx, { transforms: false, list: false });
  const body = await readRequestBody(ctx);
  const extra: FieldError[] = [];
  if (ctx.query.has('force')) extra.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  const opts = writeOptions(ctx, 'PatchOptions', extra);
  const ns = t.namespaced ? ctx.ns : '';
  const current = ctx.core.store.getForWrite(t.bucket, ctx.core.ops.key(t, ns, ctx.info.name));
  if (!current) throw notFound(t.gr, ctx.info.name);
  const currentObj = deepClone(asServed(t, current));
  const strict: string[] = [];
  let patched: unknown;
  const text = body.toString('utf8');
  if (ct === 'application/json-patch+json') {
    patched = jsonPatch(currentObj, text, opts.fieldValidation, strict);
  } else {
    const patch = mapPatch(text, opts.fieldValidation, strict);
    if (ct === 'application/merge-patch+json' || !t.builtin) {
      patched = applyMergePatch(currentObj, patch);
    } else {
      try {
        patched = strategicMergePatch(t.builtin!, currentObj, patch);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        if (e instanceof BuiltinRequestError) throw builtinRefusal(e);
        const st = (e as { status?: Status }).status;
        if (st && st.kind === 'Status') throw fromStatus(st);
        throw badRequest((e as Error).message);
      }
    }
  }
  if (!isObj(patched)) {
    throw invalidPatch(toJson(patched), `json: cannot unmarshal ${Array.isArray(patched) ? 'array' : typeof patched} into Go value of type map[string]interface {}`);
  }
  const obj = patched;
  const unknown = t.decode(obj);
  if (opts.fieldValidation !== 'Ignore') strict.push(...unknown.map((p) => `unknown field "${p}"`));
  if (strict.length) {
    if (opts.fieldValidation === 'Strict') throw invalidPatch(toJson(obj), `strict decoding error: ${strict.join(', ')}`);
    ctx.warnings.push(...strict);
  }
  checkName(ctx, obj);
  ctx.core.ops.admitNamespace(t, ns, 'update', ctx.info.name);
  const sub = ctx.info.subresource || undefined;
  const r = await ctx.core.ops.update(t, ns, ctx.info.name, obj, { dryRun: opts.dryRun, subresource: sub, trackFields: fieldTracker(ctx) });
  ctx.warnings.push(...r.warnings);
  writeObject(ctx.res, 200, asServed(t, r.obj), out, ctx.warnings);
}

/** NewInvalid(GroupKind{}, "", patch: Invalid value: <patched object>: <detail>) */
function invalidPatch(patchedJson: string, detail: string) {
  return fromStatus(invalidStatus('', '', '', [
    { type: 'FieldValueInvalid', field: 'patch', badValue: patchedJson, detail },
  ]));
}

function jsonPatch(current: Obj, text: string, fv: FieldValidation, strict: string[]): unknown {
  const p = parseJson(text);
  if (p.syntax !== undefined) throw badRequest(fv === 'Ignore' ? p.syntax : `error decoding patch: ${p.syntax}`);
  const ops = p.value;
  if (!Array.isArray(ops) || ops.some((o) => !isObj(o))) {
    const what = Array.isArray(ops) ? 'array' : ops === null ? 'null' : isObj(ops) ? 'object' : typeof ops;
    const bad = Array.isArray(ops) ? ops.find((o) => !isObj(o)) : undefined;
    const elem = bad === null ? 'null' : typeof bad === 'boolean' ? 'bool' : Array.isArray(bad) ? 'array' : typeof bad;
    if (fv !== 'Ignore') {
      throw badRequest(what === 'array'
        ? `error decoding patch: json: cannot unmarshal ${elem} into Go value of type handlers.jsonPatchOp`
        : `error decoding patch: json: cannot unmarshal ${what} into Go value of type []handlers.jsonPatchOp`);
    }
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`);
  }
  if (fv !== 'Ignore') {
    for (const op of ops as Obj[]) {
      for (const k of Object.keys(op)) if (!['op', 'path', 'from', 'value'].includes(k)) strict.push(`json patch unknown field "${k}"`);
    }
  }
  if (ops.length > MAX_JSON_PATCH_OPS) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPS}, got ${ops.length}`);
  }
  try {
    return applyJsonPatch(current, ops as JsonPatchOp[]);
  } catch (e) {
    if (e instanceof PatchFailed) throw genericUnprocessable();
    throw e;
  }
}

function mapPatch(text: string, fv: FieldValidation, strict: string[]): Obj {
  const p = parseJson(text);
  if (p.syntax !== undefined) throw badRequest(`error decoding patch: ${p.syntax}`);
  const { value, duplicates } = p;
  if (!isObj(value)) {
    const what = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'boolean' ? 'bool' : typeof value;
    if (value === null) return {};
    throw badRequest(fv === 'Ignore' ? 'Invalid JSON Patch' : `error decoding patch: json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  if (fv !== 'Ignore') strict.push(...duplicates.map((d) => `duplicate field "${d}"`));
  return value;
}
