// The real schema and builtins modules, in the shape the server core takes them (ports.ts).
import * as schema from './schema/index.js';
import * as builtins from './builtins/index.js';
import type { ApiServerModules, BuiltinsModule, FieldError, SchemaModule } from './ports.js';

export function realModules(): ApiServerModules {
  const s: SchemaModule = {
    fieldErrorString: schema.fieldErrorString as SchemaModule['fieldErrorString'],
    invalidStatus: schema.invalidStatus as unknown as SchemaModule['invalidStatus'],
    compileCrdVersion: schema.compileCrdVersion as unknown as SchemaModule['compileCrdVersion'],
    validateObjectMeta: schema.validateObjectMeta as SchemaModule['validateObjectMeta'],
    validateObjectMetaUpdate: (n, o) => schema.validateObjectMetaUpdate(n, o) as FieldError[],
    finalizerWarnings: schema.finalizerWarnings,
    parseJsonStrict: schema.parseJsonStrict,
    validateCustomResourceDefinition: (crd, old) => schema.validateCustomResourceDefinition(crd, old) as FieldError[],
    defaultCustomResourceDefinition: schema.defaultCustomResourceDefinition,
    openApiV3GroupVersion: schema.openApiV3GroupVersion as unknown as SchemaModule['openApiV3GroupVersion'],
  };
  const b: BuiltinsModule = {
    builtinKinds: builtins.builtinKinds as unknown as BuiltinsModule['builtinKinds'],
    strategicMergePatch: builtins.strategicMergePatch as unknown as BuiltinsModule['strategicMergePatch'],
    decodeProtobufBody: builtins.decodeProtobufBody,
    isRequestError: (e): e is Error & { httpStatus: number; reason: string } => e instanceof builtins.BuiltinRequestError,
    isDecodeError: (e): e is Error => e instanceof builtins.BuiltinDecodeError || e instanceof builtins.ProtobufDecodeError,
  };
  return { schema: s, builtins: b };
}
