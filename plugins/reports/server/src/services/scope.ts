/**
 * Whose figures a manager may see: super admins any project; project admins and viewers their
 * projects; department heads their departments within their projects. Officers and clerks work
 * cases, they do not get figures. The dashboard and the custom reports share this one rule.
 */
import type { Core } from '@strapi/strapi';
import { ReportRefusal } from '../domain/refusal';

const MANAGERS = ['strapi-super-admin', 'grm-project-admin', 'grm-viewer', 'grm-department-head'];
const PROJECT_WIDE = ['strapi-super-admin', 'grm-project-admin', 'grm-viewer'];

export interface ManagerScope {
  project: { id: number; documentId: string; code: string; name: string; timezone: string | null; defaultLocale: string | null };
  projects: Array<{ code: string; name: string }>;
  /** null: the whole project; otherwise only cases of these departments. */
  departmentDocumentIds: string[] | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  return {
    /** Refuses anyone but a super admin or an administrator of the project (the named reports are theirs). */
    async assertAdministers(user: any, projectCode: string): Promise<void> {
      const roles: string[] = (user.roles ?? []).map((r: { code: string }) => r.code);
      if (roles.includes('strapi-super-admin')) return;
      const profile = await q('api::staff-profile.staff-profile').findOne({ where: { user: { id: user.id }, active: true }, populate: { projects: { select: ['code'] } } });
      const mine = (profile?.projects ?? []).map((p: { code: string }) => p.code);
      if (!roles.includes('grm-project-admin') || !mine.includes(projectCode.toUpperCase())) {
        throw new ReportRefusal(403, 'NOT_ALLOWED', 'Only administrators of the project may generate its reports.');
      }
    },

    /** The requester's scope on one project (the first of theirs when none is named). */
    async resolve(user: any, projectCode?: unknown): Promise<ManagerScope> {
      const roles: string[] = (user.roles ?? []).map((r: { code: string }) => r.code);
      if (!roles.some((r) => MANAGERS.includes(r))) throw new ReportRefusal(403, 'NOT_ALLOWED', 'Figures and reports are for managers.');
      const profile = await q('api::staff-profile.staff-profile').findOne({
        where: { user: { id: user.id }, active: true },
        populate: { projects: { select: ['code'] }, departments: { select: ['documentId'] } },
      });
      const all = await q('api::project.project').findMany({ where: { locale: 'en' }, select: ['id', 'documentId', 'code', 'name', 'timezone', 'defaultLocale'], orderBy: { code: 'asc' } });
      const projects = roles.includes('strapi-super-admin') ? all : all.filter((p: any) => (profile?.projects ?? []).some((x: any) => x.code === p.code));
      if (projects.length === 0) throw new ReportRefusal(403, 'NOT_ALLOWED', 'No project in your scope.');
      const project = projectCode ? projects.find((p: any) => p.code === String(projectCode).toUpperCase()) : projects[0];
      if (!project) throw new ReportRefusal(403, 'NOT_ALLOWED', 'This project is outside your scope.');
      const headOnly = !roles.some((r) => PROJECT_WIDE.includes(r));
      return {
        project,
        projects: projects.map((p: any) => ({ code: p.code, name: p.name })),
        departmentDocumentIds: headOnly ? (profile?.departments ?? []).map((d: any) => d.documentId) : null,
      };
    },
  };
};
