// /openapi/v2 as kube-openapi's handler serves it (pkg/handler/handler.go): JSON, or the gnostic
// openapi_v2.Document protobuf (gnostic-models openapiv2/OpenAPIv2.proto) that client-go's
// DiscoveryClient.OpenAPISchema asks for exclusively. kubectl's fallback field-validation check
// (cli-runtime pkg/resource/query_param_verifier.go) reads only the paths' PATCH operations:
// their x-kubernetes-group-version-kind extension and their fieldValidation query parameter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'yaml';
import type { Obj } from './objects.js';
import { parseAccept } from './http/negotiate.js';
import { writeStatus } from './http/respond.js';
import { notAcceptable } from './status.js';

const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const OPENAPI_V2_PROTOBUF_LEGACY = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** protobuf wire format: fields appended as tag + value */
class Message {
  readonly #parts: Buffer[] = [];

  #varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.#parts.push(Buffer.from(bytes));
  }

  bytes(field: number, value: Buffer): this {
    this.#varint((field << 3) | 2);
    this.#varint(value.length);
    this.#parts.push(value);
    return this;
  }

  string(field: number, value: string | undefined): this {
    if (value) this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (value) {
      this.#varint(field << 3);
      this.#varint(1);
    }
    return this;
  }

  message(field: number, m: Message | undefined): this {
    if (m) this.bytes(field, m.encode());
    return this;
  }

  encode(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Obj : {});
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** NamedAny{name, Any{yaml}} for each x- key (gnostic keeps vendor extensions as YAML text) */
function vendorExtensions(m: Message, field: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    m.message(field, new Message().string(1, k).message(2, new Message().string(2, stringify(v))));
  }
}

function parameter(p: Obj): Message {
  // ParametersItem{Parameter{NonBodyParameter{QueryParameterSubSchema}}}; only query parameters are published
  const q = new Message()
    .bool(1, p.required === true).string(2, p.in as string).string(3, p.description as string)
    .string(4, p.name as string).string(6, p.type as string).bool(20, p.uniqueItems === true);
  return new Message().message(1, new Message().message(2, new Message().message(3, q)));
}

function operation(op: Obj): Message {
  const m = new Message().string(3, op.description as string).string(5, op.operationId as string);
  for (const s of asStrings(op.produces)) m.string(6, s);
  for (const s of asStrings(op.consumes)) m.string(7, s);
  for (const p of Array.isArray(op.parameters) ? op.parameters : []) m.message(8, parameter(asObj(p)));
  const responses = new Message();
  for (const [code, r] of Object.entries(asObj(op.responses))) {
    const response = new Message().string(1, asObj(r).description as string);
    responses.message(1, new Message().string(1, code).message(2, new Message().message(1, response)));
  }
  m.message(9, responses);
  vendorExtensions(m, 13, op);
  return m;
}

const VERBS: [string, number][] = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

/** The Swagger 2.0 JSON document as an openapi_v2.Document message. */
function encodeOpenApiV2(doc: Obj): Buffer {
  const info = asObj(doc.info);
  const paths = new Message();
  for (const [p, item] of Object.entries(asObj(doc.paths))) {
    const pi = new Message();
    for (const [verb, field] of VERBS) {
      const op = asObj(item)[verb];
      if (op) pi.message(field, operation(asObj(op)));
    }
    paths.message(2, new Message().string(1, p).message(2, pi));
  }
  return new Message()
    .string(1, doc.swagger as string)
    .message(2, new Message().string(1, info.title as string).string(2, info.version as string))
    .message(8, paths)
    .encode();
}

/** The first Accept clause kube-openapi can serve decides the format; none is a 406. */
export function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, doc: Obj): void {
  // the '@' form is asked for but is no valid media type to answer with (Go's mime.ParseMediaType
  // rejects it), so both protobuf forms are answered with the '.v1.0' one, as kube-openapi does
  const offered: [string, string][] = [['application/json', 'application/json'], [OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_LEGACY], [OPENAPI_V2_PROTOBUF_LEGACY, OPENAPI_V2_PROTOBUF_LEGACY]];
  for (const r of parseAccept(req.headers.accept)) {
    if (r.q <= 0) continue;
    for (const [mime, answered] of offered) {
      const [type, subtype] = mime.split('/') as [string, string];
      if ((r.type !== type && r.type !== '*') || (r.subtype !== subtype && r.subtype !== '*')) continue;
      const body = answered === 'application/json' ? Buffer.from(JSON.stringify(doc)) : encodeOpenApiV2(doc);
      res.writeHead(200, { 'Content-Type': answered, 'Content-Length': body.length });
      res.end(body);
      return;
    }
  }
  writeStatus(res, notAcceptable(['application/json', OPENAPI_V2_PROTOBUF]).status);
}
