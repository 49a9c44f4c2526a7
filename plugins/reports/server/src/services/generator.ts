/**
 * Generates a report: the figures from the KPI module, the PDF and the workbook, both stored
 * through the upload provider, an archive entry (a new version if the period was reported
 * before; old versions are kept), an audit event, and an e-mail with both files to the
 * project's report recipients through the notification outbox, all but the file uploads in one
 * transaction. Public kinds are anonymised exactly like the public figures.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { renderPdf } from '../../../../../src/platform/pdf';
import { claimOccurrence, releaseOccurrence } from '../../../../../src/platform/scheduled-jobs';
import { linkTo } from '../../../../../src/platform/stored-files';
import { OPEN_STATUSES as OPEN, PRIORITIES } from '../../../../../src/domain/vocabulary';
import { parseCustomRequest, parseFormats, ReportFormat } from '../domain/custom-request';
import { FiguresReport, figuresReportPdf, figuresReportXlsx, Row } from '../domain/figures-report';
import { namedPeriod, NamedPeriod, periodOfDays, previousPeriod } from '../domain/periods-named';
import { fill, reportWords } from '../domain/labels';
import { ReportRefusal } from '../domain/refusal';
import { TableReport, tableReportPdf, tableReportXlsx } from '../domain/table-report';
import type { KpiScope } from './kpi';
import { getService } from '../../../../../src/platform/services';

export { ReportRefusal };
export const PUBLIC_KINDS = ['monthly_public', 'quarterly_public'] as const;
/** Internal reports: for the project's administrators, never in the public archive. */
export const INTERNAL_KINDS = ['monthly_escalated', 'monthly_performance'] as const;
export type ReportKind = (typeof PUBLIC_KINDS)[number] | (typeof INTERNAL_KINDS)[number] | 'custom';
const PRIORITY_ORDER = [...PRIORITIES].reverse();
const REPORT = 'plugin::reports.report';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** Stores a generated file through the upload provider (local disk or S3). */
  async function store(buffer: Buffer, name: string, mime: string) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'grm-report-'));
    const filepath = path.join(dir, name);
    try {
      await fs.writeFile(filepath, buffer);
      const [file] = await strapi.plugin('upload').service('upload').upload({
        data: { fileInfo: { name } },
        files: { filepath, originalFilename: name, mimetype: mime, size: buffer.length },
      });
      return file;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  async function projectByCode(code: string) {
    const project = await q('api::project.project').findOne({ where: { code: code.toUpperCase(), locale: 'en' } });
    if (!project) throw new ReportRefusal(404, 'NOT_FOUND', `No project ${code}.`);
    return project;
  }

  /** E-mail addresses of the project's active administrators. */
  async function administrators(project: any): Promise<string[]> {
    const profiles = await q('api::staff-profile.staff-profile').findMany({
      where: { active: true, projects: { documentId: project.documentId }, user: { roles: { code: 'grm-project-admin' } } },
      populate: { user: { select: ['email', 'isActive'] } },
    });
    return profiles.filter((p: any) => p.user?.isActive).map((p: any) => p.user.email);
  }

  /** Open cases above level 1 at the time of the run: who has to move what. */
  async function escalatedTable(project: any, now: Date, w: Record<string, string>) {
    const rows = await q('api::grievance.grievance').findMany({
      where: { project: { documentId: project.documentId }, caseStatus: { $in: [...OPEN] }, escalationLevel: { $gt: 1 } },
      orderBy: [{ escalationLevel: 'desc' }, { submittedAt: 'asc' }],
      populate: { category: { select: ['name'] }, department: { select: ['name'] } },
    });
    return {
      columns: [
        { key: 'code', header: w.code, width: 26, kind: 'text' as const },
        { key: 'category', header: w.category, width: 28, kind: 'text' as const },
        { key: 'department', header: w.department, width: 24, kind: 'text' as const },
        { key: 'level', header: w.level, width: 8, kind: 'number' as const },
        { key: 'status', header: w.status, width: 12, kind: 'text' as const },
        { key: 'submitted', header: w.submitted, width: 12, kind: 'date' as const },
        { key: 'due', header: w.due, width: 12, kind: 'date' as const },
        { key: 'daysOpen', header: w.daysOpen, width: 10, kind: 'number' as const },
      ],
      rows: rows.map((r: any) => ({
        code: r.trackingCode,
        category: r.category?.name ?? '',
        department: r.department?.name ?? '',
        level: r.escalationLevel,
        status: r.caseStatus,
        submitted: r.submittedAt ? new Date(r.submittedAt) : null,
        due: r.resolveDueAt ? new Date(r.resolveDueAt) : null,
        daysOpen: r.submittedAt ? Math.floor((now.getTime() - new Date(r.submittedAt).getTime()) / 86_400_000) : null,
      })),
    };
  }

  /** Received, resolved and escalated (by level) per priority, for the month: the performance review. */
  async function performanceTable(project: any, period: NamedPeriod, w: Record<string, string>) {
    const cells = await getService('reports', 'kpi').byPriorityAndLevel({ projectDocumentId: project.documentId, from: period.from, to: period.to, excludeSensitive: false });
    const levels = [...new Set<number>(cells.map((c: any) => c.level).filter((l: number) => l > 1))].sort();
    const rows = PRIORITY_ORDER.filter((p) => cells.some((c: any) => c.priority === p)).map((priority) => {
      const mine = cells.filter((c: any) => c.priority === priority);
      return {
        project: project.code,
        priority,
        received: mine.reduce((s: number, c: any) => s + c.received, 0),
        resolved: mine.reduce((s: number, c: any) => s + c.resolved, 0),
        ...Object.fromEntries(levels.map((l) => [`level${l}`, mine.filter((c: any) => c.level === l).reduce((s: number, c: any) => s + c.received, 0)])),
      };
    });
    return {
      columns: [
        { key: 'project', header: w.project, width: 10, kind: 'text' as const },
        { key: 'priority', header: w.priority, width: 10, kind: 'text' as const },
        { key: 'received', header: w.received, width: 12, kind: 'number' as const },
        { key: 'resolved', header: w.resolved, width: 12, kind: 'number' as const },
        ...levels.map((l) => ({ key: `level${l}`, header: `${w.escalated} (${w.level} ${l})`, width: 16, kind: 'number' as const })),
      ],
      rows,
    };
  }

  /** The head of every report: project (in the report's language), period, time, audit chain head. */
  async function headerOf(project: any, locale: string, periodLabel: string, now: Date) {
    const head = await getService('audit', 'audit').head();
    const localName = (await q('api::project.project').findOne({ where: { documentId: project.documentId, locale }, select: ['name'] }))?.name ?? project.name;
    return {
      projectName: localName as string,
      locale,
      periodLabel,
      generatedAt: DateTime.fromJSDate(now, { zone: project.timezone || 'UTC' }).toFormat('yyyy-MM-dd HH:mm ZZZZ'),
      auditHead: head ? `#${head.seq} ${String(head.hash).slice(0, 16)}` : null,
    };
  }

  /** Names of localised entries by documentId in the report's language, English where missing. */
  async function namesOf(uid: string, documentIds: string[], locale: string): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (documentIds.length === 0) return names;
    for (const l of locale === 'en' ? ['en'] : ['en', locale]) {
      for (const row of await q(uid).findMany({ where: { documentId: { $in: documentIds }, locale: l }, select: ['documentId', 'name'] })) names.set(row.documentId, row.name);
    }
    return names;
  }

  /** Renders the formats asked for, side by side. */
  async function render(formats: ReportFormat[], pdf: () => Promise<Buffer>, xlsx: () => Promise<Buffer>) {
    const [p, x] = await Promise.all([formats.includes('pdf') ? pdf() : undefined, formats.includes('xlsx') ? xlsx() : undefined]);
    return { pdf: p, xlsx: x };
  }

  /**
   * A file's address for the reader: as stored, or signed for a while when the files are in a
   * private bucket (S3 with ACL private), where the stored address alone is refused.
   */
  async function readableUrl(file: any): Promise<string | null> {
    if (!file) return null;
    const signed = await strapi.plugin('upload').service('file').signFileUrls(file);
    return signed.url ?? null;
  }

  /**
   * Where a requester downloads a file: a published report's file at its address; an internal
   * one only by a signed link that expires (its storage address answers 404; docs/security.md#files).
   */
  async function addressFor(file: any, isPublic: boolean): Promise<string | null> {
    if (!file) return null;
    return isPublic ? readableUrl(file) : linkTo(file).url;
  }

  /**
   * Stores the files, then in one transaction: the archive entry (the next version of this
   * project, kind and period), the audit event and an e-mail per recipient through the outbox.
   */
  async function publish(input: {
    project: any;
    kind: ReportKind;
    period: NamedPeriod;
    title: string;
    locale: string;
    auditHead: string | null;
    /** The files made (a request may ask for one format only). */
    files: { pdf?: Buffer; xlsx?: Buffer };
    figures: Record<string, any>;
    isPublic: boolean;
    recipients: string[];
    mailText: string;
    by: string;
    now: Date;
    details?: Record<string, unknown>;
  }) {
    const { project, kind, period } = input;
    const base = `${project.code}-${kind}-${period.label.replace(/…/g, '_')}`.toLowerCase();
    const pdf = input.files.pdf ? await store(input.files.pdf, `${base}.pdf`, 'application/pdf') : null;
    const xlsx = input.files.xlsx ? await store(input.files.xlsx, `${base}.xlsx`, XLSX) : null;
    const attachments = [pdf, xlsx].filter(Boolean).map((f: any) => ({ fileId: f.id }));
    return strapi.db.transaction(async () => {
      const previous = await q(REPORT).findOne({ where: { project: { documentId: project.documentId }, kind, periodLabel: period.label }, orderBy: { version: 'desc' }, select: ['version'] });
      const entry = await q(REPORT).create({
        data: {
          project: project.id,
          kind,
          title: input.title,
          periodFrom: period.from,
          periodTo: period.to,
          periodLabel: period.label,
          version: (previous?.version ?? 0) + 1,
          public: input.isPublic,
          locale: input.locale,
          pdf: pdf?.id ?? null,
          xlsx: xlsx?.id ?? null,
          generatedAt: input.now,
          generatedBy: input.by,
          auditHead: input.auditHead,
          figures: input.figures,
        },
      });
      await getService('audit', 'capture').record({
        action: 'report.generated',
        entityType: 'report',
        entityId: entry.documentId,
        projectId: project.documentId,
        details: { kind, period: period.label, version: entry.version, by: input.by, pdf: pdf?.hash ?? null, xlsx: xlsx?.hash ?? null, ...input.details },
      });
      for (const to of input.recipients) {
        await getService('notifications', 'outbox').queueEmail({
          dedupeKey: `report:${entry.documentId}:${to}`,
          to,
          subject: input.title,
          html: `<p>${input.mailText.split('\n').map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;')).join('<br>')}</p>`,
          text: input.mailText,
          event: 'report',
          projectId: project.documentId,
          attachments,
        });
      }
      return { documentId: entry.documentId, title: input.title, kind, period: period.label, version: entry.version, recipients: input.recipients.length };
    }).then(async (result) => ({ ...result, pdf: await addressFor(pdf, input.isPublic), xlsx: await addressFor(xlsx, input.isPublic) }));
  }

  const service = {
    /**
     * An on-demand run of a named kind, for the period given either as `period` (`2026-10`,
     * `2026-Q3`) or as its first and last days `from`/`to` (the contract's shape).
     */
    async generate(input: { kind: ReportKind; project: string; period?: string; from?: string; to?: string; formats?: unknown; by: string; now?: Date }) {
      const kinds = [...PUBLIC_KINDS, ...INTERNAL_KINDS] as readonly string[];
      if (!kinds.includes(input.kind)) throw new ReportRefusal(400, 'VALIDATION', `kind must be one of ${kinds.join(', ')}, or custom.`);
      const formats = parseFormats(input.formats);
      if ('error' in formats) throw new ReportRefusal(400, 'VALIDATION', `formats: ${formats.error.message}`, [formats.error]);
      const project = await projectByCode(input.project);
      const zone = project.timezone || 'UTC';
      const unit = input.kind === 'quarterly_public' ? 'quarter' : 'month';
      const wanted = unit === 'month' ? /^\d{4}-\d{2}$/ : /^\d{4}-Q\d$/;
      const period = input.period !== undefined
        ? (wanted.test(input.period) ? namedPeriod(input.period, zone) : null)
        : periodOfDays(unit, input.from ?? '', input.to ?? '', zone);
      if (!period) {
        throw new ReportRefusal(400, 'VALIDATION', unit === 'month'
          ? 'Give the month as period (yyyy-MM) or as from and to, its first and last days.'
          : 'Give the quarter as period (yyyy-Qn) or as from and to, its first and last days.');
      }
      return service.run(project, input.kind, period, input.by, input.now ?? new Date(), formats.formats);
    },

    async run(project: any, kind: ReportKind, period: NamedPeriod, by: string, now: Date, formats: ReportFormat[] = ['pdf', 'xlsx']) {
      const locale = project.defaultLocale || 'en';
      const words = reportWords(locale);
      const header = await headerOf(project, locale, period.label, now);
      const isPublic = (PUBLIC_KINDS as readonly string[]).includes(kind);
      let files: { pdf?: Buffer; xlsx?: Buffer };
      let d: Record<string, any>;
      if (isPublic) {
        const figures = await getService('reports', 'public-metrics').figuresFor(project, { from: period.from, to: period.to, locale });
        d = figures.data;
        const report: FiguresReport = {
          kind,
          ...header,
          note: fill(words.suppressed, { n: figures.meta.smallCountThreshold }),
          totals: Object.fromEntries(Object.entries(d).filter(([, v]) => typeof v === 'number' || v === null)) as Record<string, number | null>,
          byCategory: d.byCategory.map((c: any) => ({ name: c.name ?? c.code, received: c.received, resolved: c.resolved })),
          byRegion: d.byRegion.map((r: any) => ({ name: r.name, received: r.received, resolved: r.resolved })),
          byMonth: d.byMonth.map((m: any) => ({ name: m.month, received: m.received, resolved: m.resolved })),
          byLevel: d.byLevel,
        };
        files = await render(formats, () => renderPdf(figuresReportPdf(report)), () => figuresReportXlsx(report));
      } else {
        const table: TableReport = { kind, ...header, ...(kind === 'monthly_escalated' ? await escalatedTable(project, now, words) : await performanceTable(project, period, words)) };
        d = { rows: table.rows.length };
        files = await render(formats, () => renderPdf(tableReportPdf(table)), () => tableReportXlsx(table));
      }
      const title = `${words[kind]} — ${header.projectName} — ${period.label}`;
      // Public reports go to the project's report recipients; internal ones to its administrators.
      const recipients: string[] = isPublic
        ? (Array.isArray(project.reportRecipients) ? project.reportRecipients.filter((r: unknown) => typeof r === 'string') : [])
        : await administrators(project);
      const mailText = isPublic
        ? `${title}\n\n${words.received}: ${d.received ?? words.withheld}\n${words.resolved}: ${d.resolved ?? words.withheld}\n${words.pending}: ${d.pending ?? words.withheld}`
        : `${title}\n\n${words.cases}: ${d.rows}`;
      return publish({ project, kind, period, title, locale, auditHead: header.auditHead, files, figures: d, isPublic, recipients, mailText, by, now });
    },

    /**
     * A custom staff report: any range of days and filters, within the requester's scope (the
     * dashboard's rule), staff figures (sensitive cases included, nothing withheld). Archived as
     * an internal report and returned for download; nobody else is e-mailed.
     */
    async custom(user: any, body: unknown, now = new Date()) {
      const named = body && typeof body === 'object' && typeof (body as any).project === 'string' ? (body as any).project : undefined;
      // The project's time zone draws the day boundaries, so the scope comes first.
      const { project, departmentDocumentIds } = await getService('reports', 'scope').resolve(user, named);
      const zone = project.timezone || 'UTC';
      const parsed = parseCustomRequest(body, zone);
      if ('errors' in parsed) throw new ReportRefusal(400, 'VALIDATION', parsed.errors.map((e) => `${e.path.join('.') || 'body'}: ${e.message}`).join(' '), parsed.errors);
      const { from, to, label, filters } = parsed.value;
      const locale = parsed.value.locale ?? project.defaultLocale ?? 'en';
      const w = reportWords(locale);
      const lines: string[] = [];
      const scope: KpiScope = { projectDocumentId: project.documentId, from, to, excludeSensitive: false, departmentDocumentIds, now };

      if (filters.department) {
        const department = await q('api::department.department').findOne({ where: { code: filters.department, locale: 'en' }, select: ['documentId'] });
        if (!department) throw new ReportRefusal(400, 'VALIDATION', `No department ${filters.department}.`, [{ path: ['department'], message: 'Unknown department.' }]);
        if (departmentDocumentIds && !departmentDocumentIds.includes(department.documentId)) throw new ReportRefusal(403, 'NOT_ALLOWED', 'This department is outside your scope.');
        scope.departmentDocumentIds = [department.documentId];
        lines.push(`${w.department}: ${(await namesOf('api::department.department', [department.documentId], locale)).get(department.documentId)}`);
      } else if (departmentDocumentIds) {
        const names = await namesOf('api::department.department', departmentDocumentIds, locale);
        lines.push(`${w.department}: ${[...names.values()].sort().join(', ')}`);
      }
      if (filters.category) {
        const category = await q('api::category.category').findOne({ where: { code: filters.category, locale: 'en', project: { documentId: project.documentId } }, select: ['documentId'] });
        if (!category) throw new ReportRefusal(400, 'VALIDATION', `No category ${filters.category} in ${project.code}.`, [{ path: ['category'], message: 'Unknown category in this project.' }]);
        // Cases link to whichever language version of the category they were filed under.
        scope.categoryIds = (await q('api::category.category').findMany({ where: { documentId: category.documentId }, select: ['id'] })).map((c: any) => c.id);
        lines.push(`${w.category}: ${(await namesOf('api::category.category', [category.documentId], locale)).get(category.documentId)}`);
      }
      if (filters.region) {
        const regions = await q('api::region.region').findMany({ where: { project: { documentId: project.documentId } }, select: ['id', 'documentId', 'code'], populate: { parent: { select: ['documentId'] } } });
        const root = regions.find((r: any) => r.code === filters.region);
        if (!root) throw new ReportRefusal(400, 'VALIDATION', `No area ${filters.region} in ${project.code}.`, [{ path: ['region'], message: 'Unknown area in this project.' }]);
        const below = (documentId: string): string[] => [documentId, ...[...new Set<string>(regions.filter((r: any) => r.parent?.documentId === documentId).map((r: any) => r.documentId))].flatMap(below)];
        const within = new Set(below(root.documentId));
        scope.regionIds = regions.filter((r: any) => within.has(r.documentId)).map((r: any) => r.id);
        lines.push(`${w.region}: ${(await namesOf('api::region.region', [root.documentId], locale)).get(root.documentId)}`);
      }
      if (filters.priority) {
        scope.priority = filters.priority;
        lines.push(`${w.priority}: ${w[filters.priority]}`);
      }
      if (filters.channel) {
        scope.channel = filters.channel;
        lines.push(`${w.channel}: ${filters.channel}`);
      }

      const kpi = getService('reports', 'kpi');
      const [totals, categories, departments, regions, months, levels, cells] = await Promise.all([
        kpi.figures(scope),
        kpi.byCategory(scope),
        kpi.byDepartment(scope),
        kpi.byRegion(scope),
        kpi.byMonth(scope, zone),
        kpi.byLevel(scope),
        kpi.byPriorityAndLevel(scope),
      ]);
      const byId = async (uid: string, ids: number[]) => {
        const rows = ids.length ? await q(uid).findMany({ where: { id: { $in: ids } }, select: ['id', 'documentId'] }) : [];
        const names = await namesOf(uid, [...new Set<string>(rows.map((r: any) => r.documentId))], locale);
        return new Map<number, string>(rows.map((r: any) => [r.id, names.get(r.documentId) ?? `#${r.id}`]));
      };
      const categoryNames = await byId('api::category.category', categories.map((c: any) => c.categoryId));
      const regionNames = await byId('api::region.region', regions.map((r: any) => r.regionId));
      const departmentNames = await namesOf('api::department.department', departments.map((d: any) => d.department), locale);
      const byCount = (a: Row, b: Row) => (b.received ?? 0) - (a.received ?? 0) || a.name.localeCompare(b.name);
      const header = await headerOf(project, locale, label, now);
      const report: FiguresReport = {
        kind: 'custom',
        ...header,
        filters: lines,
        note: w.staffNote,
        totals: { ...totals },
        byCategory: categories.map((c: any) => ({ name: categoryNames.get(c.categoryId)!, received: c.received, resolved: c.resolved })).sort(byCount),
        byDepartment: departments.map((d: any) => ({ name: departmentNames.get(d.department) ?? d.department, received: d.received, resolved: d.resolved })).sort(byCount),
        byPriority: PRIORITY_ORDER.filter((p) => cells.some((c: any) => c.priority === p)).map((p) => {
          const mine = cells.filter((c: any) => c.priority === p);
          return { name: w[p], received: mine.reduce((n: number, c: any) => n + c.received, 0), resolved: mine.reduce((n: number, c: any) => n + c.resolved, 0) };
        }),
        byRegion: regions.map((r: any) => ({ name: regionNames.get(r.regionId)!, received: r.received, resolved: r.resolved })).sort(byCount),
        byMonth: months.map((m: any) => ({ name: m.month, received: m.received, resolved: m.resolved })),
        byLevel: levels,
      };
      const files = await render(parsed.value.formats, () => renderPdf(figuresReportPdf(report)), () => figuresReportXlsx(report));
      const by = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email;
      const result = await publish({
        project,
        kind: 'custom',
        period: { label, from, to },
        title: `${w.custom} — ${header.projectName} — ${label}`,
        locale,
        auditHead: header.auditHead,
        files,
        figures: { ...totals, filters },
        isPublic: false,
        recipients: [],
        mailText: '',
        by,
        now,
        details: { filters, scope: departmentDocumentIds ? 'departments' : 'project' },
      });
      return { ...result, figures: totals, filters };
    },

    /**
     * The scheduled run for the period that has just ended in each project's time zone; a period
     * already reported by a schedule is skipped, so several instances or a rerun add nothing.
     */
    async scheduled(kind: ReportKind, now = new Date()) {
      const isPublic = (PUBLIC_KINDS as readonly string[]).includes(kind);
      const projects = await q('api::project.project').findMany({ where: { locale: 'en', ...(isPublic ? { publicReporting: true } : {}) } });
      const done = [];
      for (const project of projects) {
        const period = previousPeriod(kind === 'quarterly_public' ? 'quarter' : 'month', now, project.timezone || 'UTC');
        const exists = await q(REPORT).count({ where: { project: { documentId: project.documentId }, kind, periodLabel: period.label, generatedBy: 'schedule' } });
        if (exists > 0) continue;
        // One generation per project and period, however many occurrences overlap (a render that
        // outlasts a short schedule) or instances race past the check above; a failure gives it back.
        const claim = `report-${kind}-${project.documentId}-${period.label}`;
        if (!(await claimOccurrence(claim, new Date(0)))) continue;
        try {
          done.push(await service.run(project, kind, period, 'schedule', now));
        } catch (error) {
          await releaseOccurrence(claim, new Date(0));
          throw error;
        }
      }
      return done;
    },

    /**
     * Download links to an archived report's files for a staff member: anyone for a published
     * report; an internal one for super admins and the managers of its whole project (the
     * dashboard's scope rule); a department head gets theirs when generating it.
     */
    async files(user: any, documentId: string) {
      const entry = typeof documentId === 'string' && /^[a-z0-9]{10,40}$/.test(documentId)
        ? await q(REPORT).findOne({ where: { documentId }, populate: { pdf: true, xlsx: true, project: { select: ['code'] } } })
        : null;
      if (!entry) throw new ReportRefusal(404, 'NOT_FOUND', 'No such report.');
      if (!entry.public) {
        const scope = await getService('reports', 'scope').resolve(user, entry.project?.code ?? '');
        if (scope.departmentDocumentIds !== null) throw new ReportRefusal(403, 'NOT_ALLOWED', 'Internal reports are for the managers of the whole project.');
      }
      return { pdf: await addressFor(entry.pdf, entry.public), xlsx: await addressFor(entry.xlsx, entry.public) };
    },

    /** The public archive of a project: every version, newest first. */
    async archive(projectCode: string) {
      const project = await q('api::project.project').findOne({ where: { code: projectCode.toUpperCase(), locale: 'en' } });
      if (!project || project.publicReporting === false) throw new ReportRefusal(404, 'NOT_FOUND', 'No public reports for this project.');
      const rows = await q(REPORT).findMany({
        where: { project: { documentId: project.documentId }, public: true },
        orderBy: [{ periodFrom: 'desc' }, { version: 'desc' }],
        populate: { pdf: true, xlsx: true },
        limit: 500,
      });
      const latest = new Set<string>();
      const entries = [];
      for (const r of rows) {
        const key = `${r.kind}:${r.periodLabel}`;
        const isLatest = !latest.has(key);
        latest.add(key);
        entries.push({ title: r.title, kind: r.kind, period: r.periodLabel, version: r.version, latest: isLatest, generatedAt: new Date(r.generatedAt).toISOString(), pdfUrl: await readableUrl(r.pdf), xlsxUrl: await readableUrl(r.xlsx) });
      }
      return entries;
    },
  };
  return service;
};
