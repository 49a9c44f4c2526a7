/**
 * Public figures (CONTRACT.md `GET /api/public-metrics`): the KPI module's figures for one
 * project, anonymised. Sensitive cases and categories are left out entirely; any count below the
 * project's small-count threshold is withheld (null, with `suppressed: true`); regions are shown
 * only at the top two levels of the tree.
 */
import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { startOfLocalDay, suppress } from '../domain/periods';

/** Deepest region level shown in public: province and district, never a village. */
const PUBLIC_REGION_DEPTH = 2;
const DEFAULT_MONTHS = 12;
const MAX_YEARS = 10;

export class MetricsRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly errors: Array<{ path: string[]; message: string }> = []) {
    super(message);
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const kpi = () => strapi.plugin('reports').service('kpi');

  const service = {
    async metrics(params: { project?: unknown; from?: unknown; to?: unknown; region?: unknown; locale?: unknown }) {
      if (typeof params.project !== 'string' || !params.project) throw new MetricsRefusal(400, 'VALIDATION', 'Name the project: ?project=<code>.', [{ path: ['project'], message: 'Required.' }]);
      const locale = typeof params.locale === 'string' && ['en', 'fr', 'hi'].includes(params.locale) ? params.locale : 'en';
      const project = await q('api::project.project').findOne({ where: { code: params.project.toUpperCase(), locale: 'en' } });
      if (!project || project.publicReporting === false) throw new MetricsRefusal(404, 'NOT_FOUND', 'No public figures for this project.');
      const zone = project.timezone || 'UTC';
      const errors: Array<{ path: string[]; message: string }> = [];
      const day = (name: 'from' | 'to') => {
        const v = params[name];
        if (v == null || v === '') return null;
        const d = typeof v === 'string' ? startOfLocalDay(v, zone) : null;
        if (!d) errors.push({ path: [name], message: 'A date, yyyy-MM-dd.' });
        return d;
      };
      const toDay = day('to');
      const fromDay = day('from');
      if (errors.length) throw new MetricsRefusal(400, 'VALIDATION', errors.map((e) => `${e.path[0]}: ${e.message}`).join(' '), errors);
      // `to` is inclusive for people: the whole of that local day counts.
      const to = toDay ? DateTime.fromJSDate(toDay, { zone }).plus({ days: 1 }).toJSDate() : DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day').toJSDate();
      const from = fromDay ?? DateTime.fromJSDate(to, { zone }).minus({ months: DEFAULT_MONTHS }).startOf('month').toJSDate();
      if (from >= to) throw new MetricsRefusal(400, 'VALIDATION', 'from must be before to.', [{ path: ['from'], message: 'Before to.' }]);
      if (DateTime.fromJSDate(to).diff(DateTime.fromJSDate(from), 'years').years > MAX_YEARS) {
        throw new MetricsRefusal(400, 'VALIDATION', `A period of at most ${MAX_YEARS} years.`, [{ path: ['from'], message: `At most ${MAX_YEARS} years before to.` }]);
      }

      return service.figuresFor(project, { from, to, region: params.region == null || params.region === '' ? null : String(params.region), locale });
    },

    /** The anonymised figures of a project for [from, to): the public metrics and the public reports. */
    async figuresFor(project: any, options: { from: Date; to: Date; region?: string | null; locale: string }) {
      const { from, to, locale } = options;
      const zone = project.timezone || 'UTC';
      const regions = await q('api::region.region').findMany({
        where: { locale: 'en', project: { documentId: project.documentId } },
        select: ['id', 'documentId', 'code', 'name', 'level'],
        populate: { parent: { select: ['id'] } },
      });
      const byId = new Map<number, any>(regions.map((r: any) => [r.id, r]));
      let regionIds: number[] | null = null;
      if (options.region) {
        const root = regions.find((r: any) => r.code === options.region!.toUpperCase());
        if (!root || root.level > PUBLIC_REGION_DEPTH) throw new MetricsRefusal(400, 'VALIDATION', 'Unknown region, or one below the levels shown in public.', [{ path: ['region'], message: 'A province or district code.' }]);
        const below = (id: number): number[] => [id, ...regions.filter((r: any) => r.parent?.id === id).flatMap((r: any) => below(r.id))];
        regionIds = below(root.id);
      }

      const scope = { projectDocumentId: project.documentId, from, to, regionIds, excludeSensitive: true };
      const [figures, categories, regionCounts, months, levels] = await Promise.all([kpi().figures(scope), kpi().byCategory(scope), kpi().byRegion(scope), kpi().byMonth(scope, zone), kpi().byLevel(scope)]);
      const threshold = project.smallCountThreshold ?? 5;
      const hide = (n: number) => suppress(n, threshold);
      let suppressed = false;
      const mark = (n: number) => {
        const v = hide(n);
        if (v === null) suppressed = true;
        return v;
      };

      const categoryRows = categories.length
        ? await q('api::category.category').findMany({ where: { id: { $in: categories.map((c: any) => c.categoryId) } }, select: ['id', 'code', 'documentId', 'sensitive', 'name'] })
        : [];
      const names = new Map<string, string>();
      for (const c of categoryRows) names.set(c.documentId, c.name);
      if (locale !== 'en' && categoryRows.length) {
        for (const c of await q('api::category.category').findMany({ where: { documentId: { $in: categoryRows.map((c: any) => c.documentId) }, locale }, select: ['documentId', 'name'] })) names.set(c.documentId, c.name);
      }
      const category = new Map<number, any>(categoryRows.map((c: any) => [c.id, c]));
      const byCategory = categories
        .filter((c: any) => category.get(c.categoryId) && !category.get(c.categoryId).sensitive)
        .map((c: any) => ({ code: category.get(c.categoryId).code, name: names.get(category.get(c.categoryId).documentId), received: mark(c.received), resolved: mark(c.resolved) }))
        .sort((a: any, b: any) => a.code.localeCompare(b.code));

      // Fold each case's region into its ancestor at the deepest public level.
      const topOf = (id: number): any => {
        let r = byId.get(id);
        while (r && r.level > PUBLIC_REGION_DEPTH && r.parent?.id) r = byId.get(r.parent.id);
        return r;
      };
      const folded = new Map<number, { code: string; name: string; level: number; received: number; resolved: number }>();
      for (const c of regionCounts) {
        const top = topOf(c.regionId);
        if (!top) continue;
        const entry = folded.get(top.id) ?? { code: top.code, name: top.name, level: top.level, received: 0, resolved: 0 };
        entry.received += c.received;
        entry.resolved += c.resolved;
        folded.set(top.id, entry);
      }
      const byRegion = [...folded.values()].sort((a, b) => a.code.localeCompare(b.code)).map((r) => ({ ...r, received: mark(r.received), resolved: mark(r.resolved) }));
      const byMonth = months.map((m: any) => ({ month: m.month, received: mark(m.received), resolved: mark(m.resolved) }));
      const byLevel = levels.map((l: any) => ({ level: l.level, cases: mark(l.cases) }));
      const totals = Object.fromEntries(
        Object.entries(figures).map(([k, v]) => [k, ['medianDaysToAcknowledge', 'medianDaysToResolve', 'acknowledgementCompliance', 'resolutionCompliance'].includes(k) ? v : mark(v as number)])
      );
      // Medians and rates over too few cases say too much about them.
      if (figures.received > 0 && figures.received < threshold) {
        for (const k of ['medianDaysToAcknowledge', 'medianDaysToResolve', 'acknowledgementCompliance', 'resolutionCompliance']) totals[k] = null;
      }
      return {
        data: {
          project: { code: project.code, name: project.name },
          period: { from: from.toISOString(), to: to.toISOString(), timeZone: zone },
          ...totals,
          byCategory,
          byRegion,
          byMonth,
          byLevel,
        },
        meta: { smallCountThreshold: threshold, suppressed, sensitiveExcluded: true, regionLevelsShown: PUBLIC_REGION_DEPTH },
      };
    },
  };
  return service;
};
