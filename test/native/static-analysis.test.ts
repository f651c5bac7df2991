// The helper's C sources must pass clang's static analyzer (scripts/setup.sh installs clang-14).
import { execFileSync } from 'node:child_process';
import { repoPath } from '../support/paths.js';

describe('native/ static analysis', function () {
  this.timeout(180_000);

  it('passes clang --analyze with warnings as errors', () => {
    // Throws (with the analyzer's report on stderr) when make fails.
    execFileSync('make', ['-s', '-C', repoPath('native'), 'analyze'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
});
