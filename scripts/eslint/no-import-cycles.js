// ESLint rule: no file may reach itself through its relative imports (static `import`, `export
// ... from`, type-only ones included: a cycle of types is still two rooms that lean on each
// other). Specifiers are written as the compiled `.js` the TypeScript sources become, so `x.js`
// is read as `x.ts` when that file exists.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const importPattern = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/** file -> the files it imports (absolute paths), read from disk once per lint run; the file being
 *  linted is followed through its AST instead, so unsaved text is checked as it stands. */
const importsOf = new Map();

function resolve(fromFile, specifier) {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const ts = target.replace(/\.js$/, '.ts');
  if (existsSync(ts)) return ts;
  return existsSync(target) ? target : undefined;
}

function readImports(file) {
  let found = importsOf.get(file);
  if (found) return found;
  const source = existsSync(file) ? readFileSync(file, 'utf8') : '';
  found = [];
  for (const m of source.matchAll(importPattern)) {
    const target = resolve(file, m[1] ?? m[2]);
    if (target) found.push(target);
  }
  importsOf.set(file, found);
  return found;
}

/** A path of imports from `start` back to `goal`, or undefined. */
function pathBack(start, goal) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length) {
    const [file, trail] = stack.pop();
    if (file === goal) return trail;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of readImports(file)) stack.push([next, [...trail, next]]);
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles between the project\'s files' },
    schema: [],
    messages: { cycle: 'import cycle: {{cycle}}' },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolve(file, specifier);
      if (!target) return;
      const trail = pathBack(target, file);
      if (!trail) return;
      const cycle = [file, ...trail].map((f) => path.relative(root, f)).join(' -> ');
      context.report({ node, messageId: 'cycle', data: { cycle } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
