// Request bodies: the 3 MiB limit and decoding JSON, YAML and protobuf into objects, with the
// messages kube-apiserver's serializers produce.
import type { IncomingMessage } from 'node:http';
import { parseDocument } from 'yaml';
import type { Obj } from '../objects.js';
import { requestEntityTooLarge, unsupportedMediaType } from '../status.js';
import { isObj } from '../objects.js';
import { parseMediaType } from './negotiate.js';
import { parseJson } from '../schema/index.js';
import { decodeProtobufBody } from '../builtins/index.js';

/** etcd's default request size limit, which kube-apiserver uses as MaxRequestBodyBytes. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Past this the rest of an oversized body is not even read: the connection is closed after the 413. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {
  readonly code = 'APISERVER_ERR_BODY_TOO_LARGE';
  readonly closeConnection: boolean;
  constructor(closeConnection: boolean) {
    super('request body too large');
    this.closeConnection = closeConnection;
  }
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT) { req.pause(); reject(new BodyTooLarge(true)); }
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? reject(new BodyTooLarge(false)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function tooLargeError(limit = MAX_BODY_BYTES) {
  return requestEntityTooLarge(`limit is ${limit}`);
}

type InputFormat = 'json' | 'yaml' | 'protobuf';

export const JSON_YAML = ['application/json', 'application/yaml'];
export const JSON_YAML_PROTOBUF = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** NegotiateInputSerializer: no Content-Type means the first supported type (JSON). */
export function inputFormat(contentType: string | undefined, supported: string[]): InputFormat {
  const base = contentType ? parseMediaType(contentType).base : supported[0]!;
  if (base === 'application/json' && supported.includes(base)) return 'json';
  if (base === 'application/yaml' && supported.includes(base)) return 'yaml';
  if (base === 'application/vnd.kubernetes.protobuf' && supported.includes(base)) return 'protobuf';
  throw unsupportedMediaType(supported);
}

interface Decoded {
  value: unknown;
  /** strict decoding errors (duplicate fields), Go-worded: duplicate field "spec.x" */
  strictErrors: string[];
}

/** summarizeData in apiserver's rest.go: JSON shown as text, anything else as hex, cut at 30 bytes. */
export function summarizeData(data: Buffer, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  if (data[0] === 0x7b) return data.length > maxLength ? `${data.subarray(0, maxLength).toString('utf8')} ...` : data.toString('utf8');
  return data.length > maxLength ? `${data.subarray(0, maxLength).toString('hex')} ...` : data.toString('hex');
}

/** Thrown for a body that does not parse; message is the serializer's, for transformDecodeError. */
export class DecodeError extends Error {
  readonly code = 'APISERVER_ERR_DECODE';
}

function decodeJson(text: string): Decoded {
  const p = parseJson(text);
  if (p.syntax !== undefined) throw new DecodeError(`couldn't get version/kind; json parse error: ${p.syntax}`);
  return { value: p.value, strictErrors: p.duplicates.map((d) => `duplicate field "${d}"`) };
}

export function decodeYaml(text: string): Decoded {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  const fatal = doc.errors[0];
  if (fatal) {
    const line = fatal.linePos?.[0]?.line ?? 1;
    throw new DecodeError(`error converting YAML to JSON: yaml: line ${line}: ${goYamlMessage(fatal.code, fatal.message)}`);
  }
  const strictErrors: string[] = [];
  const strictDoc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (const e of strictDoc.errors) {
    if (e.code === 'DUPLICATE_KEY') {
      const key = /"([^"]*)"|'([^']*)'|: (\S+)/.exec(e.message);
      strictErrors.push(`yaml: unmarshal errors:\n  line ${e.linePos?.[0]?.line ?? 1}: key ${JSON.stringify(key?.[1] ?? key?.[2] ?? key?.[3] ?? '')} already set in map`);
    }
  }
  return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, strictErrors };
}

function goYamlMessage(code: string, message: string): string {
  switch (code) {
    case 'BAD_INDENT': case 'MULTILINE_IMPLICIT_KEY': return 'mapping values are not allowed in this context';
    case 'MISSING_CHAR': case 'UNEXPECTED_TOKEN': return 'did not find expected key';
    case 'BAD_SCALAR_START': return 'found character that cannot start any token';
    case 'BLOCK_AS_IMPLICIT_KEY': return 'could not find expected \':\'';
    default: return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  }
}

/** The decoded body as an object; anything else is the serializer's "cannot unmarshal" error. */
export function expectObject(value: unknown): Obj {
  if (isObj(value)) return value;
  const t = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'bool';
  if (t === 'null') return {};
  throw new DecodeError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${t} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
}

export function decodeBody(format: InputFormat, body: Buffer, expected: { group: string; version: string; kind: string }): Decoded {
  if (format === 'protobuf') {
    try {
      return { value: decodeProtobufBody(body, expected), strictErrors: [] };
    } catch (e) {
      throw new DecodeError((e as Error).message, { cause: e });
    }
  }
  const text = body.toString('utf8');
  return format === 'yaml' ? decodeYaml(text) : decodeJson(text);
}

