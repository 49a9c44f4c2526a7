/**
 * Public figures (docs/public-api.md `GET /api/public-metrics`): the KPI module's figures for one
 * project and one calendar month, quarter or year, anonymised (docs/public-api.md). Sensitive
 * cases and categories are left out entirely; counts are withheld by the rules of
 * domain/disclosure.ts, applied to the whole calendar year at once so that no answer about the
 * year can be subtracted from another; regions are shown only at the top two levels of the tree.
 */
import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { DomainError } from '../../../../../src/domain/errors';
import { BreakdownTable, Figure, FIGURES, MONTHS, protectYear, ProtectedYear } from '../domain/disclosure';
import { fixedPeriodOf, publicPeriod, PublicPeriod } from '../domain/public-period';
import { getService } from '../../../../../src/platform/services';

/** Deepest region level shown in public: province and district, never a village. */
const PUBLIC_REGION_DEPTH = 2;
const RATES = ['medianDaysToAcknowledge', 'medianDaysToResolve', 'acknowledgementCompliance', 'resolutionCompliance'] as const;

export class MetricsRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly errors: Array<{ path: string[]; message: string }> = []) {
    super(message);
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const kpi = () => getService('reports', 'kpi');

  /** The project's top-level regions and how a case's region folds into one of them. */
  async function regionTree(project: any) {
    const regions = await q('api::region.region').findMany({
      where: { locale: 'en', project: { documentId: project.documentId } },
      select: ['id', 'documentId', 'code', 'name', 'level'],
      populate: { parent: { select: ['id'] } },
    });
    const byId = new Map<number, any>(regions.map((r: any) => [r.id, r]));
    const topOf = (id: number): any => {
      let r = byId.get(id);
      while (r && r.level > PUBLIC_REGION_DEPTH && r.parent?.id) r = byId.get(r.parent.id);
      return r;
    };
    const within = (id: number, rootId: number): boolean => {
      for (let r = byId.get(id); r; r = r.parent?.id ? byId.get(r.parent.id) : undefined) if (r.id === rootId) return true;
      return false;
    };
    return { regions, topOf, within };
  }

  /** Monthly counts of a project's year, protected (domain/disclosure.ts). */
  async function protectedYear(project: any, year: number, zone: string, threshold: number) {
    const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
    const scope = { projectDocumentId: project.documentId, from: from.toJSDate(), to: from.plus({ years: 1 }).toJSDate(), excludeSensitive: true };
    const [overall, byCategory, byRegion, byLevel] = await Promise.all([
      kpi().monthly(scope, zone),
      kpi().monthly(scope, zone, 'category'),
      kpi().monthly(scope, zone, 'region'),
      kpi().monthly(scope, zone, 'level'),
    ]);
    const index = (month: string) => Number(month.slice(5, 7)) - 1;
    const zeros = () => Array(MONTHS).fill(0) as number[];
    const figures = Object.fromEntries(FIGURES.map((f) => [f, zeros()])) as Record<Figure, number[]>;
    for (const row of overall) for (const f of FIGURES) figures[f][index(row.month)] = row[f];

    const categoryRows = byCategory.length
      ? await q('api::category.category').findMany({ where: { id: { $in: [...new Set(byCategory.map((r: any) => Number(r.key)))] } }, select: ['id', 'code', 'documentId', 'sensitive', 'name'] })
      : [];
    const category = new Map<string, any>(categoryRows.filter((c: any) => !c.sensitive).map((c: any) => [String(c.id), c]));
    const tree = await regionTree(project);
    const region = new Map<string, any>();
    for (const row of byRegion) {
      const top = tree.topOf(Number(row.key));
      if (top) region.set(String(row.key), top);
    }

    // Cells per key and month; cases in a sensitive category or an unknown region fall outside every cell.
    const table = (rows: any[], keyOf: (row: any) => string | null, measure: Figure) => {
      const cells: Record<string, number[]> = {};
      for (const row of rows) {
        const key = keyOf(row);
        if (key === null) continue;
        (cells[key] ??= zeros())[index(row.month)] += row[measure];
      }
      return cells;
    };
    const categoryKey = (row: any) => category.get(String(row.key))?.code ?? null;
    const regionKey = (row: any) => region.get(String(row.key))?.code ?? null;
    const breakdowns: BreakdownTable[] = [
      { name: 'category:received', total: 'received', cells: table(byCategory, categoryKey, 'received') },
      { name: 'category:resolved', total: 'resolved', cells: table(byCategory, categoryKey, 'resolved'), boundedBy: 'category:received' },
      { name: 'region:received', total: 'received', cells: table(byRegion, regionKey, 'received') },
      { name: 'region:resolved', total: 'resolved', cells: table(byRegion, regionKey, 'resolved'), boundedBy: 'region:received' },
      { name: 'level:cases', total: 'escalated', cells: table(byLevel, (row) => row.key, 'received') },
    ];
    return { protect: protectYear({ threshold, figures, breakdowns }), breakdowns, categories: [...category.values()], regions: [...new Map([...region.values()].map((r) => [r.code, r])).values()], tree };
  }

  const service = {
    async metrics(params: { project?: unknown; period?: unknown; from?: unknown; to?: unknown; region?: unknown; locale?: unknown }) {
      if (typeof params.project !== 'string' || !params.project) throw new MetricsRefusal(400, 'VALIDATION', 'Name the project: ?project=<code>.', [{ path: ['project'], message: 'Required.' }]);
      const locale = typeof params.locale === 'string' && ['en', 'fr', 'hi'].includes(params.locale) ? params.locale : 'en';
      const project = await q('api::project.project').findOne({ where: { code: params.project.toUpperCase(), locale: 'en' } });
      if (!project || project.publicReporting === false) throw new MetricsRefusal(404, 'NOT_FOUND', 'No public figures for this project.');
      let period: PublicPeriod;
      try {
        period = publicPeriod(params, project.timezone || 'UTC', new Date());
      } catch (error) {
        if (error instanceof DomainError) throw new MetricsRefusal(400, error.code, error.message, error.errors);
        throw error;
      }
      return service.figuresFor(project, { from: period.from, to: period.to, region: params.region == null || params.region === '' ? null : String(params.region), locale });
    },

    /**
     * The anonymised figures of a project for a calendar month, quarter or year [from, to): the
     * public metrics and the public reports.
     */
    async figuresFor(project: any, options: { from: Date; to: Date; region?: string | null; locale: string }) {
      const zone = project.timezone || 'UTC';
      const period = fixedPeriodOf(options.from, options.to, zone);
      if (!period) throw new MetricsRefusal(400, 'FIXED_PERIOD_REQUIRED', 'Public figures cover a whole calendar month, quarter or year.');
      const threshold = project.smallCountThreshold ?? 5;
      const year = await protectedYear(project, period.year, zone, threshold);
      const { protect } = year;
      const months = period.months;
      const monthKey = (m: number) => `${period.year}-${String(m + 1).padStart(2, '0')}`;
      const raw = (name: string, key: string) => months.reduce((s, m) => s + (year.breakdowns.find((b) => b.name === name)!.cells[key]?.[m] ?? 0), 0);

      let root: any = null;
      if (options.region) {
        root = year.tree.regions.find((r: any) => r.code === options.region!.toUpperCase());
        if (!root || root.level > PUBLIC_REGION_DEPTH) throw new MetricsRefusal(400, 'VALIDATION', 'Unknown region, or one below the levels shown in public.', [{ path: ['region'], message: 'A province or district code.' }]);
      }
      const shownRegions = year.regions.filter((r: any) => !root || year.tree.within(r.id, root.id)).sort((a: any, b: any) => a.code.localeCompare(b.code));
      const regionRow = (r: any) => ({ code: r.code, name: r.name, level: r.level, received: protect.cell('region:received', r.code, months), resolved: protect.cell('region:resolved', r.code, months) });
      const byRegion = shownRegions.filter((r: any) => raw('region:received', r.code) > 0).map(regionRow);

      const data = root ? regionFigures(protect, shownRegions, months, monthKey) : await projectFigures(project, period, protect, year, options.locale, threshold, raw, monthKey);
      const all = [data.received, data.resolved, ...data.byCategory.flatMap((c: any) => [c.received, c.resolved]), ...byRegion.flatMap((r: any) => [r.received, r.resolved]), ...data.byMonth.flatMap((m: any) => [m.received, m.resolved]), ...data.byLevel.map((l: any) => l.cases)];
      const counted = FIGURES.map((f) => data[f]);
      return {
        data: {
          project: { code: project.code, name: project.name },
          period: { label: period.label, from: period.from.toISOString(), to: period.to.toISOString(), timeZone: zone },
          ...data,
          byRegion,
        },
        meta: {
          smallCountThreshold: threshold,
          // A region's answer leaves out what the project's alone gives; that is not withholding.
          suppressed: [...all, ...(root ? [] : counted)].some((v) => v === null),
          sensitiveExcluded: true,
          regionLevelsShown: PUBLIC_REGION_DEPTH,
          ...(root ? { region: root.code } : {}),
        },
      };
    },
  };

  /** A project's figures: every count as protected, medians and rates where the count is shown. */
  async function projectFigures(project: any, period: PublicPeriod, protect: ProtectedYear, year: any, locale: string, threshold: number, raw: (name: string, key: string) => number, monthKey: (m: number) => string) {
    const months = period.months;
    const totals = Object.fromEntries(FIGURES.map((f) => [f, protect.figure(f, months)])) as Record<Figure, number | null>;
    const received = totals.received;
    // Medians and rates over too few cases, or over a withheld count, say too much about them.
    const rates: Record<string, number | null> = Object.fromEntries(RATES.map((k) => [k, null]));
    if (received !== null && received >= threshold) {
      const figures = await kpi().figures({ projectDocumentId: project.documentId, from: period.from, to: period.to, excludeSensitive: true });
      for (const k of RATES) rates[k] = figures[k];
    }
    const names = new Map<string, string>(year.categories.map((c: any) => [c.documentId, c.name]));
    if (locale !== 'en' && year.categories.length) {
      for (const c of await q('api::category.category').findMany({ where: { documentId: { $in: year.categories.map((c: any) => c.documentId) }, locale }, select: ['documentId', 'name'] })) names.set(c.documentId, c.name);
    }
    const byCategory = year.categories
      .filter((c: any) => raw('category:received', c.code) > 0)
      .sort((a: any, b: any) => a.code.localeCompare(b.code))
      .map((c: any) => ({ code: c.code, name: names.get(c.documentId), received: protect.cell('category:received', c.code, months), resolved: protect.cell('category:resolved', c.code, months) }));
    const levels = Object.keys(year.breakdowns.find((b: any) => b.name === 'level:cases').cells).filter((l) => raw('level:cases', l) > 0);
    return {
      ...totals,
      ...rates,
      byCategory,
      byMonth: months.map((m) => ({ month: monthKey(m), received: protect.figure('received', [m]), resolved: protect.figure('resolved', [m]) })),
      byLevel: levels.sort((a, b) => Number(a) - Number(b)).map((l) => ({ level: Number(l), cases: protect.cell('level:cases', l, months) })),
    };
  }

  /**
   * A region's figures: only what the project's figures by region add up to, so that the region
   * and the project cannot be subtracted from each other: received and resolved, in all and by
   * month. The other counts, medians, rates and breakdowns are the project's alone.
   */
  function regionFigures(protect: ProtectedYear, regions: any[], months: number[], monthKey: (m: number) => string) {
    const total = (name: string, over: number[]) => {
      const cells = regions.map((r: any) => protect.cell(name, r.code, over));
      return cells.some((v) => v === null) ? null : cells.reduce((s: number, v) => s + (v as number), 0);
    };
    const totals = Object.fromEntries(FIGURES.map((f) => [f, null])) as Record<Figure, number | null>;
    return {
      ...totals,
      received: total('region:received', months),
      resolved: total('region:resolved', months),
      ...Object.fromEntries(RATES.map((k) => [k, null])),
      byCategory: [] as any[],
      byMonth: months.map((m) => ({ month: monthKey(m), received: total('region:received', [m]), resolved: total('region:resolved', [m]) })),
      byLevel: [] as any[],
    };
  }

  return service;
};
