// The real schema and builtins modules, in the shape the server core takes them (ports.ts).
import * as schema from './schema/index.js';
import * as builtins from './builtins/index.js';
import type { ApiServerModules, BuiltinsModule, FieldError, Obj, SchemaModule } from './ports.js';
import { fallbackCrdValidation, fallbackOpenApiV3 } from './crd-fallbacks.js';

type Fn = (...args: never[]) => unknown;

/** An export the other module may not have yet (it lands on its own branch). */
function optional<T extends Fn>(mod: object, name: string): T | undefined {
  const v = (mod as Record<string, unknown>)[name];
  return typeof v === 'function' ? (v as T) : undefined;
}

export function realModules(): ApiServerModules {
  const compile = schema.compileCrdVersion as unknown as SchemaModule['compileCrdVersion'];
  const s: SchemaModule = {
    fieldErrorString: schema.fieldErrorString as SchemaModule['fieldErrorString'],
    invalidStatus: schema.invalidStatus as unknown as SchemaModule['invalidStatus'],
    compileCrdVersion: compile,
    validateObjectMeta: schema.validateObjectMeta as SchemaModule['validateObjectMeta'],
    validateObjectMetaUpdate: (n, o) => schema.validateObjectMetaUpdate(n, o) as FieldError[],
    finalizerWarnings: schema.finalizerWarnings,
    parseJsonStrict: schema.parseJsonStrict,
    validateCustomResourceDefinition: optional<SchemaModule['validateCustomResourceDefinition']>(schema, 'validateCustomResourceDefinition')
      ?? ((crd) => fallbackCrdValidation(crd as Obj, compile)),
    openApiV3GroupVersion: optional<SchemaModule['openApiV3GroupVersion']>(schema, 'openApiV3GroupVersion') ?? fallbackOpenApiV3,
  };
  const b: BuiltinsModule = {
    builtinKinds: builtins.builtinKinds as unknown as BuiltinsModule['builtinKinds'],
    strategicMergePatch: optional<NonNullable<BuiltinsModule['strategicMergePatch']>>(builtins, 'strategicMergePatch'),
    decodeProtobufBody: optional<NonNullable<BuiltinsModule['decodeProtobufBody']>>(builtins, 'decodeProtobufBody'),
    isRequestError: (e): e is Error & { httpStatus: number; reason: string } => e instanceof builtins.BuiltinRequestError,
    isDecodeError: (e): e is Error => e instanceof builtins.BuiltinDecodeError,
  };
  return { schema: s, builtins: b };
}
