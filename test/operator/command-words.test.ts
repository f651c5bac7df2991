import assert from 'node:assert/strict';
import { commandWords } from '../../operator/src/attach-api/web/command-words.js';

describe('the terminal page\'s command field as words', () => {
  for (const [text, words] of [
    ['', []],
    ['  ls   -l /etc ', ['ls', '-l', '/etc']],
    ['sh -c \'echo "$HOME"; exit 3\'', ['sh', '-c', 'echo "$HOME"; exit 3']],
    ['echo "a  b" c\\ d', ['echo', 'a  b', 'c d']],
    ['printf \'\' ""', ['printf', '', '']],
    ['echo "say \\"hi\\""', ['echo', 'say "hi"']],
  ] as const) {
    it(JSON.stringify(text), () => assert.deepEqual(commandWords(text), words));
  }

  it('refuses an unclosed quote and a trailing backslash', () => {
    assert.throws(() => commandWords('echo \'oops'), /unclosed '/);
    assert.throws(() => commandWords('echo "oops'), /unclosed "/);
    assert.throws(() => commandWords('echo \\'), /ends with a backslash/);
  });
});
