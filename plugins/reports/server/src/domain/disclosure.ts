/**
 * Which public counts may be shown (docs/public-api.md, "Public figures"): a count below the
 * threshold is withheld, and so is whatever would let a reader work a withheld count out by
 * subtraction, within one answer and across the periods of a year.
 *
 * The figures of a project are computed for a whole calendar year at once, month by month; a
 * month, a quarter and the year are read from the same result, so every answer about the year
 * agrees with every other. Three rules:
 *
 * 1. Within a month, every breakdown (by category, region, level) is checked against the
 *    month's total: what the total leaves unexplained (withheld cells, and cases in no listed
 *    cell) must not pin any of those cells down, nor show it to be under the threshold
 *    (`hiddenPartSafe`). Otherwise the next smallest cell is withheld too; failing that, the total.
 * 2. A figure (received, resolved ...) for a quarter or the year is shown only if the months it
 *    leaves unexplained pass the same test; else it is withheld. The year is checked against
 *    the quarters shown, and more months are withheld if need be.
 * 3. A breakdown cell for a quarter or the year is shown only when all its months are: it is
 *    then their sum and tells nothing new.
 *
 * A month whose total is withheld shows no positive cell, and a month whose count of received
 * cases is withheld shows no other figure, so nothing bounds a withheld count from below.
 */

export const FIGURES = ['received', 'acknowledged', 'resolved', 'closed', 'pending', 'escalated', 'referred'] as const;
export type Figure = (typeof FIGURES)[number];
export const MONTHS = 12;
const QUARTERS = 4;

/** One column family: the cells of a breakdown for one measure, whose months add up to at most `total`. */
export interface BreakdownTable {
  /** e.g. `category:received`. */
  name: string;
  total: Figure;
  /** Key → count per month (12 entries). */
  cells: Record<string, number[]>;
  /** The family whose cell with the same key is an upper bound of this one's (resolved ≤ received). */
  boundedBy?: string;
}

export interface YearTable {
  threshold: number;
  figures: Record<Figure, number[]>;
  breakdowns: BreakdownTable[];
}

/** A part of a published sum that is not shown: its value and what a reader can know of it. */
export interface HiddenUnit {
  value: number;
  /** Bounds a reader knows without this sum (withheld means not zero; a shown superset bounds it). */
  lo: number;
  hi: number;
  /** Cases in no listed cell: their number may be shown when it is not small. */
  unlisted?: boolean;
}

/**
 * Whether publishing a sum whose unexplained part is these units keeps each withheld one safe:
 * the equation alone neither pins it to one value nor shows it to be under the threshold.
 */
export function hiddenPartSafe(units: HiddenUnit[], threshold: number): boolean {
  const mass = units.reduce((s, u) => s + u.value, 0);
  if (mass === 0) return true;
  return units.every((u, i) => {
    if (u.value === 0 || (u.unlisted && u.value >= threshold)) return true;
    const others = units.filter((_, j) => j !== i);
    const hi = Math.min(u.hi, mass - others.reduce((s, o) => s + o.lo, 0));
    const lo = Math.max(u.lo, mass - others.reduce((s, o) => s + o.hi, 0));
    return hi >= threshold && hi - lo >= 1;
  });
}

const primary = (v: number, threshold: number) => v > 0 && v < threshold;
const monthsOfQuarter = (q: number) => [q * 3, q * 3 + 1, q * 3 + 2];
const quarterOf = (m: number) => Math.floor(m / 3);
const ALL = Array.from({ length: MONTHS }, (_, m) => m);
const QUARTER_MONTHS = [0, 1, 2, 3].map(monthsOfQuarter);
const sum = (values: number[], months: number[]) => months.reduce((s, m) => s + (values[m] ?? 0), 0);

export interface ProtectedYear {
  /** A figure over some months (one month, a quarter or the year), or null when withheld. */
  figure(figure: Figure, months: number[]): number | null;
  /** A breakdown cell over some months, or null when withheld. */
  cell(breakdown: string, key: string, months: number[]): number | null;
}

/** Applies the rules above to a year of monthly counts. */
export function protectYear(table: YearTable): ProtectedYear {
  const T = table.threshold;
  const F = table.figures;
  const families = new Map(table.breakdowns.map((b) => [b.name, b]));
  const hideF = Object.fromEntries(FIGURES.map((f) => [f, F[f].map((v) => primary(v, T))])) as Record<Figure, boolean[]>;
  const hideQ = Object.fromEntries(FIGURES.map((f) => [f, Array(QUARTERS).fill(false)])) as Record<Figure, boolean[]>;
  // The year's flag as a list of one, so that it is set like the others.
  const hideY = Object.fromEntries(FIGURES.map((f) => [f, [false]])) as Record<Figure, boolean[]>;
  const hideC = new Map<string, Record<string, boolean[]>>(
    table.breakdowns.map((b) => [b.name, Object.fromEntries(Object.entries(b.cells).map(([k, v]) => [k, v.map((x) => primary(x, T))]))])
  );

  if (T <= 1) return reader();

  const upperOfFigure = (f: Figure, m: number) => (f !== 'received' && !hideF.received[m] ? F.received[m] : Infinity);
  const monthUnit = (f: Figure, m: number): HiddenUnit => ({ value: F[f][m], lo: Math.min(1, F[f][m]), hi: upperOfFigure(f, m) });

  /** The quarters and the year of a figure, with the flags that withhold them. */
  const coarseNodes = (f: Figure): Array<[number[], boolean[], number]> => [
    ...QUARTER_MONTHS.map((months, q): [number[], boolean[], number] => [months, hideQ[f], q]),
    [ALL, hideY[f], 0],
  ];

  let changed = true;
  const set = (flags: boolean[], i: number) => {
    if (!flags[i]) {
      flags[i] = true;
      changed = true;
    }
  };
  for (let round = 0; changed && round < 10_000; round += 1) {
    changed = false;
    // A month without its count of received cases shows none of its other figures.
    for (let m = 0; m < MONTHS; m += 1) if (hideF.received[m]) for (const f of FIGURES) set(hideF[f], m);
    for (const f of FIGURES) {
      for (let q = 0; q < QUARTERS; q += 1) if (hideQ.received[q]) set(hideQ[f], q);
      if (hideY.received[0]) set(hideY[f], 0);
    }

    for (const b of table.breakdowns) {
      const hidden = hideC.get(b.name)!;
      const bound = b.boundedBy ? families.get(b.boundedBy) : undefined;
      const boundHidden = b.boundedBy ? hideC.get(b.boundedBy) : undefined;
      for (let m = 0; m < MONTHS; m += 1) {
        const keys = Object.keys(b.cells);
        // A withheld total shows no positive cell; a withheld bounding cell hides the one it bounds.
        for (const k of keys) {
          if (b.cells[k][m] > 0 && (hideF[b.total][m] || boundHidden?.[k]?.[m])) set(hidden[k], m);
        }
        if (hideF[b.total][m]) continue;
        for (;;) {
          const shown = keys.filter((k) => !hidden[k][m]).reduce((s, k) => s + b.cells[k][m], 0);
          const units: HiddenUnit[] = keys
            .filter((k) => hidden[k][m])
            .map((k) => ({
              value: b.cells[k][m],
              lo: Math.min(1, b.cells[k][m]),
              hi: bound && boundHidden && bound.cells[k] && !boundHidden[k][m] ? bound.cells[k][m] : Infinity,
            }));
          // Cases in no listed cell (no region, a category not shown): never shown, so a unit of their own.
          const rest = F[b.total][m] - shown - units.reduce((s, u) => s + u.value, 0);
          if (rest > 0) units.push({ value: rest, lo: 0, hi: Infinity, unlisted: true });
          if (hiddenPartSafe(units, T)) break;
          const next = keys.filter((k) => !hidden[k][m] && b.cells[k][m] > 0).sort((x, y) => b.cells[x][m] - b.cells[y][m])[0];
          if (next !== undefined) set(hidden[next], m);
          else {
            set(hideF[b.total], m);
            break;
          }
        }
      }
    }

    // A quarter's or the year's total against its cells (each the sum of its months, or withheld).
    for (const b of table.breakdowns) {
      const hidden = hideC.get(b.name)!;
      const bound = b.boundedBy ? families.get(b.boundedBy) : undefined;
      const boundHidden = b.boundedBy ? hideC.get(b.boundedBy) : undefined;
      for (const [node, flags, i] of coarseNodes(b.total)) {
        if (flags[i]) continue;
        const keys = Object.keys(b.cells);
        const withheld = keys.filter((k) => node.some((m) => hidden[k][m]));
        const units: HiddenUnit[] = withheld.map((k) => ({
          value: sum(b.cells[k], node),
          lo: Math.min(1, sum(b.cells[k], node)),
          hi: bound && boundHidden && bound.cells[k] && node.every((m) => !boundHidden[k][m]) ? sum(bound.cells[k], node) : Infinity,
        }));
        const shown = keys.filter((k) => !withheld.includes(k)).reduce((s, k) => s + sum(b.cells[k], node), 0);
        const rest = sum(F[b.total], node) - shown - units.reduce((s, u) => s + u.value, 0);
        if (rest > 0) units.push({ value: rest, lo: 0, hi: Infinity, unlisted: true });
        if (!hiddenPartSafe(units, T)) set(flags, i);
      }
    }

    for (const f of FIGURES) {
      for (let q = 0; q < QUARTERS; q += 1) {
        if (hideQ[f][q]) continue;
        const months = monthsOfQuarter(q);
        if (primary(sum(F[f], months), T) || !hiddenPartSafe(months.filter((m) => hideF[f][m]).map((m) => monthUnit(f, m)), T)) set(hideQ[f], q);
      }
      if (hideY[f][0]) continue;
      for (;;) {
        // What the year leaves unexplained: the withheld months of the quarters not shown.
        const open = ALL.filter((m) => hideQ[f][quarterOf(m)] && hideF[f][m]);
        if (!primary(sum(F[f], ALL), T) && hiddenPartSafe(open.map((m) => monthUnit(f, m)), T)) break;
        // Withhold one more month, preferring the quarters already withheld, then the smallest.
        const next = ALL.filter((m) => !hideF[f][m] && F[f][m] > 0).sort(
          (x, y) => Number(!hideQ[f][quarterOf(x)]) - Number(!hideQ[f][quarterOf(y)]) || F[f][x] - F[f][y]
        )[0];
        if (primary(sum(F[f], ALL), T) || next === undefined) {
          set(hideY[f], 0);
          break;
        }
        set(hideF[f], next);
        set(hideQ[f], quarterOf(next));
      }
    }
  }
  return reader();

  function reader(): ProtectedYear {
    return {
      figure(f, months) {
        if (months.length === 1) return hideF[f][months[0]] ? null : F[f][months[0]];
        if (months.length === 3 && months[0] % 3 === 0) return hideQ[f][quarterOf(months[0])] ? null : sum(F[f], months);
        if (months.length === MONTHS) return hideY[f][0] ? null : sum(F[f], months);
        throw new Error('A month, a quarter or the year.');
      },
      cell(name, key, months) {
        const b = families.get(name);
        const values = b?.cells[key];
        if (!b || !values) return 0;
        return months.some((m) => hideC.get(name)![key][m]) ? null : sum(values, months);
      },
    };
  }
}
