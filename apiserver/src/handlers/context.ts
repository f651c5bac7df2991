// What every resource handler is given.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Obj } from '../objects.js';
import type { ReviewContext, ReviewUser } from '../builtins/index.js';
import { badRequest, fromStatus, unknownError, type ApiError } from '../status.js';
import type { ResourceType } from '../resource-type.js';
import { apiVersionOf } from '../resource-type.js';
import type { DurableStore } from '../store/durable-store.js';
import type { WatchHub } from '../watch/watch-cache.js';
import type { ObjectOps } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { RequestInfo } from '../http/request-info.js';
import type { ListPages } from './list-pages.js';
import { invalidStatus, type FieldError } from '../schema/index.js';

export interface ServerCore {
  store: DurableStore;
  ops: ObjectOps;
  hub: WatchHub;
  registry: Registry;
  pages: ListPages;
  log(message: string): void;
  /** resolves when the server stops: long-running requests end then */
  stopping: AbortSignal;
  /** who the review kinds see as the requester, and how they check tokens */
  reviewContext(namespace: string, user: ReviewUser): ReviewContext;
}

/** A BuiltinRequestError (the real REST handler's direct 400/422) as a Status. */
export function builtinRefusal(e: Error & { httpStatus: number; reason: string; invalid?: { group: string; kind: string; name: string; errors: FieldError[] } }): ApiError {
  if (e.invalid) return fromStatus(invalidStatus(e.invalid.group, e.invalid.kind, e.invalid.name, e.invalid.errors));
  if (e.httpStatus === 400) return badRequest(e.message);
  return unknownError(e.message, e.httpStatus);
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  type: ResourceType;
  /** request namespace; '' for cluster-scoped resources and all-namespace requests */
  ns: string;
  core: ServerCore;
  warnings: string[];
  /** the authenticated (or impersonated) user the request runs as */
  user: ReviewUser;
}

/** The object as the requested version serves it (CRD versions with conversion None differ only in apiVersion). */
export function asServed(t: ResourceType, stored: Obj): Obj {
  const view = t.readView(stored);
  const av = apiVersionOf(t);
  if (view.apiVersion === av && view.kind === t.kind) return view;
  return { ...view, apiVersion: av, kind: t.kind };
}

/** Items of built-in lists carry no kind/apiVersion (kubernetes#3030); CR list items do. */
export function asListItem(t: ResourceType, stored: Obj): Obj {
  const o = asServed(t, stored);
  if (t.listItemsTyped) return o;
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}
