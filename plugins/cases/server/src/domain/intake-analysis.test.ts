import { decidePriority, likelyDuplicates, similarities } from './intake-analysis';

describe('priority, explained', () => {
  const rules = [{ keywords: ['fire', 'collapsed'], priority: 'urgent' }, { keywords: ['school'], priority: 'high' }];
  it('starts from the category default and lets a keyword rule raise it', () => {
    expect(decidePriority({ categoryDefault: 'normal', rules, text: 'A wall collapsed near the well', sentiment: 0 })).toEqual({
      priority: 'urgent',
      reasons: ['Category default: normal.', 'Keyword "collapsed": urgent.'],
    });
  });
  it('never lowers the priority, and ignores malformed rules', () => {
    expect(decidePriority({ categoryDefault: 'urgent', rules: [...rules, { keywords: 'x', priority: 'low' }, null], text: 'school', sentiment: 0 }).priority).toBe('urgent');
  });
  it('raises one step for a distressed description, not past high', () => {
    expect(decidePriority({ categoryDefault: 'normal', rules: [], text: 'x', sentiment: -8 }).priority).toBe('high');
    expect(decidePriority({ categoryDefault: 'high', rules: [], text: 'x', sentiment: -12 }).priority).toBe('high');
    expect(decidePriority({ categoryDefault: 'normal', rules: [], text: 'x', sentiment: null }).priority).toBe('normal');
    expect(decidePriority({ categoryDefault: 'normal', rules: [], text: 'x', sentiment: -2 }).priority).toBe('normal');
  });
});

describe('likely duplicates', () => {
  const candidates = [
    { id: 1, text: 'Hand pump near Amarpur school broken since Monday, no water' },
    { id: 2, text: 'Streetlight not working on the market road' },
    { id: 3, text: 'No water from the Amarpur school hand pump, broken for days' },
  ];
  it('finds the cases that say the same thing, best first', () => {
    const found = likelyDuplicates('The hand pump at Amarpur school is broken, we have no water', candidates);
    expect(found.map((d) => d.id)).toEqual(expect.arrayContaining([1, 3]));
    expect(found.map((d) => d.id)).not.toContain(2);
    expect(found[0].score).toBeGreaterThanOrEqual(found[found.length - 1].score);
  });
  it('scores an identical text 1 and an unrelated one 0', () => {
    const [same, other] = similarities('road damaged by trucks', [{ id: 1, text: 'Road damaged by trucks!' }, { id: 2, text: 'पानी नहीं आ रहा' }]);
    expect([same.score, other.score]).toEqual([1, 0]);
  });
});
