/**
 * No report ends with a page that is blank but for a line: every report PDF, whatever the length
 * of its tables, is read back page by page with pdftotext, and its last page must hold a table row
 * besides the running header, the page number and the closing note. The lengths swept cross page
 * ends with the note, the last heading or the row count at the foot of a page; the last page of one
 * such report is rendered to PNG (pdftoppm) under test-output/report-last-page.png.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FiguresReport, figuresReportPdf } from '../../plugins/reports/server/src/domain/figures-report';
import { fill, reportWords } from '../../plugins/reports/server/src/domain/labels';
import { TableReport, tableReportPdf } from '../../plugins/reports/server/src/domain/table-report';
import { renderPdf } from '../../src/platform/pdf';
import { SCREENSHOTS } from '../helpers/browser';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'last-page-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The text of each page of a PDF, in order. */
async function pages(definition: Record<string, any>, name: string): Promise<string[]> {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, await renderPdf(definition));
  // pdftotext ends every page with a form feed.
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  return text.split('\f').slice(0, -1);
}

/** The lines of a page that are neither the running header, the page number, nor (a line of) the closing note. */
function body(page: string, header: string, note: string): string[] {
  const noteWords = new Set(note.split(/\s+/));
  return page
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== header && !/^Page \d+ of \d+$/.test(line))
    .filter((line) => !line.split(/\s+/).every((word) => noteWords.has(word)));
}

const base = { projectName: 'District Water Programme', locale: 'en', periodLabel: 'November 2026', generatedAt: '2026-12-01T09:00:00+05:30', auditHead: '#1234 9f8e…' };

function figures(categories: number, filters: number): FiguresReport {
  const row = (name: string, i: number) => ({ name, received: 10 + i, resolved: 5 + i });
  return {
    ...base,
    kind: filters ? 'custom' : 'monthly_public',
    filters: Array.from({ length: filters }, (_, i) => `Filter ${i + 1}: Water supply`),
    note: fill(reportWords('en').suppressed, { n: 5 }),
    totals: { received: 120, acknowledged: 110, resolved: 90, closed: 80, pending: 30, escalated: 7, referred: 1, medianDaysToAcknowledge: 1.5, medianDaysToResolve: 9.2, acknowledgementCompliance: 0.92, resolutionCompliance: 0.81 },
    byCategory: Array.from({ length: categories }, (_, i) => row(`Category ${i + 1}`, i)),
    byRegion: [row('Amarpur block', 0), row('Belapur block', 1)],
    byMonth: [row('2026-11', 0)],
    byLevel: [{ level: 1, cases: 5 }, { level: 2, cases: null }],
  };
}

it('ends every figures report, of any length, on a page with figures on it', async () => {
  const bare: string[] = [];
  for (let filters = 0; filters <= 2; filters += 1) {
    for (let categories = 24; categories <= 40; categories += 1) {
      const report = figures(categories, filters);
      const name = `figures-${filters}-${categories}`;
      const all = await pages(figuresReportPdf(report), name);
      const last = body(all[all.length - 1], report.projectName, report.note);
      // A section heading alone is no content either: a table row has figures in it.
      if (!last.some((line) => /\d/.test(line) && !line.startsWith('Filter'))) bare.push(`${name}: ${all.length} pages, last page: ${JSON.stringify(last)}`);
      if (name === 'figures-0-32') {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(all.length), '-l', String(all.length), '-singlefile', path.join(dir, `${name}.pdf`), path.join(SCREENSHOTS, 'report-last-page')]);
      }
    }
  }
  expect(bare).toEqual([]);
});

it('ends every table report, of any length, on a page with rows of the table', async () => {
  const bare: string[] = [];
  for (let rows = 0; rows <= 60; rows += 1) {
    const report: TableReport = {
      ...base,
      kind: 'monthly_escalated',
      columns: [{ key: 'code', header: 'Tracking code', width: 28, kind: 'text' }, { key: 'days', header: 'Days open', width: 10, kind: 'number' }],
      rows: Array.from({ length: rows }, (_, i) => ({ code: `DIST-20261101-CASE${String(i).padStart(4, '0')}`, days: i })),
    };
    const all = await pages(tableReportPdf(report), `table-${rows}`);
    const last = body(all[all.length - 1], report.projectName, '');
    const tableRows = last.filter((line) => /DIST-20261101-CASE\d{4}|Tracking code/.test(line));
    if (tableRows.length === 0) bare.push(`table-${rows}: ${all.length} pages, last page: ${JSON.stringify(last)}`);
  }
  expect(bare).toEqual([]);
});
