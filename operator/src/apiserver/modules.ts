// The real schema and builtins modules, in the shape the server core takes them (ports.ts).
import * as schema from './schema/index.js';
import * as builtins from './builtins/index.js';
import type { ApiServerModules, BuiltinsModule, SchemaModule } from './ports.js';

export function realModules(): ApiServerModules {
  // compileCrdVersion and openApiV3GroupVersion type their argument as CustomResourceDefinition; the
  // core holds stored CRDs as plain objects, which passed validateCustomResourceDefinition on write.
  const s: SchemaModule = {
    fieldErrorString: schema.fieldErrorString,
    invalidStatus: schema.invalidStatus,
    compileCrdVersion: schema.compileCrdVersion as unknown as SchemaModule['compileCrdVersion'],
    validateObjectMeta: schema.validateObjectMeta,
    validateObjectMetaUpdate: schema.validateObjectMetaUpdate,
    finalizerWarnings: schema.finalizerWarnings,
    parseJsonStrict: schema.parseJsonStrict,
    validateCustomResourceDefinition: schema.validateCustomResourceDefinition,
    defaultCustomResourceDefinition: schema.defaultCustomResourceDefinition,
    openApiV3GroupVersion: schema.openApiV3GroupVersion as unknown as SchemaModule['openApiV3GroupVersion'],
  };
  const b: BuiltinsModule = {
    builtinKinds: builtins.builtinKinds,
    strategicMergePatch: builtins.strategicMergePatch,
    decodeProtobufBody: builtins.decodeProtobufBody,
    isRequestError: (e): e is Error & { httpStatus: number; reason: string } => e instanceof builtins.BuiltinRequestError,
    isDecodeError: (e): e is Error => e instanceof builtins.BuiltinDecodeError || e instanceof builtins.ProtobufDecodeError,
  };
  return { schema: s, builtins: b };
}
