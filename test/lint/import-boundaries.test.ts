import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { repoPath } from '../support/paths.js';

// The layout's rules are kept by ESLint (eslint.config.js); these cases prove a forbidden import
// fails lint, so a rule that silently stopped matching would be noticed. (The whole tree is linted
// by `npm run lint`, which scripts/test-all.sh runs.)
describe('lint: import boundaries and cycles', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: repoPath() });
  const problems = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: repoPath(file) });
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  const cases: { name: string; file: string; code: string; want?: RegExp }[] = [
    { name: 'common may not import the plugin', file: 'common/src/x.ts', code: "import '../../plugin/src/cli.js';\n", want: /no-restricted-imports: .* common\/ is below every other room/ },
    { name: 'common may not import the agent', file: 'common/src/kube/x.ts', code: "import '../../../operator/src/agent-error.js';\n", want: /no-restricted-imports/ },
    { name: 'the plugin may not import the API server', file: 'plugin/src/x.ts', code: "import '../../apiserver/src/server.js';\n", want: /no-restricted-imports: .* the plugin runs on workstations/ },
    { name: 'the API server may not import the agent', file: 'apiserver/src/x.ts', code: "import '../../operator/src/agent-error.js';\n", want: /no-restricted-imports: .* the API server imports nothing of the agent/ },
    { name: 'the agent may not import the API server', file: 'operator/src/agent/x.ts', code: "import '../../../apiserver/src/server.js';\n", want: /no-restricted-imports: .* only standalone mode embeds the API server/ },
    { name: 'standalone mode may import the API server', file: 'operator/src/standalone/x.ts', code: "import '../../../apiserver/src/server.js';\n" },
    { name: 'the agent may import common', file: 'operator/src/agent/x.ts', code: "import '../../../common/src/queue/backoff.js';\n" },
    {
      name: 'a file that its own imports lead back to is a cycle',
      file: 'common/src/queue/backoff.ts',
      code: "import './work-queue.js';\nexport const x = 1;\n",
      want: /local\/no-import-cycles: import cycle: common\/src\/queue\/backoff.ts -> common\/src\/queue\/work-queue.ts -> common\/src\/queue\/backoff.ts/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const found = await problems(c.file, c.code);
      if (c.want) assert.ok(found.some((p) => c.want!.test(p)), `expected ${c.want} among ${JSON.stringify(found)}`);
      else assert.deepEqual(found, []);
    });
  }

});
