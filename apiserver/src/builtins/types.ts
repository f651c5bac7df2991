// The contract between the server core and the built-in kinds (ports.ts takes these types from here).
//
// Everything the core needs to serve a built-in kind the way kube-apiserver 1.32 does lives on one
// BuiltinKind entry; the optional members are compatible extensions of the agreed interface.
import type { FieldError } from './field-error.js';
import type { TableColumnDefinition } from '../schema/index.js';

export type { TableColumnDefinition } from '../schema/index.js';

export type KubeObject = Record<string, unknown>;

/** A subresource a 1.32 server lists in discovery, and how an update through it is prepared. */
export interface BuiltinSubresource {
  name: string;
  /** kind of the object the subresource takes and returns */
  kind: string;
  verbs: string[];
  /** the subresource strategy's PrepareForUpdate (e.g. /status keeps the old spec) */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** the subresource strategy's ValidateUpdate */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
}

/** The authenticated user a review is evaluated for, as the core's authenticator saw it. */
export interface ReviewUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** authorizer.Attributes of an access review (the server's authorizer evaluates them) */
export interface ReviewAttributes {
  user: ReviewUser;
  verb: string;
  isResourceRequest: boolean;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  path: string;
}

export interface ReviewRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface ReviewContext {
  /** the server's authorizer chain */
  authorize?(attributes: ReviewAttributes): { allowed: boolean; reason: string };
  /** the server's rule resolvers (SelfSubjectRulesReview) */
  rulesFor?(user: ReviewUser, namespace: string): { resourceRules: ReviewRule[]; nonResourceRules: ReviewRule[]; evaluationError: string };
  /** namespace from the URL; review kinds are cluster-scoped and reject one */
  namespace?: string;
  /** the requesting user (SelfSubjectAccessReview reviews this user) */
  user?: ReviewUser;
  /** checks a bearer token the way the server's authenticator does; undefined = not authenticated */
  authenticateToken?(token: string): ReviewUser | undefined;
  /** the server's API audiences (TokenReview answers with them when the review names none) */
  apiAudiences?: string[];
}

/** Where a kind is really stored when it is one of several views of the same objects. */
export interface SharedStorage {
  group: string;
  version: string;
  resource: string;
  /** this kind's JSON -> the storage kind's JSON (kind/apiVersion rewritten) */
  toStorage(obj: KubeObject): KubeObject;
  /** the storage kind's JSON -> this kind's JSON */
  fromStorage(obj: KubeObject): KubeObject;
}

export interface BuiltinKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** exactly what a 1.32 server lists in discovery, sorted as it lists them */
  verbs: string[];
  /** discovery subresources (aggregated discovery lists them with their own verbs) */
  subresources: BuiltinSubresource[];
  /** decode-time defaulting + conversion + the strategy's PrepareForCreate */
  prepareForCreate(obj: KubeObject): void;
  /** decode-time defaulting + conversion + the strategy's PrepareForUpdate */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** the strategy's Validate (old undefined) or ValidateUpdate. The generic ObjectMeta checks every
   *  resource gets (path-segment names, metadata update rules run by the generic store) are the
   *  core's; these are the kind's own, including the ObjectMeta rules the kind's validation adds. */
  validate(obj: KubeObject, old?: KubeObject): FieldError[];
  /** the strategy's Canonicalize: runs after validation and after generateName filled the name */
  canonicalize(obj: KubeObject): void;
  /** the strategy's warnings (WarningsOnCreate / WarningsOnUpdate) */
  warnings(obj: KubeObject, old?: KubeObject): string[];
  allowUnconditionalUpdate: boolean;
  /** PUT to a missing object creates it */
  createOnUpdate: boolean;
  /** field selector labels the 1.32 server accepts beyond metadata.name (all kinds) and
   *  metadata.namespace (namespaced kinds); any other label is 400 "field label not supported" */
  fieldSelectors: Record<string, (obj: KubeObject) => string>;
  /** the server-side Table columns (the server always renders the wide set) */
  tableColumns: TableColumnDefinition[];
  /** one row's cells, ages rendered against `now` (ms since the epoch) */
  tableCells(obj: KubeObject, now?: number): unknown[];
  /** for create-only review kinds: validate, evaluate and return the response object.
   *  Throws BuiltinRequestError for the 400/422 answers the real REST handler gives. */
  review?(obj: KubeObject, context?: ReviewContext): KubeObject;
  /** set when this kind is a second view of another resource's objects (events.k8s.io Event) */
  storage?: SharedStorage;
  /** JSON field paths of `obj` the Go type does not have, as strict decoding names them */
  unknownFields(obj: KubeObject): string[];
  /** the object exactly as a Go server would store and print it: unknown fields dropped, empty
   *  omitempty fields dropped, times normalised, keys in Go struct order. Throws BuiltinDecodeError
   *  when a value has the wrong type (what the server's JSON decoder rejects with a 400). */
  normalize(obj: KubeObject): KubeObject;
  /** unknownFields and normalize from one decode of `obj` (a request body is decoded once); throws
   *  BuiltinDecodeError as normalize does */
  decode(obj: KubeObject): { value: KubeObject; unknownFields: string[] };
}

/** a metav1.Status reason; '' is StatusReasonUnknown (a bare error turned into a 500) */
export type BuiltinErrorReason = 'BadRequest' | 'Invalid' | '';

/** A refusal the real handler gives directly (not a field validation list): httpStatus and reason
 *  are the Status's code and reason, message its message. */
export class BuiltinRequestError extends Error {
  readonly code: string = 'BUILTIN_REQUEST_ERROR';
  constructor(
    readonly httpStatus: number,
    readonly reason: BuiltinErrorReason,
    message: string,
    /** for reason Invalid: the group/kind/name the 422 names and the field errors */
    readonly invalid?: { group: string; kind: string; name: string; errors: FieldError[] },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BuiltinRequestError';
  }
}

/** A JSON value the Go type cannot hold (the server answers 400 `<Kind> in version "<v>" cannot be
 *  handled as a <Kind>: <message>`). */
export class BuiltinDecodeError extends Error {
  readonly code = 'BUILTIN_DECODE_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BuiltinDecodeError';
  }
}
