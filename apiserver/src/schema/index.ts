// The CRD schema library of the standalone API server: everything about CustomResourceDefinition
// schemas that kube-apiserver 1.32 / apiextensions-apiserver v0.32 does, with Kubernetes' wording.
export { type FieldError, type FieldErrorType, type Status, type StatusCause, fieldErrorString, fieldErrorBody, invalidStatus, aggregateMessage, fe } from './field-errors.js';
export { compileCrdVersion, CrdCompileError, MetadataCoercionError, type CompiledVersion, type ValidateOptions } from './compile.js';
export { validateObjectMeta, validateObjectMetaUpdate, finalizerWarnings, type ObjectMetaOptions } from './object-meta.js';
export { coerceObjectMeta, MetadataDecodeError } from './meta-coerce.js';
export { parseJson, parseJsonStrict, stringifyJson, JsonSyntaxError, type ParsedJson } from './strict-json.js';
export { JsonPath, JsonPathError } from './jsonpath.js';
export { nameColumnDescription } from './printer-columns.js';
export { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, type NameRule } from './name-validation.js';
export type { CustomResourceDefinition, CustomResourceDefinitionVersion, TableColumnDefinition } from './crd-json-types.js';
export type { JSONSchemaProps, ValidationRule } from './structural.js';
export { validateCustomResourceDefinition, defaultCustomResourceDefinition } from './crd-validation.js';
export { openApiV3GroupVersion } from './openapi-v3-document.js';
