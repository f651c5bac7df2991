// The "stream" and "hangupGraceSeconds" keys of the agent's config file: defaults, overrides, and
// refusals of bad values.
import assert from 'node:assert/strict';
import { parseConfig } from '../../operator/src/policy/agent-config.js';
import { defaultStreamLimits } from '../../operator/src/stream/stream-limits.js';

describe('agent config: stream limits and hang-up grace', () => {
  it('has safe defaults when the key is absent', () => {
    assert.deepEqual(parseConfig('policy: {}\n').stream, defaultStreamLimits);
  });

  it('takes each limit from the file, the others from the defaults', () => {
    const { stream } = parseConfig('stream:\n  maxConnectionsPerSource: 4\n  preUpgradeTimeoutSeconds: 3\n');
    assert.deepEqual(stream, { ...defaultStreamLimits, maxConnectionsPerSource: 4, preUpgradeTimeoutSeconds: 3 });
  });

  it('reads hangupGraceSeconds, 5 by default', () => {
    assert.equal(parseConfig('policy: {}\n').hangupGraceSeconds, 5);
    assert.equal(parseConfig('hangupGraceSeconds: 30\n').hangupGraceSeconds, 30);
    assert.throws(() => parseConfig('hangupGraceSeconds: -1\n'), /hangupGraceSeconds must be an integer from 0 to 3600/);
  });

  for (const [text, message] of [
    ['stream:\n  maxConnections: 0\n', /stream.maxConnections must be an integer from 1 to 65536/],
    ['stream:\n  preUpgradeTimeoutSeconds: 1.5\n', /stream.preUpgradeTimeoutSeconds must be an integer from 1 to 300/],
    ['stream:\n  failedAttempts: 3\n', /stream.failedAttempts is not a stream setting/],
    ['stream: [1]\n', /stream must be a mapping/],
  ] as const) {
    it(`refuses a bad value: ${message.source}`, () => {
      assert.throws(() => parseConfig(text), message);
    });
  }
});
