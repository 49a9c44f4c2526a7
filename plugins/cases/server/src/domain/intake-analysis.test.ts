import fc from 'fast-check';
import { decidePriority, likelyDuplicates, similarities, tokens } from './intake-analysis';

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

describe('similarities with memoised words', () => {
  /** TF-IDF cosine written out plainly (as before the words were memoised): the scores must not move. */
  function plainly(text: string, candidates: Array<{ id: number; text: string }>) {
    const docs = [tokens(text), ...candidates.map((c) => tokens(c.text))];
    const df = new Map<string, number>();
    for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
    const vector = (doc: string[]) => {
      const v = new Map<string, number>();
      for (const term of doc) v.set(term, (v.get(term) ?? 0) + 1);
      for (const [term, count] of v) v.set(term, (count / doc.length) * (Math.log((1 + docs.length) / (1 + df.get(term)!)) + 1));
      return v;
    };
    const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));
    const q = vector(docs[0]);
    return candidates.map((c, i) => {
      const v = vector(docs[i + 1]);
      let dot = 0;
      for (const [term, weight] of q) dot += weight * (v.get(term) ?? 0);
      const d = norm(q) * norm(v);
      return { id: c.id, score: d === 0 ? 0 : Math.round((dot / d) * 1000) / 1000 };
    });
  }

  it('scores every candidate as the plain computation does, asked again and again', () => {
    const word = fc.constantFrom('water', 'pump', 'broken', 'road', 'pothole', 'the', 'since', 'monday', 'पानी', 'नल', 'x', '42', 'drain', 'school');
    const text = fc.array(word, { maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 30 }), (query, others) => {
        const candidates = others.map((t, id) => ({ id, text: t }));
        expect(similarities(query, candidates)).toEqual(plainly(query, candidates));
        expect(similarities(query, candidates)).toEqual(plainly(query, candidates));
      }),
      { numRuns: 300 }
    );
  });
});
