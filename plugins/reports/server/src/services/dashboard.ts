/**
 * The staff dashboard's figures (`GET /reports/dashboard`): the KPI module over the requester's
 * scope. Super admins see any project; project admins and viewers their projects; department
 * heads their departments. Sensitive cases count here (staff figures), never in public ones.
 */
import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { ReportRefusal } from '../domain/refusal';
import { getService } from '../../../../../src/platform/services';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const kpi = () => getService('reports', 'kpi');

  return {
    async dashboard(user: any, params: Record<string, unknown>) {
      const unknown = Object.keys(params).filter((k) => !['project', 'from', 'to'].includes(k));
      if (unknown.length) throw new ReportRefusal(400, 'VALIDATION', `Unknown parameter: ${unknown.join(', ')}.`);
      const { project, projects, departmentDocumentIds } = await getService('reports', 'scope').resolve(user, params.project);
      const zone = project.timezone || 'UTC';
      const day = (v: unknown) => (typeof v === 'string' && v ? DateTime.fromISO(v, { zone }) : null);
      const toDay = day(params.to);
      const fromDay = day(params.from);
      if ((toDay && !toDay.isValid) || (fromDay && !fromDay.isValid)) throw new ReportRefusal(400, 'VALIDATION', 'from and to are dates, yyyy-MM-dd.');
      // `to` is inclusive: the whole of that local day (default today) counts.
      const to = (toDay ?? DateTime.now().setZone(zone)).startOf('day').plus({ days: 1 }).toJSDate();
      const from = (fromDay ?? DateTime.fromJSDate(to, { zone }).minus({ months: 6 }).startOf('month')).toJSDate();
      if (from >= to) throw new ReportRefusal(400, 'VALIDATION', 'from must be before to.');
      const scope = { projectDocumentId: project.documentId, from, to, excludeSensitive: false, departmentDocumentIds };

      const [overview, months, departments, officers, heatmap, satisfaction, categories, escalations] = await Promise.all([
        kpi().figures(scope),
        kpi().byMonth(scope, zone),
        kpi().byDepartment(scope),
        kpi().byAssignee(scope),
        kpi().breachHeatmap(scope),
        kpi().satisfaction(scope),
        kpi().byCategory(scope),
        kpi().escalationsByMonth(scope, zone),
      ]);
      const departmentNames = new Map<string, string>(
        (await q('api::department.department').findMany({ where: { locale: 'en' }, select: ['documentId', 'name'] })).map((d: any) => [d.documentId, d.name])
      );
      const categoryNames = new Map<number, string>(
        categories.length ? (await q('api::category.category').findMany({ where: { id: { $in: categories.map((c: any) => c.categoryId) } }, select: ['id', 'name'] })).map((c: any) => [c.id, c.name]) : []
      );
      const users = officers.length ? await q('admin::user').findMany({ where: { id: { $in: officers.map((o: any) => o.userId) } }, select: ['id', 'firstname', 'lastname', 'email'] }) : [];
      const userName = new Map<number, string>(users.map((u: any) => [u.id, [u.firstname, u.lastname].filter(Boolean).join(' ') || u.email]));
      return {
        project: { code: project.code, name: project.name },
        projects,
        period: { from: from.toISOString(), to: to.toISOString(), timeZone: zone },
        scope: departmentDocumentIds ? 'departments' : 'project',
        overview,
        trends: months,
        departments: departments.map((d: any) => ({ ...d, name: departmentNames.get(d.department) ?? d.department })).sort((a: any, b: any) => b.received - a.received),
        officers: officers.map((o: any) => ({ ...o, name: userName.get(o.userId) ?? `#${o.userId}` })).sort((a: any, b: any) => b.resolved - a.resolved || a.averageDays - b.averageDays),
        heatmap: heatmap.map((h: any) => ({ ...h, department: departmentNames.get(h.department) ?? h.department })),
        escalations,
        categories: categories.map((c: any) => ({ name: categoryNames.get(c.categoryId) ?? `#${c.categoryId}`, received: c.received, resolved: c.resolved })).sort((a: any, b: any) => b.received - a.received),
        satisfaction,
      };
    },
  };
};
