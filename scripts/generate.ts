// Writes the files generated from the option table: the CRD and docs/options.md.
// `node dist/scripts/generate.js` writes them; `--check` fails when they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, content] of Object.entries(generatedFiles())) {
  const target = path.join(root, file);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // NB: a missing file is simply out of date.
  }
  if (current === content) continue;
  if (check) {
    console.error(`${file} is out of date: run node dist/scripts/generate.js`);
    stale++;
  } else {
    writeFileSync(target, content);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
