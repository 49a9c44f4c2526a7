/**
 * The KPI module: one definition of every figure, computed in SQL on PostgreSQL and SQLite, for
 * the public figures, the dashboard and the reports alike. Periods are [from, to) instants; months
 * are bucketed by boundaries computed in the project's time zone (domain/periods.ts).
 *
 * Definitions, over the cases received in the period (sensitive ones excluded where asked):
 * - received: submitted in the period; acknowledged / resolved: of those, ever acknowledged /
 *   resolved; closed: closed now; pending: still open now; escalated: went above level 1;
 *   referred: reached a level without a time limit (a court or another outside body).
 * - median days to acknowledge / resolve: from submission, in calendar days, over the cases that
 *   were acknowledged / resolved.
 * - acknowledgement / resolution compliance: on time over on time plus late, from the stamps the
 *   SLA clocks put on each case (src/domain/sla-outcome.ts); an open case that is or was overdue
 *   counts as late.
 * - overdue: open now with a running clock past its deadline (sla-outcome `isOverdue`);
 *   breached: went overdue at some point (`breachedAt`, or overdue now before the sweep stamps it).
 * - escalated by level (and month): the cases above level 1 by the level they are at now, by the
 *   local month they were received in, so they add up to `escalated`.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { OPEN_STATUSES as OPEN } from '../../../../../src/domain/vocabulary';
import { AWAITING_PICK_UP } from '../../../../../src/domain/sla-outcome';
import { monthsOf } from '../domain/periods';
import { Figure, FIGURES } from '../domain/disclosure';

export interface KpiScope {
  projectDocumentId: string;
  from: Date;
  to: Date;
  /** Limit to a region and everything below it. */
  regionIds?: number[] | null;
  /** Limit to these departments (a department head's scope). */
  departmentDocumentIds?: string[] | null;
  /** Limit to these categories (a custom report's filter). */
  categoryIds?: number[] | null;
  priority?: string | null;
  channel?: string | null;
  excludeSensitive: boolean;
  now?: Date;
}

export interface KpiFigures {
  received: number;
  acknowledged: number;
  resolved: number;
  closed: number;
  pending: number;
  escalated: number;
  referred: number;
  medianDaysToAcknowledge: number | null;
  medianDaysToResolve: number | null;
  acknowledgementCompliance: number | null;
  resolutionCompliance: number | null;
  /** Open now with a running clock past its deadline. */
  overdue: number;
  /** Went overdue at some point, open or not. */
  breached: number;
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;
  const pg = () => strapi.db.dialect.client === 'postgres';
  /** Instants as the database stores them: timestamps on PostgreSQL, epoch milliseconds on SQLite. */
  const t = (d: Date) => (pg() ? d : d.getTime());
  const days = (later: string, earlier: string) =>
    pg() ? `EXTRACT(EPOCH FROM (${later} - ${earlier})) / 86400.0` : `(${later} - ${earlier}) / 86400000.0`;
  const truthy = (column: string) => (pg() ? `${column} = true` : `${column} = 1`);
  const falsy = (column: string) => (pg() ? `${column} = false` : `${column} = 0`);
  const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
  /**
   * `isOverdue` of src/domain/sla-outcome.ts in SQL, with two bindings (now, now): open, and the resolve
   * clock, or the acknowledge clock while the case waits to be picked up, past its deadline.
   */
  const overdueNow = () =>
    `(g.case_status IN (${list(OPEN)}) AND (g.resolve_due_at < ? OR (g.case_status IN (${list(AWAITING_PICK_UP)}) AND g.acknowledge_due_at < ?)))`;
  /** Went overdue at some point: stamped by the sweep, or overdue now before its next look. Two bindings (now). */
  const everBreached = () => `(g.breached_at IS NOT NULL OR ${overdueNow()})`;

  /** Cases of the scope: grievances joined to their project (and category for sensitivity). */
  function base(scope: KpiScope) {
    const q = knex()('grievances as g')
      .join('grievances_project_lnk as gp', 'gp.grievance_id', 'g.id')
      .join('projects as p', 'p.id', 'gp.project_id')
      .where('p.document_id', scope.projectDocumentId)
      .where('g.submitted_at', '>=', t(scope.from))
      .where('g.submitted_at', '<', t(scope.to));
    if (scope.excludeSensitive) {
      q.whereRaw(`(g.sensitive IS NULL OR ${falsy('g.sensitive')})`);
    }
    if (scope.departmentDocumentIds) {
      q.whereExists(function (this: Knex.QueryBuilder) {
        this.select(knex().raw('1'))
          .from('grievances_department_lnk as gdx')
          .join('departments as dx', 'dx.id', 'gdx.department_id')
          .whereRaw('gdx.grievance_id = g.id')
          .whereIn('dx.document_id', scope.departmentDocumentIds!);
      });
    }
    if (scope.categoryIds) {
      q.whereExists(function (this: Knex.QueryBuilder) {
        this.select(knex().raw('1')).from('grievances_category_lnk as gcx').whereRaw('gcx.grievance_id = g.id').whereIn('gcx.category_id', scope.categoryIds!);
      });
    }
    if (scope.priority) q.where('g.priority', scope.priority);
    if (scope.channel) q.where('g.channel', scope.channel);
    if (scope.regionIds) {
      q.whereExists(function (this: Knex.QueryBuilder) {
        this.select(knex().raw('1')).from('grievances_region_lnk as gr').whereRaw('gr.grievance_id = g.id').whereIn('gr.region_id', scope.regionIds!);
      });
    }
    return q;
  }

  async function median(scope: KpiScope, stamp: 'acknowledged_at' | 'resolved_at'): Promise<number | null> {
    const durations = base(scope).whereNotNull(`g.${stamp}`).select(knex().raw(`${days(`g.${stamp}`, 'g.submitted_at')} AS v`));
    const ordered = knex()
      .from(durations.as('d'))
      .select('v', knex().raw('ROW_NUMBER() OVER (ORDER BY v) AS rn'), knex().raw('COUNT(*) OVER () AS n'));
    const row = await knex()
      .from(ordered.as('o'))
      .whereRaw('rn IN ((n + 1) / 2, (n + 2) / 2)')
      .avg({ m: 'v' })
      .first();
    return row?.m == null ? null : Math.round(Number(row.m) * 10) / 10;
  }

  const service = {
    async figures(scope: KpiScope): Promise<KpiFigures> {
      const now = t(scope.now ?? new Date());
      const open = OPEN.map((s) => `'${s}'`).join(', ');
      const row: any = await base(scope)
        .select(
          knex().raw('COUNT(*) AS received'),
          knex().raw('COUNT(g.acknowledged_at) AS acknowledged'),
          knex().raw('COUNT(g.resolved_at) AS resolved'),
          knex().raw(`SUM(CASE WHEN g.case_status = 'closed' THEN 1 ELSE 0 END) AS closed`),
          knex().raw(`SUM(CASE WHEN g.case_status IN (${open}) THEN 1 ELSE 0 END) AS pending`),
          knex().raw('SUM(CASE WHEN g.escalation_level > 1 THEN 1 ELSE 0 END) AS escalated'),
          knex().raw(`SUM(CASE WHEN g.sla_state = 'no_limit' THEN 1 ELSE 0 END) AS referred`),
          knex().raw(`SUM(CASE WHEN ${truthy('g.acknowledged_on_time')} THEN 1 ELSE 0 END) AS ack_on_time`),
          knex().raw(`SUM(CASE WHEN ${falsy('g.acknowledged_on_time')} OR (g.case_status = 'submitted' AND g.acknowledge_due_at < ?) THEN 1 ELSE 0 END) AS ack_late`, [now]),
          knex().raw(`SUM(CASE WHEN ${truthy('g.resolved_on_time')} THEN 1 ELSE 0 END) AS res_on_time`),
          knex().raw(`SUM(CASE WHEN ${falsy('g.resolved_on_time')} OR (g.case_status IN (${open}) AND ${everBreached()}) THEN 1 ELSE 0 END) AS res_late`, [now, now]),
          knex().raw(`SUM(CASE WHEN ${overdueNow()} THEN 1 ELSE 0 END) AS overdue`, [now, now]),
          knex().raw(`SUM(CASE WHEN ${everBreached()} THEN 1 ELSE 0 END) AS breached`, [now, now])
        )
        .first();
      const n = (k: string) => Number(row?.[k] ?? 0);
      return {
        received: n('received'),
        acknowledged: n('acknowledged'),
        resolved: n('resolved'),
        closed: n('closed'),
        pending: n('pending'),
        escalated: n('escalated'),
        referred: n('referred'),
        medianDaysToAcknowledge: await median(scope, 'acknowledged_at'),
        medianDaysToResolve: await median(scope, 'resolved_at'),
        acknowledgementCompliance: ratio(n('ack_on_time'), n('ack_on_time') + n('ack_late')),
        resolutionCompliance: ratio(n('res_on_time'), n('res_on_time') + n('res_late')),
        overdue: n('overdue'),
        breached: n('breached'),
      };
    },

    /** Received and resolved per category (by code). */
    async byCategory(scope: KpiScope): Promise<Array<{ categoryId: number; received: number; resolved: number }>> {
      const rows = await base(scope)
        .join('grievances_category_lnk as gc', 'gc.grievance_id', 'g.id')
        .select('gc.category_id as categoryId', knex().raw('COUNT(*) AS received'), knex().raw('COUNT(g.resolved_at) AS resolved'))
        .groupBy('gc.category_id');
      return rows.map((r: any) => ({ categoryId: Number(r.categoryId), received: Number(r.received), resolved: Number(r.resolved) }));
    },

    /** Received and resolved per region the case is in (callers fold them to the levels they show). */
    async byRegion(scope: KpiScope): Promise<Array<{ regionId: number; received: number; resolved: number }>> {
      const rows = await base(scope)
        .join('grievances_region_lnk as gr', 'gr.grievance_id', 'g.id')
        .select('gr.region_id as regionId', knex().raw('COUNT(*) AS received'), knex().raw('COUNT(g.resolved_at) AS resolved'))
        .groupBy('gr.region_id');
      return rows.map((r: any) => ({ regionId: Number(r.regionId), received: Number(r.received), resolved: Number(r.resolved) }));
    },

    /** Per department: received, resolved, overdue now (as in `figures`). */
    async byDepartment(scope: KpiScope) {
      const now = t(scope.now ?? new Date());
      const rows = await base(scope)
        .join('grievances_department_lnk as gd', 'gd.grievance_id', 'g.id')
        .join('departments as d', 'd.id', 'gd.department_id')
        .select(
          'd.document_id as department',
          knex().raw('COUNT(*) AS received'),
          knex().raw('COUNT(g.resolved_at) AS resolved'),
          knex().raw(`SUM(CASE WHEN ${overdueNow()} THEN 1 ELSE 0 END) AS overdue`, [now, now])
        )
        .groupBy('d.document_id');
      return rows.map((r: any) => ({ department: String(r.department), received: Number(r.received), resolved: Number(r.resolved), overdue: Number(r.overdue) }));
    },

    /** Per officer: cases resolved in scope and the average days from submission to resolution. */
    async byAssignee(scope: KpiScope) {
      const rows = await base(scope)
        .whereNotNull('g.resolved_at')
        .join('grievances_assignee_lnk as ga', 'ga.grievance_id', 'g.id')
        .select('ga.user_id as userId', knex().raw('COUNT(*) AS resolved'), knex().raw(`AVG(${days('g.resolved_at', 'g.submitted_at')}) AS avg_days`))
        .groupBy('ga.user_id');
      return rows.map((r: any) => ({ userId: Number(r.userId), resolved: Number(r.resolved), averageDays: Math.round(Number(r.avg_days) * 10) / 10 }));
    },

    /** Department × priority: cases and how many of them went overdue at some point (`breached` in `figures`). */
    async breachHeatmap(scope: KpiScope) {
      const now = t(scope.now ?? new Date());
      const rows = await base(scope)
        .join('grievances_department_lnk as gd', 'gd.grievance_id', 'g.id')
        .join('departments as d', 'd.id', 'gd.department_id')
        .select('d.document_id as department', 'g.priority as priority', knex().raw('COUNT(*) AS cases'), knex().raw(`SUM(CASE WHEN ${everBreached()} THEN 1 ELSE 0 END) AS breached`, [now, now]))
        .groupBy('d.document_id', 'g.priority');
      return rows.map((r: any) => ({ department: String(r.department), priority: r.priority ?? 'normal', cases: Number(r.cases), breached: Number(r.breached), rate: ratio(Number(r.breached), Number(r.cases)) }));
    },

    /** Citizens' ratings of the cases in scope: how many gave each mark, and the average. */
    async satisfaction(scope: KpiScope) {
      const rows = await base(scope).whereNotNull('g.rating').select('g.rating as rating', knex().raw('COUNT(*) AS n')).groupBy('g.rating');
      const counts = [1, 2, 3, 4, 5].map((mark) => ({ rating: mark, count: Number(rows.find((r: any) => Number(r.rating) === mark)?.n ?? 0) }));
      const total = counts.reduce((s, c) => s + c.count, 0);
      return { counts, total, average: total ? Math.round((counts.reduce((s, c) => s + c.rating * c.count, 0) / total) * 100) / 100 : null };
    },

    /** Per priority and current level: received, resolved (the performance review's rows). */
    async byPriorityAndLevel(scope: KpiScope) {
      const rows = await base(scope)
        .select('g.priority as priority', 'g.escalation_level as level', knex().raw('COUNT(*) AS received'), knex().raw('COUNT(g.resolved_at) AS resolved'))
        .groupBy('g.priority', 'g.escalation_level');
      return rows.map((r: any) => ({ priority: r.priority ?? 'normal', level: Number(r.level ?? 1), received: Number(r.received), resolved: Number(r.resolved) }));
    },

    /** Cases received in the period that went above level 1, by the level they are at now. */
    async byLevel(scope: KpiScope): Promise<Array<{ level: number; cases: number }>> {
      const rows = await base(scope).where('g.escalation_level', '>', 1).select('g.escalation_level as level', knex().raw('COUNT(*) AS cases')).groupBy('g.escalation_level').orderBy('g.escalation_level');
      return rows.map((r: any) => ({ level: Number(r.level), cases: Number(r.cases) }));
    },

    /**
     * Cases received in the period above level 1, per local month of receipt and the level they
     * are at now: `byLevel` spread over months (the dashboard's chart), adding up to `escalated`.
     */
    async escalationsByMonth(scope: KpiScope, timeZone: string): Promise<Array<{ month: string; level: number; count: number }>> {
      const rows = await service.monthly(scope, timeZone, 'level');
      return rows
        .map((r) => ({ month: r.month, level: Number(r.key), count: r.received }))
        .filter((r) => r.count > 0)
        .sort((a, b) => a.month.localeCompare(b.month) || a.level - b.level);
    },

    /**
     * The counted figures (received ... referred) per local month of submission, overall or per
     * category, region or current level above 1: what the public figures are protected from, a
     * year at a time (domain/disclosure.ts). Medians and rates are not summable, so not here.
     */
    async monthly(scope: KpiScope, timeZone: string, by: 'category' | 'region' | 'level' | null = null): Promise<Array<{ month: string; key: string | null } & Record<Figure, number>>> {
      const months = monthsOf(scope.from, scope.to, timeZone);
      if (months.length === 0) return [];
      const instant = pg() ? 'CAST(? AS timestamptz)' : '?';
      const table = months.map(() => `SELECT ? AS month_key, ${instant} AS month_from, ${instant} AS month_to`).join(' UNION ALL ');
      const open = OPEN.map((x) => `'${x}'`).join(', ');
      const q = base(scope).join(knex().raw(`(${table}) AS m`, months.flatMap((m) => [m.key, t(m.from), t(m.to)])), function (this: Knex.JoinClause) {
        this.on('g.submitted_at', '>=', 'm.month_from').andOn('g.submitted_at', '<', 'm.month_to');
      });
      const key = { category: 'gc.category_id', region: 'gr.region_id', level: 'g.escalation_level' };
      if (by === 'category') q.join('grievances_category_lnk as gc', 'gc.grievance_id', 'g.id');
      if (by === 'region') q.join('grievances_region_lnk as gr', 'gr.grievance_id', 'g.id');
      if (by === 'level') q.where('g.escalation_level', '>', 1);
      const rows = await q
        .select(
          'm.month_key as month',
          by ? knex().raw(`${key[by]} AS dim`) : knex().raw('NULL AS dim'),
          knex().raw('COUNT(*) AS received'),
          knex().raw('COUNT(g.acknowledged_at) AS acknowledged'),
          knex().raw('COUNT(g.resolved_at) AS resolved'),
          knex().raw(`SUM(CASE WHEN g.case_status = 'closed' THEN 1 ELSE 0 END) AS closed`),
          knex().raw(`SUM(CASE WHEN g.case_status IN (${open}) THEN 1 ELSE 0 END) AS pending`),
          knex().raw('SUM(CASE WHEN g.escalation_level > 1 THEN 1 ELSE 0 END) AS escalated'),
          knex().raw(`SUM(CASE WHEN g.sla_state = 'no_limit' THEN 1 ELSE 0 END) AS referred`)
        )
        .groupBy(by ? ['m.month_key', key[by]] : ['m.month_key']);
      return rows.map((r: any) => ({
        month: String(r.month),
        key: r.dim == null ? null : String(r.dim),
        ...(Object.fromEntries(FIGURES.map((f) => [f, Number(r[f] ?? 0)])) as Record<Figure, number>),
      }));
    },

    /** Received and resolved per local month of submission. */
    async byMonth(scope: KpiScope, timeZone: string): Promise<Array<{ month: string; received: number; resolved: number }>> {
      const months = monthsOf(scope.from, scope.to, timeZone);
      if (months.length === 0) return [];
      // The months as a derived table of [from, to) instants, joined by range: the same SQL on both databases.
      const instant = pg() ? 'CAST(? AS timestamptz)' : '?';
      const table = months.map(() => `SELECT ? AS month_key, ${instant} AS month_from, ${instant} AS month_to`).join(' UNION ALL ');
      const rows = await base(scope)
        .join(knex().raw(`(${table}) AS m`, months.flatMap((m) => [m.key, t(m.from), t(m.to)])), function (this: Knex.JoinClause) {
          this.on('g.submitted_at', '>=', 'm.month_from').andOn('g.submitted_at', '<', 'm.month_to');
        })
        .select('m.month_key as month', knex().raw('COUNT(*) AS received'), knex().raw('COUNT(g.resolved_at) AS resolved'))
        .groupBy('m.month_key');
      const found = new Map(rows.map((r: any) => [String(r.month), r]));
      return months.map((m) => ({ month: m.key, received: Number((found.get(m.key) as any)?.received ?? 0), resolved: Number((found.get(m.key) as any)?.resolved ?? 0) }));
    },
  };
  return service;
};
