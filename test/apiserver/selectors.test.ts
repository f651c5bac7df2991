// Label and field selector parsing and matching (apimachinery labels/fields).
import assert from 'node:assert/strict';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../apiserver/src/selectors.js';

describe('label selectors', () => {
  const cases: Array<{ sel: string; labels: Record<string, string>; want: boolean }> = [
    { sel: 'a=b', labels: { a: 'b' }, want: true },
    { sel: 'a==b', labels: { a: 'c' }, want: false },
    { sel: 'a!=b', labels: {}, want: true },
    { sel: 'a in (x, y)', labels: { a: 'y' }, want: true },
    { sel: 'a notin (x,y)', labels: {}, want: true },
    { sel: 'a notin (x,y)', labels: { a: 'x' }, want: false },
    { sel: 'a', labels: { a: '' }, want: true },
    { sel: '!a', labels: { a: '' }, want: false },
    { sel: 'a>5', labels: { a: '7' }, want: true },
    { sel: 'a<5', labels: { a: 'x' }, want: false },
    { sel: 'a in (x),!skip', labels: { a: 'x', skip: '1' }, want: false },
    { sel: '', labels: {}, want: true },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.sel)} on ${JSON.stringify(c.labels)} is ${c.want}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(c.sel), c.labels), c.want);
    });
  }
  const errors: Array<[string, string]> = [
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a>x', 'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer'],
  ];
  for (const [sel, msg] of errors) {
    it(`rejects ${JSON.stringify(sel)}`, () => assert.throws(() => parseLabelSelector(sel), { message: msg }));
  }
});

describe('field selectors', () => {
  it('parses =, == and != terms, ANDed, with escapes', () => {
    const t = parseFieldSelector('metadata.name=a\\,b,spec.x!=y');
    assert.equal(matchesFields(t, (f) => (f === 'metadata.name' ? 'a,b' : 'z')), true);
    assert.equal(matchesFields(t, (f) => (f === 'metadata.name' ? 'a,b' : 'y')), false);
  });
  it('rejects a term without operator', () => {
    assert.throws(() => parseFieldSelector('foo'), { message: "invalid selector: 'foo'; can't understand 'foo'" });
  });
});
