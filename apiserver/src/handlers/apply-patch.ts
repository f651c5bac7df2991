// PATCH with application/apply-patch+yaml: server-side apply (handlers/patch.go applyPatcher,
// forceAllowCreate; rest.go PatchOptions validation: fieldManager is required, force only here).
import type { FieldError } from '../schema/index.js';
import type { Obj } from '../objects.js';
import { badRequest, notFound } from '../status.js';
import { writeObject } from '../http/respond.js';
import { DecodeError, decodeYaml } from '../http/body.js';
import { deepClone, isObj } from '../objects.js';
import { asServed, boolParam, type Ctx } from './context.js';
import { checkName, readRequestBody, writeOptions } from './decode-request.js';
import { negotiate } from './read.js';
import { applyConfiguration } from '../apply/field-manager.js';
import { fieldManagerScope } from '../apply/resource-scope.js';

export async function handleApply(ctx: Ctx): Promise<void> {
  const t = ctx.type;
  const out = negotiate(ctx, { transforms: false, list: false });
  const body = await readRequestBody(ctx);
  const manager = ctx.query.get('fieldManager') ?? '';
  const required: FieldError[] = manager ? [] : [{ type: 'FieldValueRequired', field: 'fieldManager', badValue: '', detail: 'is required for apply patch' }];
  const opts = writeOptions(ctx, 'PatchOptions', required);
  const force = boolParam(ctx.query, 'force') ?? false;
  const sub = ctx.info.subresource || undefined;
  const scope = fieldManagerScope(t, sub);
  if (!scope) throw notFound(t.gr, ctx.info.name);

  let config: Obj;
  let strictErrors: string[];
  try {
    const d = decodeYaml(body.toString('utf8'));
    config = isObj(d.value) ? d.value : {};
    strictErrors = d.strictErrors;
  } catch (e) {
    if (e instanceof DecodeError) throw badRequest(`error decoding YAML: ${e.message.replace(/^error converting YAML to JSON: /, '')}`);
    throw e;
  }

  const ns = t.namespaced ? ctx.ns : '';
  const stored = ctx.core.store.getForWrite(t.bucket, ctx.core.ops.key(t, ns, ctx.info.name));
  if (!stored && sub) throw notFound(t.gr, ctx.info.name);
  const live: Obj = stored ? deepClone(asServed(t, stored)) : deepClone(scope.emptyObject);
  const { obj } = applyConfiguration(scope, live, config, manager, force);
  if (opts.fieldValidation !== 'Ignore' && strictErrors.length) {
    // applyPatcher checks the patch with yaml.UnmarshalStrict after applying it
    if (opts.fieldValidation === 'Strict') throw badRequest(`error strict decoding YAML: ${strictErrors.join(', ')}`);
    ctx.warnings.push(...strictErrors);
  }
  t.decode(obj);
  checkName(ctx, obj);
  ctx.core.ops.admitNamespace(t, ns, stored ? 'update' : 'create', ctx.info.name);
  const r = await ctx.core.ops.update(t, ns, ctx.info.name, obj, {
    dryRun: opts.dryRun, subresource: sub, forceAllowCreate: true,
    // managedFields were computed by the apply itself
    trackFields: () => undefined,
  });
  ctx.warnings.push(...r.warnings);
  writeObject(ctx.res, r.created ? 201 : 200, asServed(t, r.obj), out, ctx.warnings);
}
