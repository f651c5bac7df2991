// A helper that cannot be started (here: an argv over the kernel's limit, E2BIG, with the real
// helper; the CRD keeps such a command out, this is the agent's own guard) ends the session as a
// failure instead of leaving it running without a helper.
import assert from 'node:assert/strict';
import { AttachSession } from '../../operator/src/attach/session.js';
import { bundledHelperPath } from '../../operator/src/agent/host-defaults.js';

describe('attach session: a helper that cannot start', () => {
  for (const [what, helperPath, command, reason] of [
    ['an argv over the kernel limit (E2BIG)', bundledHelperPath, Array.from({ length: 300 }, () => 'a'.repeat(16384)), /E2BIG/],
    ['a missing helper (ENOENT)', '/nonexistent/lxc-attach-helper', ['true'], /ENOENT/],
  ] as const) {
    it(`ends as HelperFailed for ${what}, and can be ended again without an error`, async () => {
      let changes = 0;
      const session = new AttachSession({ namespace: 'ns', name: 'n', uid: 'u' }, { container: 'c1', command: [...command] }, {
        helperPath, killGraceMs: 100, logDirectories: { logFileDirectories: [], ptyLogDirectories: [] }, tailBytes: 1024,
      }, { onChange: () => changes++ });
      session.start({ stdout: () => undefined, stderr: () => undefined });
      const result = await session.finished();
      assert.equal(session.state, 'finished');
      assert.equal(result.succeeded, false);
      assert.equal(result.reason, 'HelperFailed');
      assert.match(result.message, reason);
      assert.doesNotThrow(() => session.end('ObjectDeleted', 'deleted'));
      assert.ok(changes >= 1);
    });
  }
});
