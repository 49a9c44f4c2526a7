/**
 * Internal reports are tables (the unresolved escalated cases; the performance review): one
 * renderer pair for any of them, a landscape PDF with the same header as the public reports and
 * a one-sheet workbook with typed cells, frozen header and filter.
 */
import ExcelJS from 'exceljs';
import { fill, ReportHeader, reportWords } from './labels';

export interface TableColumn {
  key: string;
  header: string;
  width: number;
  kind?: 'text' | 'number' | 'date';
}

export interface TableReport extends ReportHeader {
  columns: TableColumn[];
  rows: Array<Record<string, string | number | Date | null>>;
}

const cellText = (v: unknown) => (v == null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

export function tableReportPdf(r: TableReport): Record<string, any> {
  const w = reportWords(r.locale);
  return {
    info: { title: `${w[r.kind] ?? w.custom} — ${r.projectName} — ${r.periodLabel}` },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [30, 50, 30, 40],
    header: { text: r.projectName, margin: [30, 20, 30, 0], fontSize: 9, color: '#555555' },
    footer: (page: number, pages: number) => ({ text: fill(w.page, { n: page, total: pages }), alignment: 'center', fontSize: 8, color: '#555555', margin: [0, 12, 0, 0] }),
    content: [
      { text: w[r.kind] ?? w.custom, fontSize: 16, bold: true },
      // The row count is said at the top: printed under a long table it could spill onto a page
      // of its own, the report's last page holding one number.
      { margin: [0, 4, 0, 10], fontSize: 9, color: '#444444', stack: [`${w.period}: ${r.periodLabel}`, `${w.rows}: ${r.rows.length}`, `${w.generated}: ${r.generatedAt}`, `${w.chainHead}: ${r.auditHead ?? '—'}`] },
      {
        fontSize: 8,
        table: {
          headerRows: 1,
          widths: r.columns.map((c) => (c.kind === 'text' ? '*' : 'auto')),
          body: [
            r.columns.map((c) => ({ text: c.header, bold: true, fillColor: '#eef0f7' })),
            ...r.rows.map((row) => r.columns.map((c) => ({ text: cellText(row[c.key]), alignment: c.kind === 'number' ? 'right' : 'left' }))),
          ],
        },
        layout: 'lightHorizontalLines',
      },
    ],
  };
}

export async function tableReportXlsx(r: TableReport): Promise<Buffer> {
  const w = reportWords(r.locale);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet((w[r.kind] ?? w.custom).slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = r.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.kind === 'number' ? { numFmt: '0' } : c.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : {} }));
  sheet.getRow(1).font = { bold: true };
  for (const row of r.rows) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: r.columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
