import fc from 'fast-check';
import { Figure, FIGURES, hiddenPartSafe, MONTHS, protectYear, YearTable } from './disclosure';

const ALL = Array.from({ length: MONTHS }, (_, m) => m);
const QUARTERS = [0, 1, 2, 3].map((q) => [q * 3, q * 3 + 1, q * 3 + 2]);
const NODES = [...ALL.map((m) => [m]), ...QUARTERS, ALL];

/** A year with one category breakdown (received and resolved) and a level breakdown of the escalated cases. */
function year(threshold: number, months: Array<{ cats: Array<[number, number]>; rest: [number, number]; others: number[]; levels: number[] }>): YearTable {
  const figures = Object.fromEntries(FIGURES.map((f) => [f, Array(MONTHS).fill(0)])) as Record<Figure, number[]>;
  const keys = ['A', 'B', 'C', 'D', 'E'];
  const received: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, Array(MONTHS).fill(0)]));
  const resolved: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, Array(MONTHS).fill(0)]));
  const levels: Record<string, number[]> = { '2': Array(MONTHS).fill(0), '3': Array(MONTHS).fill(0) };
  months.forEach((month, m) => {
    month.cats.forEach(([r, s], i) => {
      received[keys[i]][m] = r;
      resolved[keys[i]][m] = Math.min(s, r);
    });
    figures.received[m] = month.cats.reduce((a, [r]) => a + r, 0) + month.rest[0];
    figures.resolved[m] = month.cats.reduce((a, [r, s]) => a + Math.min(s, r), 0) + Math.min(month.rest[1], month.rest[0]);
    figures.acknowledged[m] = Math.min(figures.received[m], figures.resolved[m] + month.others[0]);
    figures.closed[m] = Math.min(figures.resolved[m], month.others[1]);
    figures.pending[m] = Math.min(figures.received[m] - figures.closed[m], month.others[2]);
    levels['2'][m] = Math.min(month.levels[0], figures.received[m]);
    levels['3'][m] = Math.min(month.levels[1], figures.received[m] - levels['2'][m]);
    figures.escalated[m] = levels['2'][m] + levels['3'][m];
    figures.referred[m] = Math.min(levels['3'][m], month.others[3]);
  });
  return {
    threshold,
    figures,
    breakdowns: [
      { name: 'category:received', total: 'received', cells: received },
      { name: 'category:resolved', total: 'resolved', cells: resolved, boundedBy: 'category:received' },
      { name: 'level:cases', total: 'escalated', cells: levels },
    ],
  };
}

const small = fc.nat({ max: 9 });
const monthArb = fc.record({
  cats: fc.array(fc.tuple(small, small), { minLength: 1, maxLength: 5 }),
  rest: fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 })),
  others: fc.array(small, { minLength: 4, maxLength: 4 }),
  levels: fc.array(fc.nat({ max: 4 }), { minLength: 2, maxLength: 2 }),
});
const tableArb = fc.tuple(fc.integer({ min: 2, max: 6 }), fc.array(monthArb, { minLength: MONTHS, maxLength: MONTHS })).map(([t, months]) => year(t, months));

/**
 * What a reader can subtract: for a published sum over hidden parts (cells withheld, cases in
 * no listed cell), the unexplained mass. Sound when it is 0, or when it is only unlisted cases
 * and not small, or when it is spread over two parts or more so that each could still be at
 * least the threshold with every other part at its least (1).
 */
function unexplainedIsSafe(mass: number, withheld: number[], unlisted: number, threshold: number): boolean {
  if (mass === 0) return true;
  if (withheld.every((w) => w === 0) && (unlisted === 0 || unlisted >= threshold)) return true;
  // A withheld part may be 0 (withheld with its month); the reader cannot tell which.
  const parts = withheld.length + (unlisted > 0 ? 1 : 0);
  const positive = [...withheld, unlisted].filter((p) => p > 0).length;
  return parts >= 2 && mass - (positive - 1) >= threshold;
}

/** Every way the published figures of a year break the rules, as sentences. */
function violations(t: YearTable): string[] {
  const p = protectYear(t);
  const T = t.threshold;
  const found: string[] = [];
  const at = (node: number[]) => (node.length === 1 ? `month ${node[0]}` : node.length === 3 ? `quarter ${node[0] / 3}` : 'the year');
  for (const node of NODES) {
    for (const f of FIGURES) {
      const v = p.figure(f, node);
      if (v !== null && v > 0 && v < T) found.push(`${f} of ${at(node)} is small: ${v}`);
    }
    for (const b of t.breakdowns) {
      for (const k of Object.keys(b.cells)) {
        const v = p.cell(b.name, k, node);
        if (v !== null && v > 0 && v < T) found.push(`${b.name} ${k} of ${at(node)} is small: ${v}`);
      }
      // Within the node: the total minus its shown cells.
      const total = p.figure(b.total, node);
      if (total === null) continue;
      const withheld = Object.keys(b.cells).filter((k) => p.cell(b.name, k, node) === null).map((k) => node.reduce((s, m) => s + b.cells[k][m], 0));
      const shown = Object.keys(b.cells).reduce((s, k) => s + (p.cell(b.name, k, node) ?? 0), 0);
      const rest = total - shown - withheld.reduce((s, x) => s + x, 0);
      if (!unexplainedIsSafe(total - shown, withheld, rest, T)) found.push(`${b.name} of ${at(node)}: ${total} minus ${shown} leaves ${JSON.stringify(withheld)} and ${rest}`);
    }
  }
  for (const f of FIGURES) {
    // Across periods: a quarter minus its shown months, the year minus its shown quarters and months.
    for (const q of QUARTERS) {
      if (p.figure(f, q) === null) continue;
      const hidden = q.filter((m) => p.figure(f, [m]) === null).map((m) => t.figures[f][m]);
      if (!unexplainedIsSafe(hidden.reduce((s, x) => s + x, 0), hidden, 0, T)) found.push(`${f} of ${at(q)} leaves ${JSON.stringify(hidden)}`);
    }
    if (p.figure(f, ALL) !== null) {
      const hidden = QUARTERS.filter((q) => p.figure(f, q) === null).flat().filter((m) => p.figure(f, [m]) === null).map((m) => t.figures[f][m]);
      if (!unexplainedIsSafe(hidden.reduce((s, x) => s + x, 0), hidden, 0, T)) found.push(`${f} of the year leaves ${JSON.stringify(hidden)}`);
    }
    // A month whose received count is withheld shows no other figure, and no positive cell.
    for (const m of ALL) {
      if (p.figure('received', [m]) !== null) continue;
      if (p.figure(f, [m]) !== null) found.push(`${f} of month ${m} shown without received`);
      for (const b of t.breakdowns) for (const k of Object.keys(b.cells)) if (b.cells[k][m] > 0 && p.cell(b.name, k, [m]) !== null) found.push(`${b.name} ${k} of month ${m} shown without received`);
    }
  }
  return found;
}

describe('hiddenPartSafe', () => {
  it('refuses a lone withheld count, a total that pins its parts, and parts shown to be small', () => {
    expect(hiddenPartSafe([{ value: 3, lo: 1, hi: Infinity }], 5)).toBe(false);
    expect(hiddenPartSafe([{ value: 7, lo: 1, hi: Infinity }], 5)).toBe(false);
    expect(hiddenPartSafe([1, 1, 1, 1, 1].map((value) => ({ value, lo: 1, hi: Infinity })), 5)).toBe(false);
    expect(hiddenPartSafe([{ value: 2, lo: 1, hi: Infinity }, { value: 2, lo: 1, hi: Infinity }], 5)).toBe(false);
    // Both could be anything from 1 to 7.
    expect(hiddenPartSafe([{ value: 3, lo: 1, hi: Infinity }, { value: 5, lo: 1, hi: Infinity }], 5)).toBe(true);
    // An upper bound known elsewhere (resolved ≤ received) can pin a part.
    expect(hiddenPartSafe([{ value: 3, lo: 1, hi: Infinity }, { value: 5, lo: 1, hi: 5 }], 5)).toBe(true);
    expect(hiddenPartSafe([{ value: 3, lo: 1, hi: 3 }, { value: 5, lo: 1, hi: 5 }], 5)).toBe(false);
    expect(hiddenPartSafe([], 5)).toBe(true);
  });
});

describe('protectYear', () => {
  it('withholds the next smallest category when one is withheld, so the total does not give it away', () => {
    const t = year(5, Array.from({ length: MONTHS }, (_, m) => ({ cats: m === 0 ? [[1, 0], [6, 0], [9, 0]] : [], rest: [0, 0], others: [0, 0, 0, 0], levels: [0, 0] })));
    const p = protectYear(t);
    expect(p.figure('received', [0])).toBe(16);
    expect(['A', 'B', 'C'].map((k) => p.cell('category:received', k, [0]))).toEqual([null, null, 9]);
  });

  it('does not let the year minus the other months give away a quiet month', () => {
    // Eleven months of 20 cases and one of 2: the year is shown only if another month is withheld with it.
    const t = year(5, Array.from({ length: MONTHS }, (_, m) => ({ cats: [[m === 4 ? 2 : 20, 0]], rest: [0, 0], others: [0, 0, 0, 0], levels: [0, 0] })));
    const p = protectYear(t);
    expect(p.figure('received', [4])).toBeNull();
    const whole = p.figure('received', ALL);
    const shownMonths = ALL.filter((m) => p.figure('received', [m]) !== null);
    const shownQuarters = QUARTERS.filter((q) => p.figure('received', q) !== null);
    if (whole !== null) {
      expect(shownMonths.length).toBeLessThanOrEqual(10);
      expect(shownQuarters.length).toBeLessThanOrEqual(3);
    }
    // The quarter of the quiet month cannot be shown: it would give the month away.
    expect(p.figure('received', QUARTERS[1])).toBeNull();
  });

  it('shows everything when nothing is small', () => {
    const t = year(5, Array.from({ length: MONTHS }, () => ({ cats: [[10, 5], [0, 0], [7, 7]], rest: [0, 0], others: [0, 5, 5, 0], levels: [0, 0] })));
    const p = protectYear(t);
    expect(p.figure('received', ALL)).toBe(204);
    expect(p.cell('category:received', 'A', ALL)).toBe(120);
    expect(p.cell('category:resolved', 'C', QUARTERS[2])).toBe(21);
  });

  it('keeps every published count at 0 or the threshold, and no sum that can be subtracted gives a withheld count away', () => {
    fc.assert(
      fc.property(tableArb, (t) => {
        expect(violations(t)).toEqual([]);
      }),
      { numRuns: 300 }
    );
  });
});
