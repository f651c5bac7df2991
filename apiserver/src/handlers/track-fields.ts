// The field manager every create, update and non-apply patch runs (handlers/create.go, update.go,
// patch.go: FieldManager.UpdateNoErrors with managerOrUserAgent(options.FieldManager, userAgent)).
import type { Obj } from '../objects.js';
import type { Ctx } from './context.js';
import { managerOrUserAgent, recordUpdate } from '../apply/field-manager.js';
import { fieldManagerScope } from '../apply/resource-scope.js';

export function fieldTracker(ctx: Ctx): ((live: Obj | undefined, obj: Obj) => void) | undefined {
  const scope = fieldManagerScope(ctx.type, ctx.info.subresource || undefined);
  if (!scope) return undefined;
  const manager = managerOrUserAgent(ctx.query.get('fieldManager') ?? '', ctx.req.headers['user-agent']);
  return (live, obj) => recordUpdate(scope, live, obj, manager);
}
