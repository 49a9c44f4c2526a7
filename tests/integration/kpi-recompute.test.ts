/**
 * Every figure, recomputed here from the raw case rows with simple code of its own (not the
 * product's), agrees with the dashboard, the public figures, and the custom report's workbook and
 * PDF (docs/reports.md): on the demo data, whose stamps must follow from each case's own
 * timestamps and history, and on cases with hand-set timestamps whose figures are known numbers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { asBuffer } from '../helpers/binary';

let app: TestApp;
const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;
const OPEN = ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'];

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 150 });
}, 300_000);
afterAll(async () => {
  await app.stop();
});

interface Raw {
  id: number;
  submittedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  status: string;
  level: number;
  slaState: string;
  ackOnTime: boolean | null;
  resOnTime: boolean | null;
  breachedAt: Date | null;
  ackDue: Date | null;
  resDue: Date | null;
  priority: string;
  sensitive: boolean;
  department: string | null;
}

const date = (v: unknown) => (v == null ? null : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as any)));
const flag = (v: unknown) => (v == null ? null : Boolean(Number(v)) || v === true);

/** The project's case rows as stored, read with plain SQL. */
async function rawCases(projectCode: string): Promise<Raw[]> {
  const knex = app.strapi.db.connection as unknown as Knex;
  const rows = await knex('grievances as g')
    .join('grievances_project_lnk as gp', 'gp.grievance_id', 'g.id')
    .join('projects as p', 'p.id', 'gp.project_id')
    .leftJoin('grievances_department_lnk as gd', 'gd.grievance_id', 'g.id')
    .leftJoin('departments as d', 'd.id', 'gd.department_id')
    .where('p.code', projectCode)
    .select(
      'g.id', 'g.submitted_at', 'g.acknowledged_at', 'g.resolved_at', 'g.case_status', 'g.escalation_level', 'g.sla_state', 'g.acknowledged_on_time',
      'g.resolved_on_time', 'g.breached_at', 'g.acknowledge_due_at', 'g.resolve_due_at', 'g.priority', 'g.sensitive', 'd.document_id as department'
    );
  return rows.map((r: any) => ({
    id: r.id,
    submittedAt: date(r.submitted_at)!,
    acknowledgedAt: date(r.acknowledged_at),
    resolvedAt: date(r.resolved_at),
    status: r.case_status,
    level: Number(r.escalation_level ?? 1),
    slaState: r.sla_state,
    ackOnTime: flag(r.acknowledged_on_time),
    resOnTime: flag(r.resolved_on_time),
    breachedAt: date(r.breached_at),
    ackDue: date(r.acknowledge_due_at),
    resDue: date(r.resolve_due_at),
    priority: r.priority ?? 'normal',
    sensitive: flag(r.sensitive) === true,
    department: r.department ?? null,
  }));
}

/** Escalation history rows (the level each escalation moved to), per case. */
async function escalationEvents(): Promise<Map<number, number[]>> {
  const events = await app.strapi.db.query('api::grievance-event.grievance-event' as any).findMany({
    where: { action: 'escalate' },
    select: ['data'],
    populate: { grievance: { select: ['id'] } },
  });
  const byCase = new Map<number, number[]>();
  for (const e of events) if (e.grievance) byCase.set(e.grievance.id, [...(byCase.get(e.grievance.id) ?? []), Number(e.data?.escalationLevel)]);
  return byCase;
}

const isOpen = (r: Raw) => OPEN.includes(r.status);
const overdueNow = (r: Raw, now: Date) => isOpen(r) && ((r.resDue !== null && r.resDue < now) || (['submitted', 'escalated'].includes(r.status) && r.ackDue !== null && r.ackDue < now));
const everBreached = (r: Raw, now: Date) => r.breachedAt !== null || overdueNow(r, now);
const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
const median = (values: number[]) => {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const m = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return Math.round(m * 10) / 10;
};

/** The figures of docs/reports.md, from the rows alone. */
function recompute(rows: Raw[], now: Date) {
  const count = (p: (r: Raw) => boolean) => rows.filter(p).length;
  const ackOnTime = count((r) => r.ackOnTime === true);
  const ackLate = count((r) => r.ackOnTime === false || (r.status === 'submitted' && r.ackDue !== null && r.ackDue < now));
  const resOnTime = count((r) => r.resOnTime === true);
  const resLate = count((r) => r.resOnTime === false || (isOpen(r) && everBreached(r, now)));
  const days = (stamp: 'acknowledgedAt' | 'resolvedAt') => rows.filter((r) => r[stamp]).map((r) => (r[stamp]!.getTime() - r.submittedAt.getTime()) / DAY);
  const byLevel = new Map<number, number>();
  for (const r of rows) if (r.level > 1) byLevel.set(r.level, (byLevel.get(r.level) ?? 0) + 1);
  const cells = new Map<string, { cases: number; breached: number }>();
  const departments = new Map<string, { received: number; resolved: number; overdue: number }>();
  for (const r of rows) {
    if (!r.department) continue;
    const cell = cells.get(`${r.department}|${r.priority}`) ?? { cases: 0, breached: 0 };
    cell.cases += 1;
    if (everBreached(r, now)) cell.breached += 1;
    cells.set(`${r.department}|${r.priority}`, cell);
    const d = departments.get(r.department) ?? { received: 0, resolved: 0, overdue: 0 };
    d.received += 1;
    if (r.resolvedAt) d.resolved += 1;
    if (overdueNow(r, now)) d.overdue += 1;
    departments.set(r.department, d);
  }
  return {
    overview: {
      received: rows.length,
      acknowledged: count((r) => r.acknowledgedAt !== null),
      resolved: count((r) => r.resolvedAt !== null),
      closed: count((r) => r.status === 'closed'),
      pending: count(isOpen),
      escalated: count((r) => r.level > 1),
      referred: count((r) => r.slaState === 'no_limit'),
      medianDaysToAcknowledge: median(days('acknowledgedAt')),
      medianDaysToResolve: median(days('resolvedAt')),
      acknowledgementCompliance: rate(ackOnTime, ackOnTime + ackLate),
      resolutionCompliance: rate(resOnTime, resOnTime + resLate),
      overdue: count((r) => overdueNow(r, now)),
      breached: count((r) => everBreached(r, now)),
    },
    byLevel: [...byLevel.entries()].sort((a, b) => a[0] - b[0]).map(([level, cases]) => ({ level, cases })),
    heatmap: [...cells.entries()].map(([key, c]) => ({ key, cases: c.cases, breached: c.breached })).sort((a, b) => a.key.localeCompare(b.key)),
    departments: [...departments.entries()].map(([department, d]) => ({ department, ...d })).sort((a, b) => a.department.localeCompare(b.department)),
  };
}

const as = async (email: string) => {
  const token = await app.tokenFor(email);
  return {
    dashboard: (query: Record<string, string>) => app.http().get('/reports/dashboard').query(query).set('Authorization', `Bearer ${token}`),
    custom: (body: object) => app.http().post('/reports/generate').set('Authorization', `Bearer ${token}`).send({ kind: 'custom', ...body }),
  };
};
const download = async (url: string) => (await app.http().get(url).buffer(true).parse(asBuffer)).body as Buffer;

/** The dashboard's answer reduced to what `recompute` gives, department ids restored. */
async function dashboardFigures(from: string, to: string) {
  const res = await (await as(ADMIN_ROLES.projectAdmin)).dashboard({ project: 'DIST', from, to });
  expect(res.status).toBe(200);
  const d = res.body.data;
  const ids = new Map<string, string>(
    (await app.strapi.db.query('api::department.department' as any).findMany({ where: { locale: 'en' }, select: ['documentId', 'name'] })).map((x: any) => [x.name, x.documentId])
  );
  const levels = new Map<number, number>();
  for (const e of d.escalations) levels.set(e.level, (levels.get(e.level) ?? 0) + e.count);
  return {
    period: { from: new Date(d.period.from), to: new Date(d.period.to) },
    figures: {
      overview: d.overview,
      byLevel: [...levels.entries()].sort((a, b) => a[0] - b[0]).map(([level, cases]) => ({ level, cases })),
      heatmap: d.heatmap.map((h: any) => ({ key: `${ids.get(h.department) ?? h.department}|${h.priority}`, cases: h.cases, breached: h.breached })).sort((a: any, b: any) => a.key.localeCompare(b.key)),
      departments: d.departments.map((x: any) => ({ department: ids.get(x.name) ?? x.name, received: x.received, resolved: x.resolved, overdue: x.overdue })).sort((a: any, b: any) => a.department.localeCompare(b.department)),
    },
  };
}

/** The custom report's summary as its workbook and its PDF print them. */
async function reportFigures(from: string, to: string) {
  const res = await (await as(ADMIN_ROLES.projectAdmin)).custom({ project: 'DIST', from, to });
  expect(res.status).toBe(201);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await download(res.body.data.xlsx)) as any);
  const summary = workbook.getWorksheet('Summary')!;
  const cell = (label: string) => summary.getRow(summary.getColumn(1).values.findIndex((v) => v === label)).getCell(2).value;
  const levels = workbook.getWorksheet('Escalated by level')!.getSheetValues().slice(2).filter(Boolean).map((r: any) => ({ level: r[1], cases: r[2] }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-recompute-'));
  const pdfPath = path.join(dir, 'report.pdf');
  fs.writeFileSync(pdfPath, await download(res.body.data.pdf));
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
  fs.rmSync(dir, { recursive: true, force: true });
  const printed = (label: string) => text.match(new RegExp(`^\\s*${label}\\s+(\\S+(?: %)?)\\s*$`, 'm'))?.[1] ?? null;
  return { figures: res.body.data.figures, cell, levels, printed };
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
const LABELS: Record<string, string> = {
  received: 'Received', acknowledged: 'Acknowledged', resolved: 'Resolved', closed: 'Closed', pending: 'Pending', escalated: 'Escalated',
  medianDaysToAcknowledge: 'Median days to acknowledge', medianDaysToResolve: 'Median days to resolve', acknowledgementCompliance: 'Acknowledged on time', resolutionCompliance: 'Resolved on time',
};

/** The dashboard, the custom report's workbook and its PDF all show `expected` for these days. */
async function expectEverywhere(from: string, to: string, rowsOf: (period: { from: Date; to: Date }) => Promise<Raw[]>, known?: ReturnType<typeof recompute>) {
  const dashboard = await dashboardFigures(from, to);
  const expected = known ?? recompute(await rowsOf(dashboard.period), new Date());
  expect(dashboard.figures).toEqual(expected);
  const report = await reportFigures(from, to);
  expect(report.figures).toEqual(expected.overview);
  for (const [key, label] of Object.entries(LABELS)) {
    const value = (expected.overview as any)[key];
    expect([key, report.cell(label)]).toEqual([key, value ?? '—']);
    const shown = key.endsWith('Compliance') ? pct(value) : key.startsWith('median') ? (value === null ? '—' : value.toFixed(1)) : String(value);
    expect([key, report.printed(label)]).toEqual([key, shown]);
  }
  expect(report.levels).toEqual(expected.byLevel);
  return { dashboard, expected };
}

describe('on the demo data', () => {
  it('stamps every case as its own timestamps and history say', async () => {
    const now = new Date();
    const rows = await rawCases('DIST');
    const escalations = await escalationEvents();
    expect(rows.length).toBe(150);
    for (const r of rows) {
      const id = `case ${r.id}`;
      // Acknowledged and resolved cases carry the clock's verdict.
      expect([id, r.ackOnTime === null]).toEqual([id, r.acknowledgedAt === null]);
      expect([id, r.resOnTime === null]).toEqual([id, r.resolvedAt === null]);
      // At level 1 the acknowledge deadline on the case is the one the acknowledgement met or missed.
      if (r.acknowledgedAt && r.level === 1 && r.ackDue) expect([id, r.ackOnTime]).toEqual([id, r.acknowledgedAt <= r.ackDue]);
      // Resolved on time: by the deadline and never overdue before; late: overdue first.
      if (r.resOnTime === true) expect([id, r.resDue === null || r.resolvedAt! <= r.resDue, r.breachedAt === null || r.breachedAt > r.resolvedAt!]).toEqual([id, true, true]);
      if (r.resOnTime === false) expect([id, r.breachedAt !== null && r.breachedAt <= r.resolvedAt!]).toEqual([id, true]);
      // A never-escalated case resolved by its deadline and never breached is on time.
      if (r.resolvedAt && r.level === 1 && r.resDue && r.resolvedAt <= r.resDue && r.breachedAt === null) expect([id, r.resOnTime]).toEqual([id, true]);
      // An open case past a running deadline has been stamped breached, no earlier than the deadline it missed.
      if (overdueNow(r, now)) expect([id, r.breachedAt !== null]).toEqual([id, true]);
      if (r.breachedAt) expect([id, r.breachedAt >= r.submittedAt && r.breachedAt <= now]).toEqual([id, true]);
      // Each level above 1 was reached by an escalation recorded with the level it moved to.
      expect([id, escalations.get(r.id) ?? []]).toEqual([id, Array.from({ length: r.level - 1 }, (_, i) => i + 2)]);
    }
    // The demo is a plausible caseload: most resolutions on time, some breaches, some escalations.
    const resolved = rows.filter((r) => r.resolvedAt);
    expect(resolved.filter((r) => r.resOnTime).length).toBeGreaterThan(resolved.length / 2);
    expect(rows.some((r) => r.breachedAt)).toBe(true);
    expect(rows.some((r) => r.level > 1)).toBe(true);
  });

  it('gives the same figures in the dashboard, the workbook and the PDF as a count of the rows', async () => {
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const from = DateTime.now().setZone(ZONE).minus({ years: 1, days: 2 }).toISODate()!;
    const rows = await rawCases('DIST');
    const { expected } = await expectEverywhere(from, today, async (p) => rows.filter((r) => r.submittedAt >= p.from && r.submittedAt < p.to));
    // The charts are not empty when there is something to show.
    expect(expected.overview.escalated).toBeGreaterThan(0);
    expect(expected.heatmap.some((c) => c.breached > 0)).toBe(true);
    expect(expected.overview.breached).toBeGreaterThanOrEqual(expected.overview.overdue);
  });

  it('gives the public the same figures for non-sensitive cases, or withholds them', async () => {
    const year = DateTime.now().setZone(ZONE).year;
    const res = await app.http().get('/api/public-metrics').query({ project: 'HWAY', period: String(year) });
    expect(res.status).toBe(200);
    const d = res.body.data;
    const from = new Date(d.period.from);
    const to = new Date(d.period.to);
    const rows = (await rawCases('HWAY')).filter((r) => !r.sensitive && r.submittedAt >= from && r.submittedAt < to);
    const expected = recompute(rows, new Date());
    let shown = 0;
    for (const key of ['received', 'acknowledged', 'resolved', 'closed', 'pending', 'escalated', 'referred', 'medianDaysToAcknowledge', 'medianDaysToResolve', 'acknowledgementCompliance', 'resolutionCompliance']) {
      if (d[key] === null) continue;
      shown += 1;
      expect([key, d[key]]).toEqual([key, (expected.overview as any)[key]]);
    }
    expect(shown).toBeGreaterThan(5);
    expect(d.resolutionCompliance).not.toBeNull();
    for (const l of d.byLevel) if (l.cases !== null) expect(l.cases).toBe(expected.byLevel.find((x) => x.level === l.level)?.cases);
  });
});

describe('on cases with known answers', () => {
  // Eight cases received on 10 February 2020 (no demo case is that old), deadlines 2 and 7 days on.
  const t0 = Date.parse('2020-02-10T06:00:00Z');
  const at = (days: number) => new Date(t0 + days * DAY);
  const ackDue = at(2);
  const resDue = at(7);
  const breach = (due: Date) => new Date(due.getTime() + 1);
  const CASES: Array<Record<string, unknown>> = [
    { caseStatus: 'closed', acknowledgedAt: at(1), acknowledgedOnTime: true, resolvedAt: at(3), resolvedOnTime: true, closedAt: at(4), rating: 5 },
    { caseStatus: 'closed', acknowledgedAt: at(3), acknowledgedOnTime: false, resolvedAt: at(5), resolvedOnTime: false, closedAt: at(6), breachedAt: breach(ackDue), slaState: 'breached' },
    { caseStatus: 'resolved', acknowledgedAt: at(1), acknowledgedOnTime: true, resolvedAt: at(9), resolvedOnTime: false, breachedAt: breach(resDue), slaState: 'breached' },
    { caseStatus: 'in_progress', acknowledgedAt: at(1), acknowledgedOnTime: true, breachedAt: breach(resDue), slaState: 'breached' },
    { caseStatus: 'submitted', breachedAt: breach(ackDue), slaState: 'breached' },
    { caseStatus: 'escalated', escalationLevel: 2, acknowledgedAt: at(1), acknowledgedOnTime: true, breachedAt: breach(resDue), slaState: 'breached', acknowledgeDueAt: at(9), resolveDueAt: at(15), slaStartedAt: at(8) },
    { caseStatus: 'rejected', acknowledgedAt: at(1), acknowledgedOnTime: true, closedAt: at(2) },
    { caseStatus: 'closed', acknowledgedAt: at(1), acknowledgedOnTime: true, resolvedAt: at(6), resolvedOnTime: true, closedAt: at(7), rating: 4 },
  ];

  beforeAll(async () => {
    const project = await app.strapi.db.query('api::project.project' as any).findOne({ where: { code: 'DIST', locale: 'en' } });
    const category = await app.strapi.db.query('api::category.category' as any).findOne({ where: { code: 'DIST-WATER-SUPPLY', locale: 'en' } });
    for (const fields of CASES) {
      const created = await app.strapi.documents('api::grievance.grievance' as any).create({
        data: { project: project.documentId, category: category.documentId, description: 'Known-answer case for the figures test.', channel: 'web' },
      } as any);
      await app.strapi.db.query('api::grievance.grievance' as any).update({
        where: { id: created.id },
        data: { submittedAt: at(0), slaStartedAt: at(0), acknowledgeDueAt: ackDue, resolveDueAt: resDue, slaState: 'on_track', slaCheckAt: null, escalationLevel: 1, ...fields },
      });
    }
  });

  it('shows the known figures in the dashboard, the workbook and the PDF', async () => {
    const water = (await app.strapi.db.query('api::department.department' as any).findOne({ where: { code: 'WATER', locale: 'en' } })).documentId;
    const known = {
      overview: {
        received: 8, acknowledged: 7, resolved: 4, closed: 3, pending: 3, escalated: 1, referred: 0,
        // Acknowledged after 1,1,1,1,1,1,3 days; resolved after 3,5,6,9 days.
        medianDaysToAcknowledge: 1, medianDaysToResolve: 5.5,
        // On time 6 of 8 (one late, one never acknowledged past its deadline).
        acknowledgementCompliance: 0.75,
        // On time 2; late: two resolved late and three open cases that went overdue.
        resolutionCompliance: 0.286,
        overdue: 3, breached: 5,
      },
      byLevel: [{ level: 2, cases: 1 }],
      heatmap: [{ key: `${water}|high`, cases: 8, breached: 5 }],
      departments: [{ department: water, received: 8, resolved: 4, overdue: 3 }],
    };
    const { dashboard } = await expectEverywhere('2020-02-01', '2020-02-29', async () => [], known);
    // The independent count of the rows gives the same.
    const rows = (await rawCases('DIST')).filter((r) => r.submittedAt >= dashboard.period.from && r.submittedAt < dashboard.period.to);
    expect(recompute(rows, new Date())).toEqual(known);
  });
});
