// Bundles the attach API's terminal page (npm run build:web): operator/src/attach-api/web/ with
// xterm.js into dist/operator/src/attach-api/web/{index.html,terminal.js,terminal.css}, which
// operator/src/attach-api/terminal-page.ts serves. Nothing is fetched at run time: the page's
// Content-Security-Policy allows its own origin only.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = path.join(root, 'operator/src/attach-api/web');
const outdir = path.join(root, 'dist/operator/src/attach-api/web');

mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [path.join(source, 'terminal.ts'), path.join(source, 'terminal.css')],
  entryNames: '[name]',
  outdir,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(path.join(source, 'index.html'), path.join(outdir, 'index.html'));
