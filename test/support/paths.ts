import { fileURLToPath } from 'node:url';
import path from 'node:path';

// Compiled files live in dist/test/support, so the repository root is three levels up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function repoPath(...parts: string[]): string {
  return path.join(root, ...parts);
}
