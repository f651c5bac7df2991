// Bundles the kubectl plugin into one file, dist/kubectl-lxc_attach.mjs (npm run build:plugin):
// plugin/bundle-start.sh first (it starts Node.js on the file itself), then the plugin and its
// dependencies as one ES module.
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = path.join(root, 'dist/kubectl-lxc_attach.mjs');

// Node.js's built-in modules are loaded with require(), not imported as ES modules: importing
// node:http makes Node.js 24 evaluate every export of it, and one of them loads its bundled fetch
// and WebSocket implementation (40-50 ms of each start, measured with --cpu-prof).
const builtinsThroughRequire: Plugin = {
  name: 'builtins-through-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' ? { path: args.path, namespace: 'node-builtin' } : { path: args.path, external: true });
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});` }));
  },
};

await build({
  entryPoints: [path.join(root, 'dist/plugin/src/index.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
  plugins: [builtinsThroughRequire],
  banner: {
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    js: readFileSync(path.join(root, 'plugin/bundle-start.sh'), 'utf8') +
      "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});
chmodSync(outfile, 0o755);
