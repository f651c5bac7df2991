// Turning a request body into the object a write works on, with the decode errors, strict field
// validation (Strict / Warn / Ignore) and write options of kube-apiserver's handlers.
import type { FieldError } from '../schema/index.js';
import type { Obj } from '../objects.js';
import { goStringSlice } from '../schema/go-format.js';
import { badRequest, fromStatus } from '../status.js';
import { BodyTooLarge, DecodeError, decodeBody, expectObject, inputFormat, JSON_YAML, JSON_YAML_PROTOBUF, readBody, summarizeData, tooLargeError } from '../http/body.js';
import { apiVersionOf } from '../resource-type.js';
import { metaOf } from '../objects.js';
import type { Ctx } from './context.js';
import { invalidStatus, MetadataDecodeError } from '../schema/index.js';
import { BuiltinDecodeError, ProtobufDecodeError } from '../builtins/index.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

/** Create/Update/PatchOptions from the query, validated as ValidateCreateOptions does (422). */
export function writeOptions(ctx: Ctx, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', extra: FieldError[] = []): WriteOptions {
  const q = ctx.query;
  const errs: FieldError[] = [];
  const fm = q.get('fieldManager') ?? '';
  if (fm.length > 128) errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', badValue: fm, detail: 'must have at most 128 bytes' });
  for (let i = 0; i < fm.length; i++) {
    const c = fm.codePointAt(i)!;
    if (c < 0x20 || c === 0x7f) {
      errs.push({ type: 'FieldValueInvalid', field: 'fieldManager', badValue: fm, detail: `invalid character U+${c.toString(16).toUpperCase().padStart(4, '0')} (at position ${i})` });
      break;
    }
  }
  const dryRun = q.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', badValue: goStringSlice(dryRun), supported: ['All'] });
  const fv = q.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Strict', 'Warn'].includes(fv)) errs.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', badValue: fv, supported: ['', 'Ignore', 'Strict', 'Warn'] });
  errs.push(...extra);
  if (errs.length) throw fromStatus(invalidStatus('meta.k8s.io', kind, '', errs));
  return { dryRun: dryRun.length > 0, fieldValidation: (fv || 'Warn') as FieldValidation };
}

export async function readRequestBody(ctx: Ctx): Promise<Buffer> {
  try {
    return await readBody(ctx.req);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      if (e.closeConnection) ctx.res.setHeader('Connection', 'close');
      throw tooLargeError();
    }
    throw e;
  }
}

/** The Content-Type must be one the resource decodes (415 otherwise); checked before the body is read. */
export function checkInputType(ctx: Ctx): 'json' | 'yaml' | 'protobuf' {
  const protobuf = !ctx.type.custom && ctx.type.builtin;
  return inputFormat(ctx.req.headers['content-type'], protobuf ? JSON_YAML_PROTOBUF : JSON_YAML);
}

/**
 * Decodes a create/update body into ctx.type's object: serializer errors become the 400 of
 * transformDecodeError, unknown and duplicate fields follow the fieldValidation directive.
 */
export function decodeObject(ctx: Ctx, format: 'json' | 'yaml' | 'protobuf', body: Buffer, fv: FieldValidation): Obj {
  const t = ctx.type;
  const gvk = `${t.kind} in version ${JSON.stringify(t.version)} cannot be handled as a ${t.kind}`;
  let decoded;
  try {
    decoded = decodeBody(format, body, { group: t.group, version: t.version, kind: t.kind });
  } catch (e) {
    if (e instanceof DecodeError) throw badRequest(`the object provided is unrecognized (must be of type ${t.kind}): ${e.message} (${summarizeData(body)})`);
    throw e;
  }
  let obj: Obj;
  try {
    obj = expectObject(decoded.value);
  } catch (e) {
    if (e instanceof DecodeError) throw badRequest(`the object provided is unrecognized (must be of type ${t.kind}): ${e.message} (${summarizeData(body)})`);
    throw e;
  }
  if (obj.kind === undefined || obj.kind === '') {
    if (t.custom) {
      throw badRequest(`the object provided is unrecognized (must be of type ${t.kind}): Object 'Kind' is missing in '${body.toString('utf8')}' (${summarizeData(body)})`);
    }
    obj.kind = t.kind;
  }
  if ((obj.apiVersion === undefined || obj.apiVersion === '') && !t.custom) obj.apiVersion = apiVersionOf(t);
  if (obj.apiVersion !== apiVersionOf(t)) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion ?? '')}) does not match the expected API version (${apiVersionOf(t)})`);
  }
  if (obj.kind !== t.kind) {
    throw badRequest(`${t.kind} in version ${JSON.stringify(t.version)} cannot be handled as a ${String(obj.kind)}: no kind ${JSON.stringify(obj.kind)} is registered for version ${JSON.stringify(apiVersionOf(t))}`);
  }
  const strict = fv === 'Ignore' ? [] : decoded.strictErrors;
  let unknown: string[];
  try {
    unknown = t.decode(obj);
  } catch (e) {
    if (e instanceof BuiltinDecodeError || e instanceof ProtobufDecodeError || e instanceof MetadataDecodeError) throw badRequest(`${gvk}: ${(e as Error).message}`);
    throw e;
  }
  if (fv !== 'Ignore') strict.push(...unknown.map((p) => `unknown field "${p}"`));
  if (strict.length) {
    if (fv === 'Strict') throw badRequest(`${gvk}: strict decoding error: ${strict.join(', ')}`);
    ctx.warnings.push(...strict.flatMap(splitYamlWarning));
  }
  return obj;
}

/** parseYAMLWarnings: a YAML strict error lists one violation per line. */
function splitYamlWarning(w: string): string[] {
  const prefix = 'yaml: unmarshal errors:\n';
  if (!w.startsWith(prefix)) return [w];
  return w.slice(prefix.length).split('\n').map((s) => s.trim());
}

/** WipeObjectMetaSystemFields: clients cannot set these on create. */
export function wipeSystemFields(obj: Obj): void {
  const m = metaOf(obj);
  delete m.creationTimestamp;
  delete m.uid;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
}

/** checkName: the body's name and namespace must match the URL. */
export function checkName(ctx: Ctx, obj: Obj): void {
  const m = metaOf(obj);
  const name = m.name ?? '';
  if (name !== ctx.info.name) throw badRequest(`the name of the object (${name}) does not match the name on the URL (${ctx.info.name})`);
  if (ctx.ns && m.namespace && m.namespace !== ctx.ns) {
    throw badRequest(`the namespace of the object (${m.namespace}) does not match the namespace on the request (${ctx.ns})`);
  }
}
