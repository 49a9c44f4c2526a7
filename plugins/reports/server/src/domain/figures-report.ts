/**
 * The figures report as pure renderers: a pdfmake document definition and an exceljs workbook
 * from the same figures, in the report's language. The public reports (monthly, quarterly) and
 * the staff's custom reports share it; only the public ones withhold counts (null, shown as "—"
 * in both, never as zero), and only custom ones carry filters and department and priority
 * breakdowns.
 */
import ExcelJS from 'exceljs';
import { fill, ReportHeader, reportWords } from './labels';

export interface Row {
  name: string;
  received: number | null;
  resolved: number | null;
}

export interface FiguresReport extends ReportHeader {
  /** What the figures cover beyond project and period, one line each ("Department: Water"). */
  filters?: string[];
  /** The closing note: what is withheld (public) or who may read it (staff). */
  note: string;
  totals: Record<string, number | null>;
  byCategory: Row[];
  byDepartment?: Row[];
  byPriority?: Row[];
  byRegion: Row[];
  byMonth: Row[];
  byLevel: Array<{ level: number; cases: number | null }>;
}

export const TOTAL_KEYS = ['received', 'acknowledged', 'resolved', 'closed', 'pending', 'escalated', 'referred'] as const;
export const RATE_KEYS = ['acknowledgementCompliance', 'resolutionCompliance'] as const;
export const DAY_KEYS = ['medianDaysToAcknowledge', 'medianDaysToResolve'] as const;

/**
 * A grouped bar chart (received, resolved) as SVG, drawn by pdfmake. Only digits inside: the
 * legend is set as text beside it, in the fonts of the report's language.
 */
export function barChartSvg(rows: Row[]): string {
  const width = 500;
  const height = 180;
  const pad = 30;
  const max = Math.max(1, ...rows.flatMap((r) => [r.received ?? 0, r.resolved ?? 0]));
  const slot = (width - pad * 2) / Math.max(rows.length, 1);
  const bar = Math.max(2, slot / 2 - 2);
  const y = (v: number | null) => height - pad - ((v ?? 0) / max) * (height - pad * 2);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = rows.map((r, i) => {
    const x = pad + i * slot + 1;
    return [
      `<rect x="${x.toFixed(1)}" y="${y(r.received).toFixed(1)}" width="${bar.toFixed(1)}" height="${(height - pad - y(r.received)).toFixed(1)}" fill="#8e9bd6"/>`,
      `<rect x="${(x + bar + 1).toFixed(1)}" y="${y(r.resolved).toFixed(1)}" width="${bar.toFixed(1)}" height="${(height - pad - y(r.resolved)).toFixed(1)}" fill="#2d3a8c"/>`,
      `<text x="${(x + bar).toFixed(1)}" y="${height - 12}" font-size="8" text-anchor="middle" fill="#555555">${esc(r.name)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999999"/>
<text x="${pad}" y="12" font-size="8" fill="#555555">${max}</text>
${parts.join('\n')}
</svg>`;
}

const number = (v: number | null, withheld: string) => (v === null ? withheld : String(v));
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
const days = (v: number | null) => (v === null ? '—' : v.toFixed(1));

const heading = (text: string) => ({ text, fontSize: 13, bold: true, headlineLevel: 1 });

/**
 * pdfmake's page-break hook: a section heading that would be the last thing on its page starts
 * the next page instead, so no page ends with a heading whose table is overleaf.
 */
export function keepHeadingsWithTheirTables(node: { headlineLevel?: number }, nodes: { getFollowingNodesOnPage: () => unknown[] }): boolean {
  return node.headlineLevel === 1 && nodes.getFollowingNodesOnPage().length === 0;
}

export function figuresReportPdf(r: FiguresReport): Record<string, any> {
  const w = reportWords(r.locale);
  const table = (head: string[], rows: string[][]) => ({
    table: { headerRows: 1, widths: ['*', ...head.slice(1).map(() => 70)], body: [head.map((h) => ({ text: h, bold: true, fillColor: '#eef0f7' })), ...rows.map((row) => row.map((c, i) => ({ text: c, alignment: i === 0 ? 'left' : 'right' })))] },
    layout: 'lightHorizontalLines',
    margin: [0, 4, 0, 12],
  });
  const rows = (list: Row[]) => list.map((x) => [x.name, number(x.received, w.withheld), number(x.resolved, w.withheld)]);
  return {
    info: { title: `${w[r.kind] ?? w.custom} — ${r.projectName} — ${r.periodLabel}` },
    pageSize: 'A4',
    pageMargins: [40, 60, 40, 50],
    header: { text: r.projectName, margin: [40, 24, 40, 0], fontSize: 9, color: '#555555' },
    footer: (page: number, pages: number) => ({ text: fill(w.page, { n: page, total: pages }), alignment: 'center', fontSize: 8, color: '#555555', margin: [0, 16, 0, 0] }),
    content: [
      { text: w[r.kind] ?? w.custom, fontSize: 18, bold: true },
      {
        margin: [0, 6, 0, 14],
        fontSize: 9,
        color: '#444444',
        stack: [`${w.period}: ${r.periodLabel}`, ...(r.filters ?? []), `${w.generated}: ${r.generatedAt}`, `${w.chainHead}: ${r.auditHead ?? '—'}`],
      },
      heading(w.summary),
      table(
        [w.figure, w.value],
        [
          ...TOTAL_KEYS.map((k) => [w[k], number(r.totals[k] ?? null, w.withheld)]),
          ...DAY_KEYS.map((k) => [w[k], days(r.totals[k] ?? null)]),
          ...RATE_KEYS.map((k) => [w[k], percent(r.totals[k] ?? null)]),
        ]
      ),
      heading(w.byMonth),
      {
        columnGap: 4,
        columns: [
          { width: 10, canvas: [{ type: 'rect', x: 0, y: 2, w: 8, h: 8, color: '#8e9bd6' }] },
          { width: 'auto', text: w.received, fontSize: 9, margin: [0, 0, 12, 0] },
          { width: 10, canvas: [{ type: 'rect', x: 0, y: 2, w: 8, h: 8, color: '#2d3a8c' }] },
          { width: 'auto', text: w.resolved, fontSize: 9 },
        ],
        margin: [0, 4, 0, 0],
      },
      { svg: barChartSvg(r.byMonth), width: 480, margin: [0, 4, 0, 8] },
      table([w.month, w.received, w.resolved], rows(r.byMonth)),
      heading(w.byCategory),
      table([w.category, w.received, w.resolved], rows(r.byCategory)),
      ...(r.byDepartment ? [heading(w.byDepartment), table([w.department, w.received, w.resolved], rows(r.byDepartment))] : []),
      ...(r.byPriority ? [heading(w.byPriority), table([w.priority, w.received, w.resolved], rows(r.byPriority))] : []),
      heading(w.byRegion),
      table([w.region, w.received, w.resolved], rows(r.byRegion)),
      // The last section and the closing note travel together: a note that only just overflows
      // would otherwise end the report with a page that is blank but for that one line. The
      // section is a handful of rows (one per escalation level), so it always fits on a page.
      {
        unbreakable: true,
        stack: [
          heading(w.byLevel),
          table([w.level, w.cases], r.byLevel.map((l) => [String(l.level), number(l.cases, w.withheld)])),
          { text: r.note, fontSize: 8, color: '#555555', margin: [0, 8, 0, 0] },
        ],
      },
    ],
    pageBreakBefore: keepHeadingsWithTheirTables,
  };
}

/** The same figures as a workbook: a sheet per breakdown, typed cells, frozen headers, filters. */
export async function figuresReportXlsx(r: FiguresReport): Promise<Buffer> {
  const w = reportWords(r.locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Grievance redress platform';
  workbook.created = new Date(r.generatedAt);
  const sheet = (name: string, columns: Array<{ header: string; key: string; width: number; numFmt?: string }>, data: ReadonlyArray<object>) => {
    const ws = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    ws.getRow(1).font = { bold: true };
    for (const row of data) ws.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? w.withheld : v])));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    return ws;
  };
  const summary = sheet(w.summary, [{ header: w.figure, key: 'figure', width: 40 }, { header: w.value, key: 'value', width: 16 }], [
    ...TOTAL_KEYS.map((k) => ({ figure: w[k], value: r.totals[k] ?? null })),
    ...DAY_KEYS.map((k) => ({ figure: w[k], value: r.totals[k] ?? null })),
    ...RATE_KEYS.map((k) => ({ figure: w[k], value: r.totals[k] ?? null })),
  ]);
  // Rates as percentages, days with one decimal, counts as integers.
  summary.eachRow((row, i) => {
    if (i === 1) return;
    const key = [...TOTAL_KEYS, ...DAY_KEYS, ...RATE_KEYS][i - 2];
    row.getCell(2).numFmt = (RATE_KEYS as readonly string[]).includes(key) ? '0%' : (DAY_KEYS as readonly string[]).includes(key) ? '0.0' : '0';
  });
  summary.addRow([]);
  summary.addRow([`${w.period}: ${r.periodLabel}`]);
  for (const line of r.filters ?? []) summary.addRow([line]);
  summary.addRow([`${w.generated}: ${r.generatedAt}`]);
  summary.addRow([`${w.chainHead}: ${r.auditHead ?? '—'}`]);
  summary.addRow([r.note]);
  const counts = [{ header: w.received, key: 'received', width: 14, numFmt: '0' }, { header: w.resolved, key: 'resolved', width: 14, numFmt: '0' }];
  sheet(w.byCategory, [{ header: w.category, key: 'name', width: 40 }, ...counts], r.byCategory);
  if (r.byDepartment) sheet(w.byDepartment, [{ header: w.department, key: 'name', width: 36 }, ...counts], r.byDepartment);
  if (r.byPriority) sheet(w.byPriority, [{ header: w.priority, key: 'name', width: 14 }, ...counts], r.byPriority);
  sheet(w.byRegion, [{ header: w.region, key: 'name', width: 30 }, ...counts], r.byRegion);
  sheet(w.byMonth, [{ header: w.month, key: 'name', width: 12 }, ...counts], r.byMonth);
  sheet(w.byLevel, [{ header: w.level, key: 'level', width: 10, numFmt: '0' }, { header: w.cases, key: 'cases', width: 14, numFmt: '0' }], r.byLevel);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
