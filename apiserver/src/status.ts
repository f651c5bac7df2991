// metav1.Status and the apimachinery error constructors (k8s.io/apimachinery/pkg/api/errors), worded
// exactly as kube-apiserver 1.32 words them, because clients match on reason, code and message.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group/resource pair as apimachinery's schema.GroupResource prints it: "secrets", "containerattaches.lxcattach.io". */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** An API error carrying the Status body it is answered with. */
export class ApiError extends Error {
  readonly code = 'APISERVER_ERR_STATUS';
  readonly status: Status;
  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message ?? `status ${status.code}`, options);
    this.status = status;
  }
}

/** Keys in metav1.Status field order, as Go serialises it. */
function failure(code: number, reason: string | undefined, message: string | undefined, details?: StatusDetails): Status {
  const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' } as Status;
  if (message !== undefined && message !== '') s.message = message;
  if (reason) s.reason = reason;
  if (details) s.details = compactDetails(details);
  s.code = code;
  return s;
}

/** Go omits empty detail fields (omitempty); an all-empty details still serialises as {}. */
function compactDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

function err(status: Status): ApiError {
  return new ApiError(status);
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return err(failure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource }));
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return err(failure(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, { name, group: gr.group, kind: gr.resource }));
}

/** NewGenerateNameConflict: a generated name collided (after the retries). */
export function generateNameConflict(gr: GroupResource, name: string, retryAfterSeconds: number): ApiError {
  return err(failure(409, 'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists, the server was not able to generate a unique name for the object`,
    { name, group: gr.group, kind: gr.resource, retryAfterSeconds }));
}

export const optimisticLockErrorMsg = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, reason: string): ApiError {
  return err(failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${reason}`,
    { name, group: gr.group, kind: gr.resource }));
}

export function forbidden(gr: GroupResource, name: string, reason: string): ApiError {
  const q = qualifiedResource(gr);
  let message: string;
  if (!gr.group && !gr.resource) message = `forbidden: ${reason}`;
  else if (!name) message = `${q} is forbidden: ${reason}`;
  else message = `${q} "${name}" is forbidden: ${reason}`;
  return err(failure(403, 'Forbidden', message, { name, group: gr.group, kind: gr.resource }));
}

export function badRequest(message: string): ApiError {
  return err(failure(400, 'BadRequest', message));
}

export function methodNotSupported(gr: GroupResource, action: string): ApiError {
  return err(failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    { group: gr.group, kind: gr.resource }));
}

export function resourceExpired(message: string): ApiError {
  return err(failure(410, 'Expired', message));
}

export function internalError(cause: string): ApiError {
  return err(failure(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] }));
}

/** A plain Go error reaching the handler: 500 with an empty reason and the error text. */
export function unknownError(message: string, code = 500): ApiError {
  return err(failure(code, undefined, message));
}

export function requestEntityTooLarge(message: string): ApiError {
  return err(failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`));
}

export function unauthorized(): ApiError {
  return err(failure(401, 'Unauthorized', 'Unauthorized'));
}

export function timeoutError(message: string, retryAfterSeconds: number, causes?: StatusCause[]): ApiError {
  return err(failure(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds, causes }));
}

/** negotiation.NewUnsupportedMediaTypeError */
export function unsupportedMediaType(accepted: string[]): ApiError {
  return err(failure(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`));
}

/** negotiation.NewNotAcceptableError */
export function notAcceptable(accepted: string[]): ApiError {
  return err(failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`));
}

/** NewGenericServerResponse(422, "", GroupResource{}, "", msg, 0, false): generic message, empty details. */
export function genericUnprocessable(): ApiError {
  return err(failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {}));
}

/** An Invalid status from an already-built Status body (schema.invalidStatus). */
export function fromStatus(status: Status): ApiError {
  return err(status);
}

/** The body of an immediate DELETE of a CR or Secret; Go omits code 0 (omitempty). */
export function successStatus(details: StatusDetails): Omit<Status, 'code'> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: compactDetails(details) };
}
