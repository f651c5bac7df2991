// parseJsonStrict: duplicate keys as paths, exact int64, encoding/json's syntax error wording.
import assert from 'node:assert/strict';
import { parseJsonStrict, stringifyJson, JsonSyntaxError } from '../../../apiserver/src/schema/index.js';

describe('apiserver schema: strict JSON', () => {
  const dupCases = [
    { name: 'no duplicates', text: '{"a":1,"b":{"c":2}}', want: [] },
    { name: 'top-level', text: '{"a":1,"a":2}', want: ['a'] },
    { name: 'nested', text: '{"spec":{"x":1,"y":2,"x":3}}', want: ['spec.x'] },
    { name: 'in a list', text: '{"l":[{"k":1},{"k":1,"k":2}]}', want: ['l[1].k'] },
  ];
  for (const c of dupCases) {
    it(`duplicates: ${c.name}`, () => assert.deepEqual(parseJsonStrict(c.text).duplicates, c.want));
  }

  it('keeps the last duplicate value, as Go does', () => {
    assert.deepEqual(parseJsonStrict('{"a":1,"a":2}').value, { a: 2 });
  });

  const numCases: { text: string; want: unknown }[] = [
    { text: '1', want: 1 },
    { text: '-0', want: 0 },
    { text: '9007199254740993', want: 9007199254740993n },
    { text: '9223372036854775807', want: 9223372036854775807n },
    { text: '-9223372036854775808', want: -9223372036854775808n },
    { text: '9223372036854775808', want: 9223372036854775808 },
    { text: '1.5', want: 1.5 },
    { text: '1e3', want: 1000 },
  ];
  for (const c of numCases) {
    it(`number ${c.text}`, () => assert.deepEqual(parseJsonStrict(c.text).value, c.want));
  }

  const syntaxCases = [
    { text: '', want: 'unexpected end of JSON input' },
    { text: '{"a":1', want: 'unexpected end of JSON input' },
    { text: '{"a" 1}', want: "invalid character '1' after object key" },
    { text: '{"a":1 "b":2}', want: 'invalid character \'"\' after object key:value pair' },
    { text: '[1 2]', want: "invalid character '2' after array element" },
    { text: 'x', want: "invalid character 'x' looking for beginning of value" },
    { text: '{} x', want: "invalid character 'x' after top-level value" },
    { text: '{a:1}', want: "invalid character 'a' looking for beginning of object key string" },
    { text: 'tru', want: 'unexpected end of JSON input' },
    { text: 'trux', want: "invalid character 'x' in literal true (expecting 'e')" },
  ];
  for (const c of syntaxCases) {
    it(`syntax error: ${JSON.stringify(c.text)}`, () => {
      assert.throws(() => parseJsonStrict(c.text), (err: unknown) => err instanceof JsonSyntaxError && err.message === c.want);
    });
  }

  it('decodes escapes and keeps __proto__ as a plain key', () => {
    const v = parseJsonStrict('{"s":"a\\u00e9\\n","__proto__":{"x":1}}').value as Record<string, unknown>;
    assert.equal(v.s, 'aé\n');
    assert.deepEqual(Object.keys(v), ['s', '__proto__']);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('stringifies bigints as integers', () => {
    assert.equal(stringifyJson({ a: 9223372036854775807n, b: 'bigint:x:0', c: [1n] }), '{"a":9223372036854775807,"b":"bigint:x:0","c":[1]}');
  });
});
