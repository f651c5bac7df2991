// Evaluates deploy/flux/healthcheck-exprs.yaml on an object as Flux's kustomize-controller does
// (inProgress, then failed, then current; the object's top-level fields are the variables). Flux
// cannot run here: the CEL interpreter is the embedded API server's (a port of cel-go's semantics).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { evaluate } from '../../apiserver/src/schema/cel/interp.js';
import { parseCel } from '../../apiserver/src/schema/cel/parser.js';
import { CelError, fromJson, type Value } from '../../apiserver/src/schema/cel/values.js';
import { repoPath } from './paths.js';

export const fluxExprsFile = repoPath('deploy/flux/healthcheck-exprs.yaml');

interface HealthCheckExprs {
  apiVersion: string;
  kind: string;
  inProgress?: string;
  failed?: string;
  current: string;
}

export function fluxHealthCheckExprs(): HealthCheckExprs[] {
  return (parse(readFileSync(fluxExprsFile, 'utf8')) as { healthCheckExprs: HealthCheckExprs[] }).healthCheckExprs;
}

/** InProgress, Failed or Current, or NotObservable when an expression names a missing field
 *  (Flux then waits until the Kustomization's timeout). */
export function fluxHealth(obj: object): string {
  const exprs = fluxHealthCheckExprs()[0]!;
  const vars = new Map<string, Value>(Object.entries(obj).map(([k, v]) => [k, fromJson(v, undefined)]));
  for (const [result, expr] of [['InProgress', exprs.inProgress], ['Failed', exprs.failed], ['Current', exprs.current]] as const) {
    if (expr === undefined) continue;
    const v = evaluate(parseCel(expr), { vars, cost: 0, limit: 1_000_000 });
    if (v instanceof CelError) return 'NotObservable';
    if (typeof v !== 'boolean') throw new Error(`${expr} gave ${String(v)}, not a bool`);
    if (v) return result;
  }
  return 'InProgress';
}
